"""`dispatch bench slots` as a reader of docs/benchmarks.md reruns it, at toy scale:
a booked fortnight, slots found and booked for every new ticket, the peer timed."""

import json

from typer.testing import CliRunner

from api.cli.main import app


def test_bench_slots_books_a_slot_for_every_ticket_and_times_the_peer():
    args = ["bench", "slots", "--technicians", "6", "--days", "3", "--visits", "4",
            "--tickets", "3", "--haversine", "--json"]  # fmt: skip
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output[r.output.index("{") :])
    assert out["appointments"] == 6 * 3 * 4  # a light fortnight: every visit fits
    assert out["slots_offered_median"] > 0 and out["book_ms"] is not None
    for key in ("slots_ms", "book_ms", "peer_candidates_ms"):
        assert 0 < out[key]["p50"] <= out[key]["max"]
    assert out["targets"] == {"slots_p95_ms": 300, "book_p95_ms": 150}
