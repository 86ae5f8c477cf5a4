"""A technician's phone posting events over HTTP."""

import random

TICKET = {
    "customer": {"name": "Nele Nijs"},
    "location": {"lat": 51.0775, "lon": 4.2890},
    "kind": "cable_stuck",
    "skills": ["cable_release"],
    "duration_min": 30,
}


def booked(client):
    t = client.post("/api/tickets", json=TICKET).json()
    return t["id"], t["assignment"]["technician_id"]


def test_events_update_the_route_at_once(client, backend):
    ticket, tech = booked(client)
    day = [
        {
            "event_id": "p1",
            "type": "en_route",
            "at": "2026-11-24T09:01:00+01:00",
            "ticket_id": ticket,
        },
        {
            "event_id": "p2",
            "type": "position",
            "at": "2026-11-24T09:03:00+01:00",
            "lat": 51.076,
            "lon": 4.289,
        },
        {
            "event_id": "p3",
            "type": "arrived",
            "at": "2026-11-24T09:05:00+01:00",
            "ticket_id": ticket,
        },
    ]
    r = client.post(f"/api/technicians/{tech}/events", json=day)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 3 and body["state"]["activity"] == "on_site"
    assert body["state"]["position"] == {"lat": 51.076, "lon": 4.289}
    stop = next(
        s
        for s in client.get(f"/api/technicians/{tech}/route").json()["stops"]
        if s["ticket_id"] == ticket
    )
    assert stop["status"] == "arrived"
    track = client.get(
        f"/api/track/{client.get(f'/api/tickets/{ticket}').json()['tracking_token']}"
    )
    assert track.json()["status"] == "arrived"
    shuffled = day * 2
    random.Random(1).shuffle(shuffled)
    again = client.post(f"/api/technicians/{tech}/events", json=shuffled).json()
    assert again["accepted"] == 0 and again["duplicates"] == 6
    assert again["state"] == body["state"]


def test_impossible_transition_is_a_409_naming_the_state(client, backend):
    ticket, tech = booked(client)
    r = client.post(
        f"/api/technicians/{tech}/events",
        json=[
            {
                "event_id": "x1",
                "type": "completed",
                "at": "2026-11-24T09:01:00+01:00",
                "ticket_id": ticket,
            }
        ],
    )
    assert r.status_code == 409
    assert "never started" in r.json()["detail"] and "the technician was idle" in r.json()["detail"]


def test_malformed_events_get_clear_422s(client, backend):
    _ticket, tech = booked(client)
    url = f"/api/technicians/{tech}/events"
    at = "2026-11-24T09:01:00+01:00"
    cases = [
        ([{"event_id": "a", "type": "teleported", "at": at}], "type"),
        ([{"event_id": "a", "type": "position", "at": at, "lat": 51.0}], "lat and lon"),
        ([{"event_id": "a", "type": "delayed", "at": at}], "delay_min"),
        ([{"event_id": "a", "type": "arrived", "at": at}], "needs a ticket_id"),
        ([{"event_id": "a", "type": "arrived", "at": at, "ticket_id": 424242}], "not on the route"),
        ([{"event_id": "a", "type": "position", "at": "yesterday"}], "at"),
        ({"event_id": "a"}, "list"),
    ]
    for payload, phrase in cases:
        r = client.post(url, json=payload)
        assert r.status_code == 422, (payload, r.text)
        assert phrase in r.json()["detail"], (phrase, r.json()["detail"])
    assert client.post("/api/technicians/99999/events", json=[]).status_code == 404


def test_position_only_posts_keep_the_activity_and_move_the_technician(client, backend):
    ticket, tech = booked(client)
    url = f"/api/technicians/{tech}/events"
    at = "2026-11-24T09:0{}:00+01:00"
    client.post(
        url, json=[{"event_id": "s1", "type": "en_route", "at": at.format(1), "ticket_id": ticket}]
    )
    r = client.post(
        url,
        json=[
            {"event_id": "g1", "type": "position", "at": at.format(3), "lat": 51.07, "lon": 4.28}
        ],
    )
    assert r.json()["state"]["activity"] == "driving"
    assert r.json()["state"]["position"] == {"lat": 51.07, "lon": 4.28}
    # an older position arriving late does not move the technician back
    late = [{"event_id": "g0", "type": "position", "at": at.format(2), "lat": 51.0, "lon": 4.2}]
    assert client.post(url, json=late).json()["state"]["position"] == {"lat": 51.07, "lon": 4.28}
    again = client.post(url, json=late).json()
    assert again["duplicates"] == 1 and again["accepted"] == 0


def test_an_event_from_a_broken_phone_clock_is_refused_and_changes_nothing(client, backend):
    from test_api_tickets import assert_problem

    future = [{"event_id": "clock-1", "type": "position", "at": "2030-01-01T00:00:00Z",
               "lat": 51.07, "lon": 4.25}]  # fmt: skip
    assert_problem(client.post("/api/technicians/1/events", json=future), 422, "phone's clock")
    empty = [{"event_id": "pos-1", "type": "position", "at": "2026-11-24T07:59:00Z"}]
    assert_problem(client.post("/api/technicians/1/events", json=empty), 422, "without lat")
    state = client.get("/api/technicians/1/route")
    assert state.status_code == 200
