"""The helpdesk flow over HTTP: quote while on the phone, then book with a click."""

BODY = {
    "customer": {"name": "Karel Hermans", "phone": "+32 470 2", "locale": "nl"},
    "location": {"lat": 51.0745, "lon": 4.2885},
    "kind": "cable_stuck",
    "skills": ["cable_release"],
    "duration_min": 30,
    "property_at_risk": True,
}


def quote(client, **changes):
    r = client.post("/api/tickets", json={**BODY, **changes, "quote": True})
    assert r.status_code == 201, r.text
    return r.json()


def test_quote_keeps_the_ticket_open_and_returns_ranked_candidates(client, backend):
    t = quote(client)
    assert t["status"] == "open" and t["assignment"] is None
    q = t["quote"]
    assert q["urgency"]["reasons"] == ["unattended property at risk"]
    first = q["candidates"][0]
    for key in ("technician_id", "name", "travel_min", "eta", "window", "added_travel_min"):
        assert key in first
    assert first["affected_visits"] == [] or all(
        "old_eta" in a and "new_eta" in a for a in first["affected_visits"]
    )
    values = [c["score"]["value"] for c in q["candidates"]]
    assert values == sorted(values)
    again = client.get(f"/api/tickets/{t['id']}/candidates?limit=2").json()
    assert len(again["candidates"]) <= 2
    assert again["candidates"][0]["technician_id"] == first["technician_id"]


def test_booking_a_candidate_puts_the_visit_on_that_route(client, backend):
    t = quote(client)
    pick = t["quote"]["candidates"][1]
    r = client.post(
        f"/api/tickets/{t['id']}/book",
        json={"technician_id": pick["technician_id"], "route_version": pick["route_version"]},
    )
    assert r.status_code == 200, r.text
    booked = r.json()["ticket"]
    assert booked["status"] == "assigned"
    assert booked["assignment"]["technician_id"] == pick["technician_id"]
    assert booked["assignment"]["window"] == pick["window"]
    stops = client.get(f"/api/technicians/{pick['technician_id']}/route").json()["stops"]
    assert t["id"] in [s["ticket_id"] for s in stops]
    # a double click books once
    again = client.post(f"/api/tickets/{t['id']}/book", json={"technician_id": "best"})
    assert again.status_code == 200
    stops = client.get(f"/api/technicians/{pick['technician_id']}/route").json()["stops"]
    assert [s["ticket_id"] for s in stops].count(t["id"]) == 1


def test_a_stale_quote_gets_409_with_fresh_candidates(client, backend):
    a, b = quote(client), quote(client)
    tech = a["quote"]["candidates"][0]
    seen_by_b = next(
        c for c in b["quote"]["candidates"] if c["technician_id"] == tech["technician_id"]
    )
    assert (
        client.post(
            f"/api/tickets/{a['id']}/book", json={"technician_id": tech["technician_id"]}
        ).status_code
        == 200
    )
    r = client.post(
        f"/api/tickets/{b['id']}/book",
        json={
            "technician_id": seen_by_b["technician_id"],
            "route_version": seen_by_b["route_version"],
        },
    )
    assert r.status_code == 409
    problem = r.json()
    assert "changed" in problem["detail"]
    fresh = {c["technician_id"]: c for c in problem["candidates"]["candidates"]}
    assert fresh[tech["technician_id"]]["route_version"] > seen_by_b["route_version"]


def test_bad_booking_requests_get_clear_errors(client, backend):
    t = quote(client)
    r = client.post(f"/api/tickets/{t['id']}/book", json={"technician_id": "someone"})
    assert r.status_code == 422 and "technician_id" in r.json()["detail"]
    r = client.post(f"/api/tickets/{t['id']}/book", json={"technician_id": 99999})
    assert r.status_code == 404 and "technician 99999 does not exist" in r.json()["detail"]
    assert client.post("/api/tickets/99999/book", json={}).status_code == 404
    assert client.get("/api/tickets/99999/candidates").status_code == 404
    r = client.get(f"/api/tickets/{t['id']}/candidates?limit=0")
    assert r.status_code == 422 and "limit" in r.json()["detail"]
