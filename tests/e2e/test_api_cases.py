"""The case lifecycle over HTTP, on SQLite and PostgreSQL (issue 15, acceptance 1 and 5):
the customer confirms through their link, a failed visit gets its repeat, cancelling
frees the slot, courtesy calls for the silent, every bad state a clear problem."""

from datetime import timedelta

import pytest
from test_api_tickets import assert_problem

from dispatch.services.followups import FollowUpPolicy, plan_calls

TICKET = {
    "customer": {"name": "Nele Nijs", "email": "nele@example.org"},
    "location": {"lat": 51.0775, "lon": 4.2890},
    "kind": "cable_stuck",
    "skills": ["cable_release"],
    "duration_min": 30,
}


def visit(client, clock, outcome: str = "completed", note: str = "") -> dict:
    t = client.post("/api/tickets", json=TICKET).json()
    tech = t["assignment"]["technician_id"]
    for k, kind in enumerate(("en_route", "arrived", "started", outcome)):
        clock.advance(timedelta(minutes=10))
        e = {"event_id": f"{t['id']}-{k}", "type": kind, "at": clock.now().isoformat(),
             "ticket_id": t["id"]}  # fmt: skip
        if note and kind == outcome:
            e["note"] = note
        r = client.post(f"/api/technicians/{tech}/events", json=[e])
        assert r.status_code in (200, 201, 202), r.text
    return client.get(f"/api/tickets/{t['id']}").json()


def what(client, ticket_id: int) -> list[str]:
    return [e["what"] for e in client.get(f"/api/tickets/{ticket_id}/history").json()]


def test_the_customer_confirms_and_the_case_closes_once(client, clock, backend):
    t = visit(client, clock)
    assert t["status"] == "completed"
    clock.advance(timedelta(hours=2))
    url = f"/api/track/{t['tracking_token']}/confirm"
    r = client.post(url, json={"solved": True, "nps": 9, "nps_reason": "quick and kind"})
    assert r.status_code == 200 and r.json() == {"status": "done"}
    assert_problem(client.post(url, json={"solved": True}), 409, "closed already")
    history = client.get(f"/api/tickets/{t['id']}/history").json()
    steps = [e["what"] for e in history]
    assert steps[0] == "created" and "VisitBooked" in steps and "VisitCompleted" in steps
    assert steps[-2:] == ["confirmed", "closed"] and "visit_completed" in steps
    # the phone's arrival and start are there too, and every time reads in the local zone
    assert steps.index("arrived") < steps.index("started") < steps.index("visit_completed")
    [booked] = [e for e in history if e["what"] == "VisitBooked"]
    offset = booked["at"][-6:]  # "+01:00" in Brussels in winter
    assert offset == "+01:00" and booked["detail"]["eta"].endswith(offset)
    assert all(w.endswith(offset) for w in booked["detail"]["window"])


def test_a_failed_visit_gets_its_repeat_with_another_technician(client, clock, backend):
    t = visit(client, clock, "failed", "customer not home")
    first = t["assignment"]["technician_id"] if t.get("assignment") else None
    history = client.get(f"/api/tickets/{t['id']}/history").json()
    [made] = [e for e in history if e["what"] == "repeat_created"]
    repeat = client.get(f"/api/tickets/{made['detail']['repeat']}").json()
    assert repeat["repeat_of"] == t["id"] and repeat["status"] == "assigned"
    assert first is None or repeat["assignment"]["technician_id"] != first
    tech = repeat["assignment"]["technician_id"]
    stops = client.get(f"/api/technicians/{tech}/route").json()["stops"]
    assert [s["problem"] for s in stops if s["ticket_id"] == repeat["id"]] == ["customer not home"]
    assert_problem(client.post(f"/api/tickets/{t['id']}/book", json={}), 409, "repeat")


def test_cancelling_frees_the_slot_and_cannot_be_done_twice(client, backend):
    t = client.post("/api/tickets", json=TICKET).json()
    tech = t["assignment"]["technician_id"]
    r = client.post(f"/api/tickets/{t['id']}/cancel", json={"why": "fixed it myself"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    stops = client.get(f"/api/technicians/{tech}/route").json()["stops"]
    assert t["id"] not in [s["ticket_id"] for s in stops]
    assert_problem(client.post(f"/api/tickets/{t['id']}/cancel", json={}), 409, "cancelled")
    assert_problem(client.post(f"/api/tickets/{t['id']}/book", json={}), 409, "cancelled")
    mine = client.post("/api/tickets", json=TICKET).json()
    r = client.post(f"/api/track/{mine['tracking_token']}/cancel", json={})
    assert r.status_code == 200


def test_silence_becomes_a_courtesy_call_and_its_answer_closes_the_case(
    client, clock, fleet, backend
):
    t = visit(client, clock)
    clock.advance(timedelta(hours=25))
    assert plan_calls(fleet, clock, FollowUpPolicy()) == 1
    clock.advance(timedelta(days=3))  # whatever the hours, the call is due by now
    [call] = [f for f in client.get("/api/followups").json() if f["ticket_id"] == t["id"]]
    url = f"/api/followups/{call['id']}/outcome"
    r = client.post(url, json={"outcome": "solved", "note": "all good"})
    assert r.status_code == 200 and r.json()["outcome"] == "solved"
    assert client.get(f"/api/tickets/{t['id']}").json()["status"] == "done"
    assert_problem(client.post(url, json={"outcome": "solved"}), 409, "answered already")
    assert_problem(client.post("/api/followups/424242/outcome", json={"outcome": "no_answer"}),
                   404, "424242")  # fmt: skip


@pytest.mark.parametrize(("body", "field"), [
    ({"solved": "yes"}, "solved"), ({"solved": True, "nps": 11}, "nps"),
    ({"solved": True, "extra": 1}, "extra"), ({}, "solved"),
])  # fmt: skip
def test_a_bad_confirmation_is_a_clear_422(client, backend, body, field):
    t = client.post("/api/tickets", json=TICKET).json()
    r = client.post(f"/api/track/{t['tracking_token']}/confirm", json=body)
    assert_problem(r, 422, field)


def test_confirming_what_was_not_visited_or_an_unknown_link_says_so(client, backend):
    t = client.post("/api/tickets", json=TICKET).json()
    r = client.post(f"/api/track/{t['tracking_token']}/confirm", json={"solved": True})
    assert_problem(r, 409, "only a completed visit")
    r = client.post("/api/track/no-such-token-at-all/confirm", json={"solved": True})
    assert_problem(r, 404, "unknown")
