"""Logging in over HTTP (issue 16), on SQLite and PostgreSQL: the OAuth2 password flow
gives a short-lived access token and a refresh token; every way a token can be wrong is
a 401 that says how to authenticate; production refuses the demo secret."""

from datetime import timedelta

import pytest
from bearer_tokens import as_caller
from test_api_tickets import assert_problem
from typer.testing import CliRunner

from api.cli.main import app
from dispatch.config import Settings
from dispatch.domain.users import Role
from dispatch.services.users import add_user, set_disabled

PASSWORD = "correct horse battery"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client, username: str = "nele", password: str = PASSWORD):
    return client.post("/api/auth/token", data={"username": username, "password": password})


def test_log_in_ask_who_you_are_and_refresh(client, fleet, clock, backend):
    add_user(fleet, clock, "nele", PASSWORD, Role.DISPATCHER)
    tokens = login(client).json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 900
    me = client.get("/api/auth/me", headers=bearer(tokens["access_token"]))
    assert me.json() == {"username": "nele", "role": "dispatcher", "technician_id": None}
    clock.advance(timedelta(minutes=16))  # the access token has run out ...
    expired = client.get("/api/auth/me", headers=bearer(tokens["access_token"]))
    assert_problem(expired, 401, "expired")
    fresh = client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert fresh.status_code == 200  # ... the refresh token buys a new one
    again = client.get("/api/auth/me", headers=bearer(fresh.json()["access_token"]))
    assert again.status_code == 200


def test_every_wrong_login_or_token_is_a_401_saying_how_to_authenticate(client, fleet, clock,
                                                                       backend):  # fmt: skip
    add_user(fleet, clock, "nele", PASSWORD, Role.AGENT)
    for r in (login(client, password="wrong password"), login(client, username="nobody")):
        assert_problem(r, 401, "wrong username or password")
        assert r.headers["www-authenticate"] == "Bearer"
    assert_problem(as_caller(client).get("/api/auth/me"), 401, "log in first")
    forged = client.get("/api/auth/me", headers={"Authorization": "Bearer not.a.token"})
    assert_problem(forged, 401, "not one of ours")
    tokens = login(client).json()

    def refresh(token: str):
        return client.post("/api/auth/refresh", json={"refresh_token": token})

    assert_problem(refresh(tokens["access_token"]), 401, "this needs the refresh token")
    set_disabled(fleet, clock, "nele", True)
    assert_problem(refresh(tokens["refresh_token"]), 401, "disabled")
    assert_problem(login(client), 401, "wrong username or password")


@pytest.mark.parametrize("secret", [None, "demo-secret-never-for-production-use", "too-short"])
def test_production_refuses_a_default_missing_or_short_secret(secret, monkeypatch):
    env = {"DISPATCH_MODE": "production"} | ({"DISPATCH_SECRET_KEY": secret} if secret else {})
    with pytest.raises(ValueError, match="needs DISPATCH_SECRET_KEY"):
        Settings.from_env(env)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    if secret is None:
        monkeypatch.delenv("DISPATCH_SECRET_KEY", raising=False)
    result = CliRunner().invoke(app, ["serve", "--port", "1"])
    assert result.exit_code == 2 and "needs DISPATCH_SECRET_KEY" in result.output
    assert Settings.from_env({"DISPATCH_MODE": "production",
                              "DISPATCH_SECRET_KEY": "x" * 40}).production  # fmt: skip


def test_production_refuses_to_run_without_checking_logins():
    """DISPATCH_AUTH=off exists for the auth-cost benchmark only."""
    good = {"DISPATCH_MODE": "production", "DISPATCH_SECRET_KEY": "x" * 40}
    with pytest.raises(ValueError, match="DISPATCH_AUTH=off is for benchmarks"):
        Settings.from_env({**good, "DISPATCH_AUTH": "off"})
    assert Settings.from_env({"DISPATCH_AUTH": "off"}).auth_disabled  # the bench's demo mode
