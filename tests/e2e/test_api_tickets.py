"""The HTTP contract, as a helpdesk tool, a technician's phone and a customer see it."""

from datetime import datetime, timedelta

import pytest

BODY = {
    "customer": {
        "name": "An Aerts",
        "phone": "+32 470 1",
        "email": "an@example.org",
        "locale": "nl",
    },
    "location": {"lat": 51.0745, "lon": 4.2885},
    "kind": "cable_stuck",
    "skills": ["ac_charger"],
    "duration_min": 30,
    "priority": "normal",
}


def body(**changes):
    out = {**BODY, **changes}
    return {k: v for k, v in out.items() if v is not None}


def assert_problem(resp, status: int, *phrases: str):
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    problem = resp.json()
    assert problem["status"] == status
    for phrase in phrases:
        assert phrase in problem["detail"], problem["detail"]
    return problem


def test_health(client, backend):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_ticket_is_booked_shown_on_the_route_and_trackable(client, backend):
    r = client.post("/api/tickets", json=BODY)
    assert r.status_code == 201, r.text
    ticket = r.json()
    assert ticket["status"] == "assigned"
    a = ticket["assignment"]
    eta = datetime.fromisoformat(a["eta"])
    start, end = (datetime.fromisoformat(a["window"][k]) for k in ("start", "end"))
    assert eta.utcoffset() is not None
    assert start <= eta <= end

    techs = {t["id"]: t for t in client.get("/api/technicians").json()}
    assert "ac_charger" in techs[a["technician_id"]]["skills"]

    route = client.get(f"/api/technicians/{a['technician_id']}/route").json()
    assert route["technician_id"] == a["technician_id"]
    stop = next(s for s in route["stops"] if s["ticket_id"] == ticket["id"])
    assert stop["window"] == a["window"]
    assert stop["status"] == "planned"
    assert (stop["lat"], stop["lon"]) == (51.0745, 4.2885)

    again = client.get(f"/api/tickets/{ticket['id']}").json()
    assert again["assignment"] == a

    track = client.get(f"/api/track/{ticket['tracking_token']}")
    assert track.status_code == 200
    seen = track.json()
    assert seen["window"] == a["window"]
    assert seen["technician_first_name"] == a["technician_name"].split()[0]
    assert "An Aerts" not in track.text and "an@example.org" not in track.text


def test_tracking_shows_only_the_customers_own_visit(client, backend):
    one = client.post("/api/tickets", json=BODY).json()
    other = body(customer={"name": "Bram Secret", "email": "bram@example.org", "locale": "en"})
    client.post("/api/tickets", json=other)
    text = client.get(f"/api/track/{one['tracking_token']}").text
    assert "Bram" not in text and "bram@example.org" not in text
    assert_problem(client.get("/api/track/not-a-real-token"), 404, "tracking link")


def test_nobody_available_answers_201_with_a_null_assignment_and_a_reason(client, backend):
    r = client.post("/api/tickets", json=body(skills=["delivery", "dc_fast_charger"]))
    assert r.status_code == 201
    assert r.json()["assignment"] is None
    assert "no technician" in r.json()["reason"]


def test_a_retried_post_with_the_same_idempotency_key_books_once(client, backend):
    h = {"Idempotency-Key": "agent-7-call-123"}
    first = client.post("/api/tickets", json=BODY, headers=h)
    second = client.post("/api/tickets", json=BODY, headers=h)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    tech = first.json()["assignment"]["technician_id"]
    stops = client.get(f"/api/technicians/{tech}/route").json()["stops"]
    assert [s["ticket_id"] for s in stops].count(first.json()["id"]) == 1
    assert_problem(
        client.post("/api/tickets", json=body(duration_min=45), headers=h), 409, "already used"
    )


def test_malformed_json_is_a_400_with_a_clear_message(client, backend):
    r = client.post(
        "/api/tickets", content=b'{"customer": ', headers={"content-type": "application/json"}
    )
    assert_problem(r, 400, "not valid JSON")


@pytest.mark.parametrize(
    ("change", "phrase"),
    [
        ({"location": {"lat": 90.5, "lon": 4.29}}, "location.lat"),
        ({"location": {"lat": -91, "lon": 4.29}}, "location.lat"),
        ({"duration_min": 0}, "duration_min"),
        ({"duration_min": 481}, "duration_min"),
        ({"priority": "asap"}, "priority"),
        ({"customer": {"name": ""}}, "customer.name"),
    ],
    ids=[
        "lat-above-90",
        "lat-below-minus-90",
        "duration-0",
        "duration-over-8h",
        "priority",
        "name",
    ],
)
def test_out_of_range_fields_are_named(client, backend, change, phrase):
    assert_problem(client.post("/api/tickets", json=body(**change)), 422, phrase)


