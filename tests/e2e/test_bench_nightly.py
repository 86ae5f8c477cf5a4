"""`dispatch bench nightly` as a reader of docs/benchmarks.md reruns it, at toy scale:
a booked date planned again, every promise checked, the peer planned in the same run;
and the promise check itself catches a broken day."""

import json
from datetime import date, timedelta

from typer.testing import CliRunner

from api.cli.main import app
from benchmarks.fortnight import WEEK
from benchmarks.nightly_bench import _day_holds
from dispatch.domain.day_plan import Appointment
from dispatch.domain.model import GeoPoint, TimeWindow
from dispatch.domain.workdays import workday
from solver.traveltime.haversine import Haversine


def test_bench_nightly_plans_a_date_without_breaking_a_promise_and_runs_the_peer():
    args = ["bench", "nightly", "--technicians", "8", "--visits", "5", "--seconds", "3",
            "--haversine", "--json"]  # fmt: skip
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output[r.output.index("{") :])
    assert out["appointments"] == 8 * 5
    for run in (out, out["peer_ortools"]):
        assert run["broken_promises"] == 0
        assert run["travel_after_s"] <= run["travel_before_s"]
    assert out["applied"] and out["travel_saved_pct"] > 0  # random bookings: room to gain
    assert out["travel_over_peer"] > 0


def test_the_promise_check_finds_a_late_arrival_and_a_missed_lunch():
    work = workday(WEEK, {}, date(2026, 11, 30))
    assert work.shift is not None
    start, home = work.shift.start, GeoPoint(51.07, 4.28)
    travel = Haversine(35.0, 1.3)

    def visit(k: int, hour: float, minutes: int, window: tuple[float, float]) -> Appointment:
        w = TimeWindow(start + timedelta(hours=window[0]), start + timedelta(hours=window[1]))
        return Appointment(k, 1, work.day, home, timedelta(minutes=minutes), w,
                           start + timedelta(hours=hour))  # fmt: skip

    good = [visit(1, 1, 60, (0, 2)), visit(2, 6, 60, (6, 8))]  # 08:00+1h ... 14:00
    assert _day_holds(travel, home, work, good) == 0
    late = [visit(1, 1, 60, (0, 2)), visit(2, 8.5, 30, (6, 8))]  # 16:30, told 14-16
    assert _day_holds(travel, home, work, late) == 1
    no_lunch = [visit(1, 3.5, 120, (2, 4)), visit(2, 5.5, 60, (4, 6))]  # 11:30-14:30 on site
    assert _day_holds(travel, home, work, no_lunch) == 1
