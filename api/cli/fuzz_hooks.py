"""Schemathesis' authentication hook for ``dispatch fuzz``: logs in as the admin the
fuzz run creates (who may call every endpoint), and logs in again when the token runs
out, so the protected endpoints are fuzzed, not only their 401s."""

from __future__ import annotations

import os
from typing import Any

import httpx
import schemathesis


@schemathesis.auth()
class AdminLogin:
    def get(self, case: Any, context: Any) -> str:
        base = os.environ["FD_FUZZ_BASE"]
        form = {"username": os.environ["FD_FUZZ_USER"], "password": os.environ["FD_FUZZ_PASSWORD"]}
        r = httpx.post(f"{base}/api/auth/token", data=form, timeout=10)
        r.raise_for_status()
        return str(r.json()["access_token"])

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
