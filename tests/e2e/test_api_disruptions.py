"""Disruptions over HTTP, on SQLite and PostgreSQL (issue 14, first part): a breakdown
declared, listed, seen by the quote, ended early; a phone's breakdown shows up for the
dispatcher; every impossible disruption is a clear 4xx problem."""


import pytest
from test_api_tickets import BODY, assert_problem


def jan(client) -> int:
    return next(t["id"] for t in client.get("/api/technicians").json() if t["code"] == "cpo-jan")


def candidates(client, ticket_id: int) -> set[int]:
    r = client.get(f"/api/tickets/{ticket_id}/candidates")
    assert r.status_code == 200, r.text
    return {c["technician_id"] for c in r.json()["candidates"]}


def test_a_declared_breakdown_takes_him_out_until_the_dispatcher_ends_it(client, backend):
    tid = jan(client)
    ticket = client.post("/api/tickets", json={**BODY, "quote": True}).json()
    assert tid in candidates(client, ticket["id"])
    flat = {"kind": "breakdown", "technician_id": tid, "repair_min": 120, "reason": "a flat tyre"}
    r = client.post("/api/disruptions", json=flat)
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["active"] and d["source"] == "dispatcher" and d["expected_end"].startswith(
        "2026-11-24T11:00:00")  # fmt: skip
    assert [x["id"] for x in client.get("/api/disruptions?active=true").json()] == [d["id"]]
    assert tid not in candidates(client, ticket["id"])
    ended = client.post(f"/api/disruptions/{d['id']}/end")
    assert ended.status_code == 200 and not ended.json()["active"]
    assert client.get("/api/disruptions?active=true").json() == []
    assert client.get(f"/api/disruptions/{d['id']}").json()["ended_at"] is not None
    assert tid in candidates(client, ticket["id"])
    assert_problem(client.post(f"/api/disruptions/{d['id']}/end"), 409, "over already")
    assert_problem(client.get("/api/disruptions/424242"), 404, "424242")


def test_a_phone_breakdown_is_there_for_the_dispatcher(client, backend, clock):
    tid = jan(client)
    event = {"event_id": "bd-9", "type": "breakdown", "at": clock.now().isoformat(),
             "delay_min": 45}  # fmt: skip
    r = client.post(f"/api/technicians/{tid}/events", json=[event])
    assert r.status_code in (200, 201, 202), r.text
    [d] = client.get("/api/disruptions?active=true").json()
    assert (d["kind"], d["technician_id"], d["source"]) == ("breakdown", tid, "phone")
    assert d["expected_end"] == "2026-11-24T09:45:00+01:00"  # 09:00 + 45 min, local time


def test_a_slowdown_over_an_area(client, backend):
    snow = {"kind": "slowdown", "reason": "snow and ice", "factor": 1.4, "repair_min": 300,
            "polygon": {"type": "Polygon", "coordinates": [[[4.2, 51.0], [4.4, 51.0],
                                                            [4.4, 51.2], [4.2, 51.2],
                                                            [4.2, 51.0]]]}}  # fmt: skip
    r = client.post("/api/disruptions", json=snow)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["factor"] == 1.4 and out["area"][0] == [51.0, 4.2] and len(out["area"]) == 4


@pytest.mark.parametrize(("body", "status", "phrase"), [
    ({"kind": "breakdown", "technician_id": 999999, "repair_min": 30, "reason": "x"}, 404,
     "999999"),
    ({"kind": "breakdown", "repair_min": 30, "reason": "x"}, 422, "one technician"),
    ({"kind": "slowdown", "repair_min": 30, "reason": "snow", "factor": 1.5}, 422, "an area"),
    ({"kind": "slowdown", "repair_min": 30, "reason": "snow",
      "box": {"south": 51.2, "west": 4.2, "north": 51.0, "east": 4.4}, "factor": 1.5}, 422,
     "south-west"),
    ({"kind": "unavailable", "technician_id": 1, "reason": "sick"}, 422, "expected_end"),
    ({"kind": "unavailable", "technician_id": 1, "reason": "sick", "repair_min": 30,
      "factor": 0.5}, 422, "factor"),
    ({"kind": "snow", "repair_min": 30, "reason": "x"}, 422, "kind"),
    ({"kind": "unavailable", "technician_id": 1, "reason": "sick",
      "start": "2026-11-24T06:00:00+01:00", "expected_end": "2026-11-24T07:00:00+01:00"}, 422,
     "over already"),
])  # fmt: skip
def test_a_disruption_that_cannot_be_is_a_clear_problem(client, backend, body, status, phrase):
    r = client.post("/api/disruptions", json=body)
    assert r.status_code == status, r.text
    assert phrase in r.text


