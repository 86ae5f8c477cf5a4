"""The authorisation matrix, endpoint by role, on SQLite and PostgreSQL (issue 16,
acceptance 1): every route in ``api.access.MATRIX`` is asked by every role, by a
technician for their own and for a colleague's data, and by nobody.

Allowed means "not turned away": the request may still be a 404 or a 422 (the test
sends an empty body), but never a 401 or a 403, and never a 500. Denied is a 403 whose
detail says who may; nobody at all is a 401 saying how to log in.
"""

from __future__ import annotations

import re

import pytest
from bearer_tokens import as_caller, bearer
from fastapi.routing import APIRoute
from test_api_tickets import assert_problem

from api.access import MATRIX, is_public
from dispatch.domain.users import Role

CALLERS = ["agent", "dispatcher", "technician-own", "technician-other", "admin"]
CODES = {"agent": "A", "dispatcher": "D", "technician-own": "T", "technician-other": "t",
         "admin": "X"}  # fmt: skip
# Who may, written out on its own (not read from api.access): agent A, dispatcher D, a
# technician on their own data T, on a colleague's t, admin X.
EXPECTED = {
    ("GET", "/api/auth/me"): "A D T t X",
    ("GET", "/api/kinds"): "A D X",
    ("POST", "/api/tickets"): "A D X",
    ("GET", "/api/tickets/{ticket_id}"): "A D X",
    ("GET", "/api/tickets/{ticket_id}/candidates"): "A D X",
    ("POST", "/api/tickets/{ticket_id}/book"): "A D X",
    ("GET", "/api/tickets/{ticket_id}/messages"): "A D X",
    ("GET", "/api/tickets/{ticket_id}/slots"): "A D X",
    ("POST", "/api/tickets/{ticket_id}/cancel"): "A D X",
    ("GET", "/api/tickets/{ticket_id}/history"): "A D X",
    ("POST", "/api/tickets/{ticket_id}/contacts"): "A D X",
    ("POST", "/api/tickets/{ticket_id}/tracking-link"): "A D X",
    ("GET", "/api/followups"): "A D X",
    ("POST", "/api/followups/{followup_id}/outcome"): "A D X",
    ("GET", "/api/technicians"): "A D X",
    ("GET", "/api/board"): "A D X",
    ("GET", "/api/map/roads"): "A D X",
    ("GET", "/api/map/streets"): "A D X",
    ("GET", "/api/stream"): "A D X",
    ("GET", "/api/attention"): "A D X",
    ("POST", "/api/tickets/{ticket_id}/move"): "D X",
    ("GET", "/api/technicians/{technician_id}/route"): "A D T X",
    ("POST", "/api/technicians/{technician_id}/events"): "D T X",
    ("GET", "/api/technicians/{technician_id}/calendar"): "A D T X",
    ("PUT", "/api/technicians/{technician_id}/calendar/pattern"): "D X",
    ("POST", "/api/technicians/{technician_id}/calendar/exceptions"): "D X",
    ("DELETE", "/api/technicians/{technician_id}/calendar/exceptions/{exception_id}"): "D X",
    ("POST", "/api/disruptions"): "D X",
    ("GET", "/api/disruptions"): "D X",
    ("GET", "/api/disruptions/{disruption_id}"): "D X",
    ("POST", "/api/disruptions/{disruption_id}/end"): "D X",
    ("GET", "/api/reports/service"): "D X",
    ("GET", "/api/reports/technicians"): "D X",
    ("GET", "/api/messages/dead"): "D X",
    ("GET", "/api/webhooks"): "X",
    ("POST", "/api/webhooks"): "X",
    ("DELETE", "/api/webhooks/{endpoint_id}"): "X",
    ("GET", "/api/keys"): "X",
    ("POST", "/api/keys"): "X",
    ("DELETE", "/api/keys/{key_id}"): "X",
    ("GET", "/api/users"): "X",
    ("POST", "/api/users"): "X",
    ("POST", "/api/users/{username}/disable"): "X",
    ("POST", "/api/users/{username}/enable"): "X",
    ("GET", "/api/audit"): "X",
}


def _headers(who: str, own: int) -> dict[str, str]:
    if who.startswith("technician"):
        return bearer(Role.TECHNICIAN, own if who == "technician-own" else own + 1, "jan")
    return bearer(Role(who), None, who)


def _url(path: str, own: int) -> str:
    path = path.replace("{technician_id}", str(own)).replace("{username}", "nobody")
    return re.sub(r"\{[a-z_]+\}", "999", path)


