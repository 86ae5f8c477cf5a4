"""Authorization headers for the tests' callers (``api.authorise``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from api.tokens import issue
from dispatch.config import DEMO_SECRET
from dispatch.domain.users import Role, User

SIGNED_AT = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Europe/Brussels"))  # MORNING


def bearer(role: Role = Role.ADMIN, technician_id: int | None = None,
           username: str = "test-admin") -> dict[str, str]:
    """An Authorization header for a login in this role, valid for the fake clock's whole
    run (a test may run a fortnight); signed with the demo secret the test apps use."""
    user = User(0, username, role, technician_id, False, SIGNED_AT)
    token = issue(user, DEMO_SECRET, SIGNED_AT, life=timedelta(days=400))
    return {"Authorization": f"Bearer {token}"}


def as_caller(client: TestClient, headers: dict[str, str] | None = None) -> TestClient:
    """The same app, called by someone else: nobody (no headers) or the given login."""
    return TestClient(client.app, raise_server_exceptions=False, headers=headers or {})
