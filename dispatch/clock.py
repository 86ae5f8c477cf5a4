"""Injected time, so tests and the simulator can run a whole day in seconds."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware UTC."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait, as this clock counts time (a retry's backoff uses it)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class ScaledClock:
    """Starts at ``start`` and runs ``speed`` times faster than the wall clock.

    Lets a demo or a check run "at 09:00" in the middle of the night.
    """

    def __init__(self, start: datetime, speed: float = 1.0) -> None:
        if start.tzinfo is None:
            raise ValueError("clock start needs a UTC offset")
        if speed <= 0:
            raise ValueError(f"clock speed must be positive, got {speed}")
        self._start = start.astimezone(UTC)
        self._speed = speed
        self._origin = time.monotonic()

    def now(self) -> datetime:
        elapsed = (time.monotonic() - self._origin) * self._speed
        return self._start + timedelta(seconds=elapsed)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds / self._speed)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("clock start needs a UTC offset")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        """Time passes at once; the thread only yields, so racing retries still
        interleave but a simulated day never waits in real time."""
        self.advance(timedelta(seconds=seconds))
        time.sleep(0)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment.astimezone(UTC)
