"""Issue 16's findings from trying the API as a stranger would, on SQLite and
PostgreSQL: each is a clear 4xx problem naming the field or the reason, never a 500,
and nothing is stored for it."""

import pytest
from sqlalchemy import text
from test_api_cases import TICKET, visit
from test_api_tickets import assert_problem

BIG = (2**31, 2**63)  # past PostgreSQL's integer, past SQLite's


def tickets(engine) -> int:
    """Tickets stored: a refused request must not leave one behind."""
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT COUNT(*) FROM tickets")).scalar_one())


@pytest.mark.parametrize("big", BIG)
def test_an_id_no_database_holds_is_a_422_naming_the_field(client, backend, big):
    assert_problem(client.post("/api/tickets", json={**TICKET, "repeat_of": big}), 422,
                   "repeat_of", "less than or equal to 2147483647")  # fmt: skip
    assert_problem(client.get(f"/api/tickets/{big}"), 422, "ticket_id")
    assert_problem(client.get(f"/api/technicians/{big}/route"), 422, "technician_id")
    t = client.post("/api/tickets", json=TICKET).json()
    assert_problem(client.post(f"/api/tickets/{t['id']}/book", json={"technician_id": big}),
                   422, "technician_id")  # fmt: skip
    event = {"event_id": "x", "type": "en_route", "at": "2026-11-24T09:00:00+01:00",
             "ticket_id": big}  # fmt: skip
    assert_problem(client.post("/api/technicians/1/events", json=[event]), 422, "ticket_id")


@pytest.mark.parametrize(("field", "value"), [
    ("duration_min", True), ("duration_min", "30"), ("customer_on_site", "yes"),
    ("property_at_risk", 1), ("quote", "true"),
])  # fmt: skip
def test_types_are_strict_no_booleans_as_numbers_or_strings_as_booleans(client, engine, backend,
                                                                        field, value):  # fmt: skip
    before = tickets(engine)
    assert_problem(client.post("/api/tickets", json={**TICKET, field: value}), 422, field)
    assert tickets(engine) == before
    t = client.post("/api/tickets", json={**TICKET, "quote": True}).json()
    assert_problem(client.post(f"/api/tickets/{t['id']}/book",
                               json={"allow_breaking_promises": "yes"}),
                   422, "allow_breaking_promises", "valid boolean")  # fmt: skip


def test_an_unknown_kind_is_refused_listing_the_known_ones(client, backend):
    assert_problem(client.post("/api/tickets", json={**TICKET, "kind": "foo"}), 422,
                   "kind 'foo' is unknown", "cable_stuck", "parcel_delivery")  # fmt: skip


def test_a_kind_without_skills_needs_what_the_kind_implies(client, backend):
    """A locked cable with no skills given goes to someone who can release it, never to
    the parcel driver who happens to be nearest."""
    t = client.post("/api/tickets", json={**TICKET, "skills": []}).json()
    assert t["skills"] == ["cable_release"]
    tech = client.get("/api/technicians").json()
    [who] = [x for x in tech if x["id"] == t["assignment"]["technician_id"]]
    assert "cable_release" in who["skills"]


@pytest.mark.parametrize("where", [(40.7128, -74.0060), (0.0, 0.0)])
def test_a_ticket_or_a_position_far_outside_the_service_area_is_refused(
        client, engine, clock, backend, where):  # fmt: skip
    before = tickets(engine)
    body = {**TICKET, "location": {"lat": where[0], "lon": where[1]}}
    assert_problem(client.post("/api/tickets", json=body), 422, "outside the service area")
    assert tickets(engine) == before
    fix = {"event_id": "gps-1", "type": "position", "at": clock.now().isoformat(),
           "lat": where[0], "lon": where[1]}  # fmt: skip
    assert_problem(client.post("/api/technicians/1/events", json=[fix]), 422,
                   "gps-1", "outside the service area")  # fmt: skip
    assert client.get("/api/technicians/1/route").status_code == 200


def test_booking_a_technician_who_does_not_exist_is_a_404(client, backend):
    t = client.post("/api/tickets", json={**TICKET, "quote": True}).json()
    assert_problem(client.post(f"/api/tickets/{t['id']}/book", json={"technician_id": 999999}),
                   404, "technician 999999 does not exist")  # fmt: skip


@pytest.mark.parametrize("at", ["9999-12-31T00:00:00+00:00", "1970-01-01T00:00:00+00:00"])
def test_an_event_dated_far_from_now_is_refused_naming_it(client, backend, at):
    fix = {"event_id": "clock", "type": "position", "at": at, "lat": 51.07, "lon": 4.29}
    assert_problem(client.post("/api/technicians/1/events", json=[fix]), 422,
                   "event 'clock' is dated", "check the phone's clock")  # fmt: skip


@pytest.mark.parametrize(("outcome", "why"), [
    ("completed", "is completed; it cannot be booked"),
    ("failed", "failed and repeat visit"),
])  # fmt: skip
def test_booking_a_visited_ticket_again_is_a_409_with_the_reason(client, clock, backend,
                                                                 outcome, why):  # fmt: skip
    """It was a 500 (the one-visit-per-ticket constraint)."""
    t = visit(client, clock, outcome)
    r = client.post(f"/api/tickets/{t['id']}/book", json={})
    assert_problem(r, 409, f"ticket {t['id']} {why}")
