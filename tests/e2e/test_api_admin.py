"""What an admin manages (logins, API keys, the audit log) and the customer's link's
lifetime, over HTTP on SQLite and PostgreSQL (issue 16)."""

from __future__ import annotations

from datetime import timedelta

from bearer_tokens import as_caller, bearer
from sqlalchemy import text
from test_api_cases import TICKET, visit
from test_api_tickets import assert_problem

from dispatch.domain.users import Role


def test_an_api_key_works_in_its_role_until_revoked_and_is_kept_only_as_a_hash(
    client, engine, backend
):
    made = client.post("/api/keys", json={"name": "crm", "role": "agent"})
    assert made.status_code == 201, made.text
    key = made.json()["key"]
    assert key.startswith("fdk_") and len(key) >= 40
    crm = as_caller(client, {"X-API-Key": key})
    assert crm.post("/api/tickets", json=TICKET).status_code == 201
    assert_problem(crm.get("/api/disruptions"), 403, "an agent may not")
    listed = client.get("/api/keys").json()
    assert listed[0]["name"] == "crm" and listed[0]["key"] is None
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT digest, hint FROM api_keys")).one()
    assert key not in stored.digest and len(stored.digest) == 64 and key.startswith(stored.hint)
    assert client.delete(f"/api/keys/{made.json()['id']}").status_code == 204
    assert_problem(crm.get("/api/technicians"), 401, "unknown or revoked")
    assert_problem(as_caller(client, {"X-API-Key": "fdk_guess"}).get("/api/technicians"),
                   401, "unknown or revoked")  # fmt: skip
    assert_problem(client.post("/api/keys", json={"name": "phone", "role": "technician"}),
                   422, "agent, dispatcher, admin")  # fmt: skip


def test_the_audit_log_says_who_booked_cancelled_declared_and_changed_a_login(
    client, fleet, clock, backend
):
    agent = as_caller(client, bearer(Role.AGENT, None, "anna"))
    t = agent.post("/api/tickets", json=TICKET).json()
    tech = t["assignment"]["technician_id"]
    assert agent.post(f"/api/tickets/{t['id']}/cancel", json={"why": "solved itself"}
                      ).status_code == 200  # fmt: skip
    dispatcher = as_caller(client, bearer(Role.DISPATCHER, None, "dirk"))
    declared = dispatcher.post("/api/disruptions", json={
        "kind": "unavailable", "technician_id": tech, "reason": "dentist",
        "expected_end": (clock.now() + timedelta(hours=2)).isoformat()})  # fmt: skip
    assert declared.status_code == 201, declared.text
    added = client.post("/api/users", json={"username": "nele", "password": "long enough pw",
                                            "role": "agent"})  # fmt: skip
    assert added.status_code == 201, added.text
    assert client.post("/api/users/nele/disable").status_code == 204
    log = client.get("/api/audit").json()
    said = [(e["actor"], e["action"], e["subject"]) for e in reversed(log)]
    assert said == [
        ("agent:anna", "booked", f"ticket:{t['id']}"),
        ("agent:anna", "cancelled", f"ticket:{t['id']}"),
        ("dispatcher:dirk", "disruption declared", f"disruption:{declared.json()['id']}"),
        ("admin:test-admin", "user added", "user:nele"),
        ("admin:test-admin", "user disabled", "user:nele"),
    ]
    assert "by the agent" in log[-2]["detail"] and "dentist" in log[2]["detail"]
    only = client.get("/api/audit", params={"subject": f"ticket:{t['id']}", "limit": 1}).json()
    assert [e["action"] for e in only] == ["cancelled"]
    assert_problem(dispatcher.get("/api/audit"), 403, "allowed: admin")


def test_an_admin_cannot_lock_themselves_out(client, backend):
    assert_problem(client.post("/api/users/test-admin/disable"), 409, "your own login")
    assert_problem(client.post("/api/users/ghost/disable"), 404, "no user 'ghost'")


def test_a_reissued_tracking_link_replaces_the_old_one_at_once(client, backend):
    t = client.post("/api/tickets", json=TICKET).json()
    old = t["tracking_token"]
    new = client.post(f"/api/tickets/{t['id']}/tracking-link").json()
    assert new["tracking_token"] != old and new["tracking_url"].endswith(new["tracking_token"])
    assert len(new["tracking_token"]) >= 22  # 128 bits, url-safe
    nobody = as_caller(client)
    assert_problem(nobody.get(f"/api/track/{old}"), 404, "no visit")
    assert nobody.get(f"/api/track/{new['tracking_token']}").status_code == 200
    assert "reissued" in [e["action"].split(" ")[-1] for e in client.get("/api/audit").json()]


def test_a_tracking_link_expires_its_configured_days_after_the_case_closes(
    client, clock, backend
):
    t = visit(client, clock)
    link = f"/api/track/{t['tracking_token']}"
    nobody = as_caller(client)
    assert nobody.post(f"{link}/confirm", json={"solved": True}).status_code == 200
    clock.advance(timedelta(days=29))
    seen = nobody.get(link).json()
    assert seen["status"] == "done" and seen["technician_first_name"] == "Jan"
    assert "customer" not in seen and "phone" not in str(seen)  # no one's data but theirs
    clock.advance(timedelta(days=2))  # 31 days after closing; DISPATCH_TRACKING_DAYS=30
    assert_problem(nobody.get(link), 410, "expired 30 days after the case closed")
    assert_problem(nobody.post(f"{link}/opt-out", json={"channel": "email"}), 410, "expired")


def test_logging_in_is_rate_limited_per_username_with_retry_after(client, backend):
    def attempt(user: str):
        return as_caller(client).post("/api/auth/token",
                                      data={"username": user, "password": "wrong password"})

    assert [attempt("anna").status_code for _ in range(10)] == [401] * 10
    r = attempt("anna")
    assert_problem(r, 429, "too many login attempts")
    assert 1 <= int(r.headers["retry-after"]) <= 60