def test_declaring_a_breakdown_hands_his_planned_work_over_at_once(client, backend, book_for):
    """Over HTTP and on both databases: the moment the dispatcher declares it, Jan's
    planned visits are someone else's, with the windows their customers were told."""
    tech, ids = book_for("cpo-jan", [(0.004, 0.004), (0.008, 0.0)])
    before = {t: client.get(f"/api/tickets/{t}").json()["assignment"] for t in ids}
    assert {a["technician_id"] for a in before.values()} == {tech.id}
    engine = {"kind": "breakdown", "technician_id": tech.id, "repair_min": 180,
              "reason": "engine trouble"}  # fmt: skip
    r = client.post("/api/disruptions", json=engine)
    assert r.status_code == 201, r.text
    for t in ids:
        after = client.get(f"/api/tickets/{t}").json()["assignment"]
        assert after["technician_id"] != tech.id
        assert after["window"] == before[t]["window"]  # the promise holds
    assert client.get(f"/api/technicians/{tech.id}/route").json()["stops"] == []


def test_snow_over_the_area_makes_the_drives_longer_and_only_while_it_lasts(client, backend):
    """Snow 07:00-12:00 with factor 1.4 over the area round the ticket: the quote's drive
    grows by 40 %; a ticket far outside is quoted as before; ended, it is gone."""
    ticket = client.post("/api/tickets", json={**BODY, "quote": True}).json()

    def drives() -> dict[int, float]:
        r = client.get(f"/api/tickets/{ticket['id']}/candidates?limit=50")
        return {c["technician_id"]: c["travel_min"] for c in r.json()["candidates"]}

    before = drives()
    everywhere = {"south": 50.9, "west": 4.0, "north": 51.3, "east": 4.6}
    snow = {"kind": "slowdown", "reason": "snow and ice", "factor": 1.4, "box": everywhere,
            "start": "2026-11-24T07:00:00+01:00",
            "expected_end": "2026-11-24T12:00:00+01:00"}  # fmt: skip
    made = client.post("/api/disruptions", json=snow)
    assert made.status_code == 201, made.text
    during = drives()
    assert before and set(during) == set(before)
    for tech, minutes in before.items():
        assert during[tech] == pytest.approx(minutes * 1.4, rel=0.02, abs=0.2)
    client.post(f"/api/disruptions/{made.json()['id']}/end")
    assert drives() == pytest.approx(before)


def test_a_phone_breakdown_hands_work_over_before_anyone_is_told_late(
    client, backend, clock, book_for
):
    """The phone reports a two-hour breakdown: the visits others can take keep their
    windows and their customers hear only the new name, never a "running late" first."""
    tech, ids = book_for("cpo-jan", [(0.004, 0.004), (0.008, 0.0)])
    told = {t: client.get(f"/api/tickets/{t}").json()["assignment"]["window"] for t in ids}
    event = {"event_id": "bd-1", "type": "breakdown", "at": clock.now().isoformat(),
             "delay_min": 120}  # fmt: skip
    assert client.post(f"/api/technicians/{tech.id}/events", json=[event]).status_code == 200
    for t in ids:
        now = client.get(f"/api/tickets/{t}").json()["assignment"]
        assert now["technician_id"] != tech.id and now["window"] == told[t]


