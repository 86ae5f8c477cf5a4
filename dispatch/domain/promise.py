"""The window a customer is promised around an ETA.

An ETA one stop away is fairly certain; one six stops and two hours away is not. The
half-width therefore grows with the lead time and the number of visits ahead. This is a
deliberately simple, documented function; a learned error model can replace it later
without touching the callers.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from dispatch.domain.model import TimeWindow

# Why a promise moved, in the route's words (the notifier maps them to reason codes).
RUNNING_LATE = "running late"
RUNNING_EARLY = "running early"
PUSHED_BY_URGENT = "an urgent case was scheduled before your visit"
ARRIVING_SOON = timedelta(minutes=10)  # "arriving soon" once the ETA is this close
ARRIVING_NEAR_M = 150.0  # ... or the technician's phone is this close (metres)

BASE_HALF_WIDTH = timedelta(minutes=10)
PER_STOP_AHEAD = timedelta(minutes=5)
LEAD_TIME_SHARE = 0.10  # 10 % of the time until arrival
MAX_HALF_WIDTH = timedelta(hours=1)
ROUND_TO = timedelta(minutes=5)


def _floor(moment: datetime) -> datetime:
    step = int(ROUND_TO.total_seconds())
    ts = int(moment.timestamp())
    return moment - timedelta(seconds=ts % step, microseconds=moment.microsecond)


def _ceil(moment: datetime) -> datetime:
    floored = _floor(moment)
    return floored if floored == moment else floored + ROUND_TO


class HalfWidth(Protocol):
    def half_width(self, lead: timedelta, stops_ahead: int) -> timedelta: ...


def half_width_for(lead: timedelta, stops_ahead: int) -> timedelta:
    """The documented default: 10 min + 5 min per stop ahead + 10 % of the lead time."""
    lead = max(lead, timedelta(0))
    width = BASE_HALF_WIDTH + stops_ahead * PER_STOP_AHEAD + lead * LEAD_TIME_SHARE
    return min(width, MAX_HALF_WIDTH)


def half_width(now: datetime, eta: datetime, stops_ahead: int) -> timedelta:
    return half_width_for(eta - now, stops_ahead)


def promise_window(
    now: datetime,
    eta: datetime,
    stops_ahead: int,
    model: HalfWidth | None = None,
    overrun: timedelta = timedelta(0),
) -> TimeWindow:
    """ETA ± half-width, on 5-minute marks, never starting in the past.

    ``overrun`` is how far the job in progress has already run past its planned end.
    The ETA takes that job to end now, but a job that overran by 12 minutes may well
    run on for as long again; the window's end stretches by the overrun, so a window
    told after such a slip is not broken again at every refresh while the job goes on.
    """
    hw = model.half_width(eta - now, stops_ahead) if model else half_width(now, eta, stops_ahead)
    start = min(max(_floor(eta - hw), _floor(now)), _floor(eta))
    end = _ceil(eta + hw + overrun)
    return TimeWindow(start, end)


def renew(
    promised: TimeWindow,
    now: datetime,
    eta: datetime,
    stops_ahead: int,
    model: HalfWidth | None = None,
    overrun: timedelta = timedelta(0),
) -> tuple[TimeWindow, bool]:
    """The window to show now, and whether the promise itself changed.

    While the ETA stays inside what the customer was told, the window may only narrow
    (the fresh window intersected with the promise). An ETA outside it is a promise
    change: a new window around the ETA, which the caller must announce.
    """
    fresh = promise_window(now, eta, stops_ahead, model, overrun)
    if promised.start <= eta <= promised.end:
        start = max(promised.start, fresh.start)
        end = min(promised.end, fresh.end)
        return TimeWindow(min(start, eta), max(end, eta)), False
    return fresh, True


COMFORT = timedelta(minutes=15)
LATE_TOLERANCE_SHARE = 0.5  # of the ETA's uncertainty, while the told end is further


def comfortable_end(told: TimeWindow) -> datetime:
    """The latest arrival a new booking may push a visit to without making its promise
    fragile: the told end less a margin (a third of a narrow window). On a simulated
    calm day the quote had pushed a sixth of the visits into their window's last ten
    minutes, and a fifth of those were then late (docs/benchmarks.md)."""
    return told.end - min(COMFORT, (told.end - told.start) / 3)


def late_tolerance(told_end: datetime, now: datetime, half_width: timedelta) -> timedelta:
    """How far past the told end an ETA may drift before the promise counts as broken.

    Two hours ahead an ETA four minutes past the window's end is noise: the ETA's own
    uncertainty (``half_width``) is five times that, and telling the customer "late"
    then mostly turns out false. So while the told end is further away than that
    uncertainty, only a slip beyond half of it breaks the promise; once the end is
    nearer, any slip does, so the customer still hears it before the window closes.
    (Measured on simulated calm and breakdown days, seeds 1-3, docs/benchmarks.md: the
    whole half-width gave a median notice of 10-20 minutes; half of it 25-50 minutes,
    more arrivals inside a window told in time, and about as few false alarms, once
    technicians waited for the window and bookings kept a margin in it. Before those
    two rules half of it had doubled the false alarms.)
    """
    return half_width * LATE_TOLERANCE_SHARE if told_end - now > half_width else timedelta(0)


def breaks(told: TimeWindow, eta: datetime, fresh: TimeWindow, tolerance: timedelta,
           early_tolerance: timedelta = timedelta(0)) -> bool:  # fmt: skip
    """Whether this ETA (with the ``fresh`` window around it) breaks what was told.

    ``early_tolerance`` is ``late_tolerance`` of the told start: an ETA a few minutes
    before the start, two hours ahead, is the same noise as one a few minutes after the
    end (the simulator found every false alarm of a calm day to be such an "earlier"
    message); once the start is nearer than the ETA's uncertainty any early ETA breaks
    it, in time for the customer to be home."""
    outside = eta > told.end + tolerance or eta < told.start - early_tolerance
    return outside and not fresh.within(told)


def kept_inside(window: TimeWindow, told: TimeWindow) -> TimeWindow:
    """The working window while the promise holds: never wider than what was told."""
    start, end = max(window.start, told.start), min(window.end, told.end)
    return TimeWindow(start, end) if start < end else told