def test_window_ending_before_it_starts_is_refused(client, backend):
    start = datetime(2026, 11, 24, 14, 0).isoformat() + "+01:00"
    end = datetime(2026, 11, 24, 12, 0).isoformat() + "+01:00"
    r = client.post("/api/tickets", json=body(window={"start": start, "end": end}))
    assert_problem(r, 422, "window", "before it starts")


def test_window_without_offset_or_in_the_past_is_refused(client, backend):
    naive = {"start": "2026-11-24T14:00:00", "end": "2026-11-24T16:00:00"}
    assert_problem(client.post("/api/tickets", json=body(window=naive)), 422, "window.start")
    past = {"start": "2026-11-23T14:00:00+01:00", "end": "2026-11-23T16:00:00+01:00"}
    assert_problem(client.post("/api/tickets", json=body(window=past)), 422, "in the past")


def test_unknown_skills_are_refused_and_the_known_ones_listed(client, backend):
    r = client.post("/api/tickets", json=body(skills=["ac_charger", "time_travel"]))
    assert_problem(r, 422, "unknown skill(s): time_travel", "known skills are", "ac_charger")


@pytest.mark.parametrize("missing", ["customer", "location", "kind", "duration_min"])
def test_missing_fields_are_named(client, backend, missing):
    payload = {k: v for k, v in BODY.items() if k != missing}
    assert_problem(client.post("/api/tickets", json=payload), 422, f"{missing} is required")


def test_nested_missing_field_is_named(client, backend):
    r = client.post("/api/tickets", json=body(location={"lat": 51.07}))
    assert_problem(r, 422, "location.lon is required")


def test_unknown_ids_are_404_problems(client, backend):
    assert_problem(client.get("/api/tickets/999999"), 404, "ticket 999999")
    assert_problem(client.get("/api/technicians/999999/route"), 404, "technician 999999")
    assert_problem(client.get("/api/tickets/abc"), 422, "ticket_id")
    assert_problem(client.get("/nowhere"), 404, "/nowhere")


def test_windows_are_respected_end_to_end(client, backend):
    start = (datetime.fromisoformat("2026-11-24T13:00:00+01:00")).isoformat()
    end = (datetime.fromisoformat("2026-11-24T13:00:00+01:00") + timedelta(hours=2)).isoformat()
    r = client.post("/api/tickets", json=body(window={"start": start, "end": end}))
    a = r.json()["assignment"]
    assert datetime.fromisoformat(start) <= datetime.fromisoformat(a["eta"])
    assert datetime.fromisoformat(a["window"]["start"]) >= datetime.fromisoformat(start)


def test_openapi_documents_every_endpoint_with_examples(client, backend):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/healthz",
        "/api/tickets",
        "/api/tickets/{ticket_id}",
        "/api/technicians/{technician_id}/route",
        "/api/track/{tracking_token}",
    ):
        assert path in paths, path
    ticket_schema = spec["components"]["schemas"]["TicketIn"]
    assert ticket_schema["examples"][0]["kind"] == "cable_stuck"


def test_each_stop_hands_off_to_navigation_apps(client, backend):
    t = client.post("/api/tickets", json=BODY).json()
    route = client.get(f"/api/technicians/{t['assignment']['technician_id']}/route").json()
    nav = next(s for s in route["stops"] if s["ticket_id"] == t["id"])["navigation"]
    assert nav["geo"].startswith("geo:51.074500,4.288500")
    assert "destination=51.074500%2C4.288500" in nav["google_maps"]
    assert "ll=51.074500%2C4.288500" in nav["waze"] and "navigate=yes" in nav["waze"]


def test_an_unreachable_osrm_server_is_a_503_and_nothing_is_stored(engine, fleet, clock, backend):
    from bearer_tokens import bearer
    from fastapi.testclient import TestClient

    from api.app import create_app
    from dispatch.config import Settings
    from solver.traveltime.osrm import OsrmClient

    dead = OsrmClient("http://127.0.0.1:9", timeout_s=0.5)
    app = create_app(
        Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"}),
        engine=engine, clock=clock, travel=dead,
    )  # fmt: skip
    c = TestClient(app, raise_server_exceptions=False, headers=bearer())
    r = c.post("/api/tickets", json=BODY)
    assert_problem(r, 503, "unreachable", "nothing was changed")
    assert c.get("/api/tickets/1").status_code == 404
