"""Moving a booked visit to another technician (the board's drag), on SQLite and
PostgreSQL: the window holds or the move is refused with why; started work stays; a
stale board is a 409; the customer is told the new name and the audit says who."""

from __future__ import annotations

from datetime import timedelta

from test_api_tickets import assert_problem


def _board(client) -> dict[int, dict]:
    return {r["technician_id"]: r for r in client.get("/api/board").json()["technicians"]}


def test_a_visit_moves_with_its_window_and_the_customer_hears_the_new_name(
        client, fleet, clock, book_for, backend):  # fmt: skip
    jan, [ticket] = book_for("cpo-jan", [(0.004, 0.0)])
    with fleet:
        fatima = fleet.technicians.by_code("cpo-fatima")
    before = client.get(f"/api/tickets/{ticket}").json()["assignment"]
    rows = _board(client)
    assert any(v["ticket_id"] == ticket for v in rows[jan.id]["visits"])
    r = client.post(f"/api/tickets/{ticket}/move",
                    json={"technician_id": fatima.id,
                          "route_version": rows[fatima.id]["route_version"]})  # fmt: skip
    assert r.status_code == 200, r.text
    after = client.get(f"/api/tickets/{ticket}").json()["assignment"]
    assert after["technician_id"] == fatima.id and after["window"] == before["window"]
    said = [e["what"] for e in client.get(f"/api/tickets/{ticket}/history").json()]
    assert "VisitReassigned" in said
    audit = client.get("/api/audit", params={"subject": f"ticket:{ticket}"}).json()
    assert audit[0]["action"] == "moved" and audit[0]["actor"] == "admin:test-admin"
    assert audit[0]["detail"] == f"from technician {jan.id} to {fatima.id}"


def test_a_stale_board_a_started_visit_and_missing_skills_are_refused(
        client, fleet, clock, book_for, backend):  # fmt: skip
    jan, [ticket, far] = book_for("cpo-jan", [(0.004, 0.0), (0.006, 0.0)])
    with fleet:
        fatima = fleet.technicians.by_code("cpo-fatima")
    rows = _board(client)
    stale = {"technician_id": fatima.id, "route_version": rows[fatima.id]["route_version"] + 1}
    assert_problem(client.post(f"/api/tickets/{ticket}/move", json=stale), 409,
                   "changed since the board was drawn")  # fmt: skip
    here = {"technician_id": jan.id, "route_version": rows[jan.id]["route_version"]}
    assert_problem(client.post(f"/api/tickets/{ticket}/move", json=here), 409, "already")
    step = {"event_id": "m1", "type": "en_route", "at": clock.now().isoformat(),
            "ticket_id": ticket}  # fmt: skip
    assert client.post(f"/api/technicians/{jan.id}/events", json=[step]).status_code == 200
    fresh = _board(client)[fatima.id]["route_version"]
    assert_problem(client.post(f"/api/tickets/{ticket}/move",
                               json={"technician_id": fatima.id, "route_version": fresh}),
                   409, "en_route; it stays with technician")  # fmt: skip
    with fleet:
        driver = fleet.technicians.by_code("drv-koen")
    version = _board(client)[driver.id]["route_version"]
    assert_problem(client.post(f"/api/tickets/{far}/move",
                               json={"technician_id": driver.id, "route_version": version}),
                   409, f"technician {driver.id} lacks ac_charger for ticket {far}")  # fmt: skip
    clock.advance(timedelta(minutes=1))
    assert client.post(f"/api/tickets/{far}/move", json={"technician_id": 999999,
                       "route_version": 1}).status_code == 404  # fmt: skip


def test_a_visit_moves_to_another_time_on_its_own_route(client, fleet, book_for, backend):
    """The board's horizontal drag: a position within the same route, stored with the
    visits renumbered; a window that would not hold, or a position with another
    technician, is a clear problem."""
    jan, ids = book_for("cpo-jan", [(0.003 * k, 0.0) for k in range(1, 9)])
    with fleet:
        fatima = fleet.technicians.by_code("cpo-fatima")
    version = _board(client)[jan.id]["route_version"]
    early = {"technician_id": jan.id, "route_version": version, "position": 0}
    # first, Jan would wait at its door for its window: the customers behind it pay
    assert_problem(client.post(f"/api/tickets/{ids[6]}/move", json=early), 409,
                   f"ticket {ids[0]} would be reached",
                   "after the window its customer was told")  # fmt: skip
    there = {"technician_id": fatima.id, "route_version": version, "position": 0}
    assert_problem(client.post(f"/api/tickets/{ids[6]}/move", json=there), 422, "own route")
    r = client.post(f"/api/tickets/{ids[6]}/move", json={**early, "position": 4})
    assert r.status_code == 200, r.text
    assert r.json() == {"ticket_id": ids[6], "technician_id": jan.id, "route_version": version + 1}
    row = _board(client)[jan.id]
    assert [v["ticket_id"] for v in row["visits"]] == [*ids[:4], ids[6], ids[4], ids[5], ids[7]]
    audit = client.get("/api/audit", params={"subject": f"ticket:{ids[6]}"}).json()
    assert audit[0]["action"] == "moved" and audit[0]["detail"].endswith("now open stop 5")
