"""Slots over HTTP on SQLite and PostgreSQL: a later date offered, booked with the body
the slot carries, shown on the ticket; a stale version is a 409 problem."""

from test_api_tickets import BODY, assert_problem

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
OFFICE = {"start": "08:00", "end": "17:00"}
WEEK = {"zone": "Europe/Brussels", "days": {d: OFFICE for d in WEEKDAYS}}


def quote_only(client) -> dict:
    r = client.post("/api/tickets", json={**BODY, "quote": True})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_later_slot_is_offered_booked_and_shown_on_the_ticket(client, backend):
    techs = client.get("/api/technicians").json()
    for t in techs:  # everyone works weekdays from tomorrow on
        r = client.put(f"/api/technicians/{t['id']}/calendar/pattern", json=WEEK)
        assert r.status_code == 200, r.text
    ticket = quote_only(client)
    r = client.get(f"/api/tickets/{ticket['id']}/slots?days=2&limit=50")
    assert r.status_code == 200, r.text
    slots = r.json()
    later = [s for s in slots if not s["today"]]
    assert {s["date"] for s in later} == {"2026-11-25", "2026-11-26"}
    assert all(s["keeps_promises"] for s in slots)
    wednesday = [s for s in later if s["date"] == "2026-11-25"]
    assert wednesday[0]["window"]["start"] == "2026-11-25T08:00:00+01:00"
    assert wednesday[0]["window"]["end"] == "2026-11-25T10:00:00+01:00"

    pick = wednesday[0]
    booked = client.post(f"/api/tickets/{ticket['id']}/book", json=pick["book"])
    assert booked.status_code == 200, booked.text
    out = booked.json()["ticket"]
    assert out["status"] == "assigned"
    assert out["assignment"]["technician_id"] == pick["technician_id"]
    assert out["assignment"]["window"] == pick["window"]
    shown = client.get(f"/api/tickets/{ticket['id']}").json()
    assert shown["assignment"] == out["assignment"]

    other = quote_only(client)
    stale = client.post(f"/api/tickets/{other['id']}/book", json=pick["book"])
    assert_problem(stale, 409, "changed")
    again = client.post(f"/api/tickets/{ticket['id']}/book", json={**pick["book"],
                                                                   "route_version": 1})  # fmt: skip
    assert_problem(again, 409, "booked already")


def test_slot_requests_that_cannot_be_are_clear_problems(client, backend):
    ticket = quote_only(client)
    assert_problem(client.get("/api/tickets/999999/slots"), 404, "999999")
    assert client.get(f"/api/tickets/{ticket['id']}/slots?days=0").status_code == 422
    assert client.get(f"/api/tickets/{ticket['id']}/slots?days=99").status_code == 422
    nowhere = {"technician_id": 1, "route_version": 0, "date": "2026-11-25",
               "window_start": "2026-11-25T08:07:00+01:00"}  # fmt: skip
    assert_problem(client.post(f"/api/tickets/{ticket['id']}/book", json=nowhere), 409,
                   "no calendar")  # fmt: skip
    half = {"technician_id": 1, "date": "2026-11-25"}  # a later date needs its window too
    assert_problem(client.post(f"/api/tickets/{ticket['id']}/book", json=half), 422,
                   "window_start")  # fmt: skip
    best = {"technician_id": "best", "date": "2026-11-25",
            "window_start": "2026-11-25T08:00:00+01:00"}  # fmt: skip
    assert_problem(client.post(f"/api/tickets/{ticket['id']}/book", json=best), 422,
                   "technician_id")  # fmt: skip


