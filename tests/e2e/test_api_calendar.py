"""The working calendar over HTTP, on SQLite and PostgreSQL: a weekly pattern, the
exceptions, what marking someone sick today does to his route, and a clear problem for
every impossible calendar."""

import pytest
from test_api_tickets import BODY, assert_problem

OFFICE = {"start": "08:00", "end": "17:00",
          "lunch": {"earliest": "12:00", "latest": "13:30", "minutes": 30}}  # fmt: skip
WEEK = {"zone": "Europe/Brussels", "days": {d: OFFICE for d in ("mon", "tue", "wed", "thu", "fri")}}


def jan(client) -> int:
    return next(t["id"] for t in client.get("/api/technicians").json() if t["code"] == "cpo-jan")


def test_a_weekly_pattern_gives_a_fortnight_of_shifts_in_local_time(client, backend):
    tid = jan(client)
    r = client.put(f"/api/technicians/{tid}/calendar/pattern", json=WEEK)
    assert r.status_code == 200, r.text
    assert r.json()["pattern"] == WEEK
    cal = client.get(f"/api/technicians/{tid}/calendar?from=2026-11-23&to=2026-12-06").json()
    assert cal["zone"] == "Europe/Brussels" and cal["pattern"] == WEEK
    days = cal["days"]
    assert len(days) == 14 and [d["working"] for d in days[:7]] == [True] * 5 + [False] * 2
    monday = days[0]
    assert (monday["start"], monday["end"]) == ("2026-11-23T08:00:00+01:00",
                                                "2026-11-23T17:00:00+01:00")  # fmt: skip
    assert monday["lunch"] == {"earliest": "2026-11-23T12:00:00+01:00",
                               "latest": "2026-11-23T13:30:00+01:00", "minutes": 30}  # fmt: skip


def test_the_default_range_is_a_fortnight_from_today(client, backend):
    cal = client.get(f"/api/technicians/{jan(client)}/calendar").json()
    assert cal["pattern"] is None and len(cal["days"]) == 14
    assert cal["days"][0]["date"] == "2026-11-24" and cal["days"][0]["source"] == "shift"


def test_sick_today_unassigns_his_planned_visits_with_the_reason(client, backend):
    booked = client.post("/api/tickets", json=BODY).json()
    tid = booked["assignment"]["technician_id"]
    r = client.post(f"/api/technicians/{tid}/calendar/exceptions",
                    json={"date": "2026-11-24", "kind": "sick", "note": "flu"})  # fmt: skip
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["today"]["released"] == [booked["id"]] and out["today"]["kept"] == []
    assert out["exception"]["kind"] == "sick" and out["exception"]["note"] == "flu"
    ticket = client.get(f"/api/tickets/{booked['id']}").json()
    assert ticket["status"] == "unassigned" and ticket["assignment"] is None
    assert ticket["reason"].endswith("is off sick today"), ticket
    assert client.get(f"/api/technicians/{tid}/route").json()["stops"] == []
    day = client.get(f"/api/technicians/{tid}/calendar?from=2026-11-24&to=2026-11-24").json()
    assert day["days"][0]["working"] is False and day["days"][0]["source"] == "sick"

    again = client.post(f"/api/technicians/{tid}/calendar/exceptions",
                        json={"date": "2026-11-24", "kind": "off"})  # fmt: skip
    assert_problem(again, 409, "already has an exception", "delete it first")
    gone = client.delete(f"/api/technicians/{tid}/calendar/exceptions/{out['exception']['id']}")
    assert gone.status_code == 200, gone.text
    assert client.delete(
        f"/api/technicians/{tid}/calendar/exceptions/{out['exception']['id']}"
    ).status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "says"),
    [
        ("put", "pattern", {"days": {"mon": {"start": "17:00", "end": "08:00"}}}, 422,
         "ends before it starts"),
        ("put", "pattern", {"days": {"mon": {**OFFICE, "end": "12:00"}}}, 422,
         "not inside the shift"),
        ("put", "pattern", {"zone": "Mars/Olympus", "days": {}}, 422, "unknown time zone"),
        ("put", "pattern", {"zone": "Europe", "days": {}}, 422, "unknown time zone"),
        ("put", "pattern", {"days": {"mon": {"start": "08:00Z", "end": "17:00"}}}, 422,
         "without a UTC offset"),
        ("get", "?from=9999-12-31", None, 422, "dates run to"),
        ("get", "?from=1900-01-01&to=1900-01-02", None, 422, "dates run from"),
        ("post", "exceptions", {"date": "9999-01-01", "kind": "off"}, 422, "outside the calendar"),
        ("put", "pattern", {"days": {"funday": OFFICE}}, 422, "funday"),
        ("post", "exceptions", {"date": "2026-12-01", "kind": "hours"}, 422, "needs its hours"),
        ("post", "exceptions", {"date": "2026-12-01", "kind": "sick", "hours": OFFICE}, 422,
         "has no hours"),
        ("post", "exceptions", {"date": "2026-12-01", "kind": "holiday"}, 422, "kind"),
        ("post", "exceptions", {"date": "2026-13-01", "kind": "off"}, 422, "date"),
        ("get", "?from=2026-12-02&to=2026-12-01", None, 422, "before it starts"),
        ("get", "?from=2026-01-01&to=2027-06-01", None, 422, "at most 366"),
        ("get", "?from=yesterday", None, 422, "from"),
    ],
)  # fmt: skip
def test_impossible_calendars_are_clear_problems(client, backend, method, path, body, status,
                                                 says):  # fmt: skip
    url = f"/api/technicians/{jan(client)}/calendar" + (f"/{path}" if path[0] != "?" else path)
    r = getattr(client, method)(url, **({"json": body} if body is not None else {}))
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert says in r.text


def test_an_unknown_technician_is_404(client, backend):
    assert_problem(client.get("/api/technicians/9999/calendar"), 404, "9999")
    r = client.put("/api/technicians/9999/calendar/pattern", json=WEEK)
    assert_problem(r, 404, "9999")