def test_a_breakdown_over_http_offers_new_times_and_the_customer_answers(client, fleet, clock,
                                                                         backend):  # fmt: skip
    """The dispatcher declares it; the audit shows who was offered what; the customer
    reads the offer and picks another time through the tracking link (acceptance 2)."""
    from datetime import time, timedelta

    from dispatch.domain.calendar import Hours, WeeklyPattern
    from dispatch.domain.model import TimeWindow

    week = WeeklyPattern("Europe/Brussels", {d: Hours(time(8, 0), time(17, 0)) for d in range(5)})
    tid = jan(client)
    now = clock.now()
    with fleet:  # nobody else works today; everyone has a calendar for later dates
        for t in fleet.technicians.all():
            fleet.calendars.set_pattern(t.id, week, now)
            if t.id != tid:
                fleet.technicians.update_shift(t.id, TimeWindow(now - timedelta(hours=9), now))
        fleet.commit()
    r = client.post("/api/tickets", json=BODY)
    assert r.status_code == 201, r.text
    ticket = r.json()
    assert ticket["assignment"]["technician_id"] == tid
    flat = {"kind": "breakdown", "technician_id": tid, "repair_min": 480, "reason": "a flat tyre"}
    d = client.post("/api/disruptions", json=flat).json()
    shown = client.get(f"/api/disruptions/{d['id']}").json()
    assert shown["handled_at"] is not None and shown["summary"] == {"offered": 1}
    [effect] = shown["effects"]
    assert (effect["ticket_id"], effect["told"]) == (ticket["id"], "force_majeure")
    assert effect["from_technician_id"] == tid and not effect["needs_attention"]
    token = ticket["tracking_token"]
    offer = client.get(f"/api/track/{token}/offer").json()
    assert offer["status"] == "held" and len(offer["slots"]) >= 2 and offer["slots"][0]["held"]
    assert offer["slots"][0]["window"] == effect["window"]
    assert_problem(client.post(f"/api/track/{token}/reschedule", json={}), 422, "either")
    assert_problem(client.post(f"/api/track/{token}/reschedule", json={"slot": 9}), 422, "0 to")
    r = client.post(f"/api/track/{token}/reschedule", json={"slot": 1})
    assert r.status_code == 200, r.text
    assert r.json()["offer"]["status"] == "chosen"
    assert r.json()["window"]["start"] >= offer["slots"][1]["window"]["start"]
    assert_problem(client.post(f"/api/track/{token}/reschedule", json={"slot": 0}), 409,
                   "chosen already")  # fmt: skip
    assert_problem(client.get("/api/track/no-such-token-here/offer"), 404, "unknown")


@pytest.mark.parametrize(("body", "phrase"), [
    ({"kind": "breakdown", "technician_id": 1, "reason": "x", "repair_min": 89280,
      "start": "9999-12-31T23:00:00+01:00"}, "a year"),
    ({"kind": "breakdown", "technician_id": 1, "reason": "x",
      "start": "9999-12-31T23:00:00-12:00", "expected_end": "9999-12-31T23:30:00-12:00"},
     "a year"),
    ({"kind": "breakdown", "technician_id": 1, "reason": "x", "repair_min": 30, "factor": 2},
     "factor is for a slowdown"),
    ({"kind": "slowdown", "reason": "snow", "factor": 1.4, "repair_min": 60,
      "polygon": {"type": "Polygon", "coordinates": [[[4.2, 51.0], [4.3, 51.0], [4.4, 51.0]]]}},
     "no surface"),
    ({"kind": "slowdown", "reason": "snow", "factor": 1.4, "repair_min": 60,
      "polygon": {"type": "Polygon", "coordinates": [[[4.2, 51.0], [4.4, 51.2], [4.4, 51.0],
                                                      [4.2, 51.2]]]}}, "crosses itself"),
])  # fmt: skip
def test_found_by_trying_it_each_is_a_clear_422(client, backend, body, phrase):
    assert_problem(client.post("/api/disruptions", json=body), 422, phrase)


def test_a_slot_must_be_a_number_and_another_day_near_enough(client, backend):
    r = client.post("/api/track/abcdefgh12345678/reschedule", json={"slot": True})
    assert_problem(r, 422, "slot")