def test_a_customer_with_several_windows_is_offered_times_inside_them_only(client, backend):
    """"Wednesday morning or Thursday after 14:00", stored on both databases, shown on
    the ticket, and every slot offered inside one of the two."""
    for t in client.get("/api/technicians").json():
        client.put(f"/api/technicians/{t['id']}/calendar/pattern", json=WEEK)
    windows = [{"start": "2026-11-26T14:00:00+01:00", "end": "2026-11-26T18:00:00+01:00"},
               {"start": "2026-11-25T08:00:00+01:00", "end": "2026-11-25T12:00:00+01:00"}]
    r = client.post("/api/tickets", json={**BODY, "quote": True, "availability": windows})
    assert r.status_code == 201, r.text
    ticket = r.json()["ticket"] if "ticket" in r.json() else r.json()
    shown = client.get(f"/api/tickets/{ticket['id']}").json()
    assert [w["start"] for w in shown["availability"]] == [windows[1]["start"], windows[0]["start"]]
    slots = client.get(f"/api/tickets/{ticket['id']}/slots?days=3&limit=50").json()
    later = [s for s in slots if not s["today"]]
    starts = sorted(s["window"]["start"] for s in later)
    assert starts[0] == "2026-11-25T08:00:00+01:00"
    assert all(s.startswith(("2026-11-25T08", "2026-11-25T10", "2026-11-26T14",
                             "2026-11-26T16")) for s in starts)  # fmt: skip
    assert not any(s["today"] for s in slots)  # nobody can come today: not asked for today
    both = {**BODY, "window": windows[0], "availability": windows}
    assert_problem(client.post("/api/tickets", json=both), 422, "not both")
    many = {**BODY, "availability": windows * 6}
    assert client.post("/api/tickets", json=many).status_code == 422


def test_with_nobody_working_today_a_new_ticket_is_booked_for_the_next_morning(client, backend):
    """Everyone off today (say, a public holiday entered in the calendars): the ticket
    is not left waiting, it gets Wednesday's first slot."""
    for t in client.get("/api/technicians").json():
        client.put(f"/api/technicians/{t['id']}/calendar/pattern", json=WEEK)
        r = client.post(f"/api/technicians/{t['id']}/calendar/exceptions",
                        json={"date": "2026-11-24", "kind": "off", "note": "holiday"})  # fmt: skip
        assert r.status_code in (200, 201), r.text
    r = client.post("/api/tickets", json=BODY)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["status"] == "assigned", out
    assert out["assignment"]["window"]["start"] == "2026-11-25T08:00:00+01:00"
    assert out["assignment"]["technician_id"] in {t["id"] for t in client.get(
        "/api/technicians").json()}  # fmt: skip
    shown = client.get(f"/api/tickets/{out['id']}").json()
    assert shown["assignment"] == out["assignment"]  # stored, not only answered


def test_todays_slot_books_with_the_body_it_carries(client, backend):
    """A helpdesk agent copies the `book` body of today's best slot: it books."""
    ticket = quote_only(client)
    slots = client.get(f"/api/tickets/{ticket['id']}/slots?days=1").json()
    today = next(s for s in slots if s["today"])
    assert today["book"]["date"] == "2026-11-24" and today["book"]["window_start"] is None
    r = client.post(f"/api/tickets/{ticket['id']}/book", json=today["book"])
    assert r.status_code == 200, r.text
    assert r.json()["ticket"]["assignment"]["technician_id"] == today["technician_id"]


def test_a_window_no_later_day_can_hold_says_so(client, backend):
    """Nobody today, and the customer's only window (tomorrow 08:00-09:30) is narrower
    than a slot: the ticket waits, and its reason says later days were searched too."""
    for t in client.get("/api/technicians").json():
        client.put(f"/api/technicians/{t['id']}/calendar/pattern", json=WEEK)
        client.post(f"/api/technicians/{t['id']}/calendar/exceptions",
                    json={"date": "2026-11-24", "kind": "off"})  # fmt: skip
    narrow = {"start": "2026-11-25T08:00:00+01:00", "end": "2026-11-25T09:30:00+01:00"}
    r = client.post("/api/tickets", json={**BODY, "window": narrow})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["status"] == "unassigned" and out["assignment"] is None
    assert "no slot in the next 7 working days" in out["reason"], out["reason"]
    assert "customer's windows" in out["reason"]
