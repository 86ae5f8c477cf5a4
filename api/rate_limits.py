"""Rate limits on what anyone can reach without logging in: the tracking link's reads
and the customer's answers. 300 wrong tokens went through at 900 per second; now each
caller (by address) gets ``DISPATCH_PUBLIC_RATE`` (120 per minute), then a 429 with
``Retry-After``.

The counting is the ``limits`` library's moving window, kept where
``DISPATCH_RATE_LIMIT_STORAGE`` says: ``memory://`` (the default) counts per process, so
with two workers a caller gets up to twice the rate; point it at a shared store
(``redis://host:6379``, which ``limits`` supports) to hold one limit across workers.
"""

from __future__ import annotations

import math
import time
from typing import Any

from fastapi import Request
from limits import parse, storage, strategies
from starlette.exceptions import HTTPException

LIMITED: dict[int | str, dict[str, Any]] = {429: {
    "description": "too many requests from this caller; `Retry-After` says when to retry",
    "headers": {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}},
}}


class RateLimit:
    def __init__(self, rate: str, storage_uri: str = "memory://") -> None:
        self.item = parse(rate)
        self.limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))

    def retry_after(self, key: str) -> int | None:
        """Counts this call; None when it is within the limit, else the seconds to wait."""
        if self.limiter.hit(self.item, key):
            return None
        reset = self.limiter.get_window_stats(self.item, key).reset_time
        return max(1, math.ceil(reset - time.time()))


def _refuse(wait: int, what: str) -> HTTPException:
    return HTTPException(429, f"too many {what}; try again in {wait} s",
                         headers={"Retry-After": str(wait)})  # fmt: skip


def public_rate_limit(request: Request) -> None:
    """A dependency of the public endpoints."""
    limit: RateLimit = request.app.state.public_limit
    who = request.client.host if request.client else "unknown"
    wait = limit.retry_after(f"public:{who}")
    if wait is not None:
        raise _refuse(wait, f"requests from {who}")


def login_rate_limit(request: Request, username: str) -> None:
    """``DISPATCH_LOGIN_RATE`` tries per username and per address: guessing one login's
    password from many addresses, or many logins' from one, both stop."""
    limit: RateLimit = request.app.state.login_limit
    who = request.client.host if request.client else "unknown"
    for key in (f"login:user:{username.lower()}", f"login:from:{who}"):
        wait = limit.retry_after(key)
        if wait is not None:
            raise _refuse(wait, "login attempts")