def _expected(method: str, path: str, who: str) -> bool:
    return CODES[who] in EXPECTED[(method, path)].split()


def _call(c, method: str, url: str):
    if url == "/api/stream":  # endless when allowed: the status is all we wait for
        with c.stream(method, url) as r:
            if r.status_code != 200:
                r.read()  # a problem: its body is short
            return r
    if method in ("POST", "PUT"):
        return c.request(method, url, json={} if not url.endswith("/events") else [])
    return c.request(method, url)


def test_every_endpoint_by_every_role(client, fleet, backend):
    with fleet:
        own = fleet.technicians.by_code("cpo-jan").id  # type: ignore[union-attr]
    assert set(EXPECTED) == set(MATRIX)  # a new route gets a line in both
    seen = []
    for (method, path) in sorted(EXPECTED):
        url = _url(path, own)
        anonymous = _call(as_caller(client), method, url)
        assert_problem(anonymous, 401, "log in first")
        assert anonymous.headers["www-authenticate"] == "Bearer"
        for who in CALLERS:
            r = _call(as_caller(client, _headers(who, own)), method, url)
            assert r.status_code < 500, (method, url, who, r.text)
            allowed = r.status_code not in (401, 403)
            assert allowed == _expected(method, path, who), (method, url, who, r.text)
            seen.append((method, path, who, allowed))
    assert len(seen) == len(MATRIX) * len(CALLERS)
    denied = {(m, p) for m, p, who, ok in seen if who == "technician-other" and not ok}
    assert ("GET", "/api/technicians/{technician_id}/route") in denied  # a colleague's route
    assert ("POST", "/api/technicians/{technician_id}/events") in denied


def test_a_technician_reading_a_colleagues_route_is_told_whose_it_is(client, fleet, backend):
    with fleet:
        own = fleet.technicians.by_code("cpo-jan").id  # type: ignore[union-attr]
    phone = as_caller(client, bearer(Role.TECHNICIAN, own, "jan"))
    assert phone.get(f"/api/technicians/{own}/route").status_code == 200
    assert_problem(phone.get(f"/api/technicians/{own + 1}/route"), 403,
                   f"another technician's; you are technician {own}")  # fmt: skip
    assert_problem(phone.get("/api/tickets/1"), 403, "a technician may not",
                   "allowed: admin, agent, dispatcher")  # fmt: skip
    agent = as_caller(client, bearer(Role.AGENT, None, "anna"))
    assert_problem(agent.post("/api/disruptions", json={}), 403, "an agent may not POST")


def test_the_tracking_link_health_and_login_need_no_login(client, backend):
    nobody = as_caller(client)
    assert nobody.get("/healthz").status_code == 200
    assert_problem(nobody.get("/api/track/not-a-real-token"), 404, "no visit")
    assert nobody.get("/openapi.json").status_code == 200
    assert nobody.get("/docs").status_code == 200
    assert nobody.post("/api/auth/token", data={"username": "x", "password": "y"}
                       ).status_code == 401  # fmt: skip


def test_every_route_is_in_the_matrix_and_an_unlisted_one_is_open_to_nobody(client, backend):
    app = client.app
    routes = [r for r in app.routes if isinstance(r, APIRoute)]
    for r in routes:
        for method in r.methods - {"HEAD"}:
            assert is_public(r.path) or (method, r.path) in MATRIX, f"{method} {r.path}"

    def secret() -> dict[str, str]:
        return {"secret": "!"}

    app.add_api_route("/api/unlisted", secret, methods=["GET"])
    assert_problem(client.get("/api/unlisted"), 403, "GET /api/unlisted is open to no role")


def test_the_openapi_page_can_log_in_and_says_who_may(client, backend):
    doc = client.get("/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    assert schemes["OAuth2Password"]["flows"]["password"]["tokenUrl"] == "/api/auth/token"
    assert schemes["ApiKey"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    book = doc["paths"]["/api/tickets/{ticket_id}/book"]["post"]
    assert "Roles: admin, agent, dispatcher." in book["description"]
    assert {"401", "403", "404", "409", "413", "422"} <= set(book["responses"])
    example = book["responses"]["403"]["content"]["application/problem+json"]["example"]
    assert example["status"] == 403
    assert doc["paths"]["/api/track/{tracking_token}"]["get"]["security"] == []


@pytest.mark.parametrize("header", ["Bearer", "Basic abc", "Bearer  ", "Token x.y.z"])
def test_a_malformed_authorization_header_is_a_401(client, header, backend):
    r = as_caller(client, {"Authorization": header}).get("/api/technicians")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
