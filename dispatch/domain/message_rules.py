"""Which message an event becomes, and when it may go out: the notifier's taste.

Thresholds (``MessagePolicy``, all configurable):

- A window that moves earlier, or later without the ETA passing the told end, by less
  than ``change_threshold`` (10 min) is no news: the customer can't act on it.
- At most one message per customer and channel per ``min_interval`` (15 min): ten
  messages in a row for one slip is noise ...
- ... unless the new window ends ``materially_worse`` (30 min) later than the last one
  told: real bad news never waits; and a "running late" held back goes out no later
  than the end of the window it breaks, and no held change waits past the start of
  the window it tells. A new technician's name is not held: the tracking page shows
  it at once, a breakdown's hand-over must reach the customer within minutes, and the
  replan's stability rule (``dispatch.domain.stability``) already keeps it rare.
- Quiet hours in the customer's zone, ``quiet_start`` to ``quiet_end`` (21:00 to 08:00),
  except about a visit due before they end: the customer must know before the bell.
  A service with its own contact hours (``hours``, DISPATCH_MESSAGE_HOURS, e.g.
  "mon-sat 08:00-21:00") is quiet outside them instead.
- Force majeure and weather notices are news the customer plans their day around: no
  rate limit holds them, and the quiet hours end for them at ``news_from`` (07:00), so
  snow declared at dawn reaches every customer before the working day begins.
- Dedupe on visit, kind and promise version (the outbox key): the same slip seen by two
  refresh cycles is one message.

A message held back by the rate limit or the quiet hours is sent at the first moment
allowed; a later message about the same visit supersedes a held one of the same group,
so the customer gets the newest news once, not the whole history.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dispatch.domain.events import (
    AppointmentConfirmed,
    Event,
    ForceMajeure,
    PromiseChanged,
    VisitArrivingSoon,
    VisitBooked,
    VisitCancelled,
    VisitCompleted,
    VisitOnTheWay,
    VisitReassigned,
    WeatherNotice,
)
from dispatch.domain.message_kinds import MessageKind, Reason
from dispatch.domain.route import PUSHED_BY_URGENT, RUNNING_EARLY, RUNNING_LATE
from dispatch.domain.service_hours import ServiceHours


@dataclass(frozen=True)
class MessagePolicy:
    change_threshold: timedelta = timedelta(minutes=10)
    min_interval: timedelta = timedelta(minutes=15)
    materially_worse: timedelta = timedelta(minutes=30)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    news_from: time = time(7, 0)  # force majeure and weather: the quiet hours end earlier
    # the hours customers may be contacted, when the service sets its own (visits may
    # have other hours): outside them is quiet, whatever quiet_start and quiet_end say
    hours: ServiceHours | None = None


# Kinds about a moving window: a newer one replaces a held older one.
CHANGES = frozenset(
    {MessageKind.RUNNING_LATE, MessageKind.WINDOW_CHANGED, MessageKind.TECHNICIAN_CHANGED}
)
# Changes the rate limit may hold back: a slipping window, not a new name.
RATE_LIMITED = CHANGES - {MessageKind.TECHNICIAN_CHANGED}
# Bad news no rate limit holds; each also replaces a held message about a moving window.
URGENT_NEWS = frozenset({MessageKind.FORCE_MAJEURE, MessageKind.WEATHER_NOTICE})
# How a booking is told; "held" is not: the force-majeure message that offers it tells it.
_OCCASIONS = {"new": MessageKind.BOOKED, "rebooked": MessageKind.REBOOKED,
              "moved": MessageKind.TECHNICIAN_CHANGED}  # fmt: skip
_REASONS = {
    RUNNING_LATE: Reason.TRAFFIC,
    RUNNING_EARLY: Reason.RUNNING_EARLY,
    PUSHED_BY_URGENT: Reason.URGENT_CASE,
}


def reason_code(text: str) -> Reason:
    """The route records why in words of its own; messages speak in reason codes."""
    try:
        return Reason(text)
    except ValueError:
        return _REASONS.get(text, Reason.OTHER)


def kind_for(event: Event, policy: MessagePolicy = MessagePolicy()) -> MessageKind | None:
    """The message a customer gets for this event, or None when it is not news."""
    if isinstance(event, VisitBooked):
        return _OCCASIONS.get(event.occasion)
    if isinstance(event, ForceMajeure):
        return MessageKind.FORCE_MAJEURE
    if isinstance(event, WeatherNotice):
        return MessageKind.WEATHER_NOTICE
    if isinstance(event, AppointmentConfirmed):
        return MessageKind.REBOOKED
    if isinstance(event, VisitOnTheWay):
        return MessageKind.ON_THE_WAY
    if isinstance(event, VisitArrivingSoon):
        return MessageKind.ARRIVING_SOON
    if isinstance(event, VisitReassigned):
        return MessageKind.TECHNICIAN_CHANGED
    if isinstance(event, VisitCompleted):
        return MessageKind.COMPLETED
    if isinstance(event, VisitCancelled):
        return MessageKind.CANCELLED
    if isinstance(event, PromiseChanged):
        old, new = event.old_window, event.new_window
        if new.end > old.end and event.new_eta > old.end:
            return MessageKind.RUNNING_LATE
        moved = max(abs(new.start - old.start), abs(new.end - old.end))
        return MessageKind.WINDOW_CHANGED if moved >= policy.change_threshold else None
    return None


@dataclass(frozen=True)
class LastTold:
    """What this customer last heard from us, if anything."""

    sent_at: datetime | None = None
    window_end: datetime | None = None


def _quiet(local: datetime, policy: MessagePolicy) -> bool:
    if policy.hours is not None:
        return not policy.hours.is_open(local)
    t = local.timetz().replace(tzinfo=None)
    if policy.quiet_start <= policy.quiet_end:
        return policy.quiet_start <= t < policy.quiet_end
    return t >= policy.quiet_start or t < policy.quiet_end


def _quiet_ends(local: datetime, policy: MessagePolicy) -> datetime:
    if policy.hours is not None:
        opens = policy.hours.next_open(local)
        if opens is not None:
            return opens.astimezone(local.tzinfo)
    end = local.replace(hour=policy.quiet_end.hour, minute=policy.quiet_end.minute, second=0,
                        microsecond=0)  # fmt: skip
    return end if end > local else end + timedelta(days=1)


def send_at(
    kind: MessageKind,
    now: datetime,
    zone: ZoneInfo,
    last: LastTold,
    window_end: datetime | None,
    visit_at: datetime | None,
    policy: MessagePolicy = MessagePolicy(),
    broken_end: datetime | None = None,
) -> tuple[datetime, str]:
    """The first moment this message may go out, and why then (for the dispatcher).

    ``broken_end`` is the end of the window a "running late" breaks: the rate limit
    never holds the news past it, or the customer would wait in vain meanwhile.
    """
    at, why = now, "now"
    if kind in URGENT_NEWS and policy.hours is None:
        policy = replace(policy, quiet_end=min(policy.quiet_end, policy.news_from))
    if kind in RATE_LIMITED and last.sent_at is not None:
        worse = (
            window_end is not None
            and last.window_end is not None
            and window_end - last.window_end >= policy.materially_worse
        )
        if not worse and now - last.sent_at < policy.min_interval:
            at, why = last.sent_at + policy.min_interval, "rate limit: one message per interval"
            if broken_end is not None and broken_end < at:
                at, why = max(now, broken_end), "rate limit, but before the told window ends"
            if visit_at is not None and visit_at < at:  # news about a window that has begun
                at, why = max(now, visit_at), "rate limit, but before the new window starts"
    local = at.astimezone(zone)
    if _quiet(local, policy):
        morning = _quiet_ends(local, policy)
        if visit_at is None or visit_at.astimezone(zone) >= morning:
            at, why = morning.astimezone(at.tzinfo), "quiet hours"
    return at, why
