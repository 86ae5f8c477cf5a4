"""The one claim-and-retry loop: optimistic writes that lost a race try again.

A route is saved with a conditional update on its version; the loser of two racing
writers re-reads and recomputes. Each attempt runs in its own transaction. The backoff
is jittered and grows with the attempt, so losers spread out, and it waits by the
injected clock: under a fake clock a retry costs no real time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

from dispatch.clock import Clock
from dispatch.domain.errors import Conflict, StaleRoute

T = TypeVar("T")

MAX_ATTEMPTS = 20
BACKOFF_S = 0.01


def backoff_s(attempt: int, rng: random.Random | None = None) -> float:
    return (rng or random).uniform(0, BACKOFF_S * (attempt + 1))


def with_retries(
    attempt: Callable[[], T],
    clock: Clock,
    doing: str,
    retry_on: tuple[type[Exception], ...] = (StaleRoute,),
    attempts: int = MAX_ATTEMPTS,
) -> T:
    """Run ``attempt`` until it returns; ``doing`` completes "the routes kept changing
    while …" when every attempt lost."""
    for n in range(attempts):
        try:
            return attempt()
        except retry_on:
            clock.sleep(backoff_s(n))
    raise Conflict(f"the routes kept changing while {doing}; please retry")
