"""What customers were told, held against when the technician really came: the promise
and message half of ``simulator.metrics``, apart so the main module stays readable.

Each function returns raw counts or samples, not rates: ``metrics`` turns them into
rates and ``counts`` shows them beside the rates, from one computation.

``DayRecord.told`` is in time order; "before" and "after" between two messages follow
that order, so two messages sent in the same second still have a before and an after.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from simulator.record import CHANGE_KINDS, DayRecord, Told, Window

# a window told this close to the arrival is no promise: the technician is almost there
LEAD = timedelta(minutes=30)
# the change messages that say "your technician is late": force majeure and rebooked
# are left out, since there the appointment itself really changed
ALARM_KINDS = frozenset({"running_late", "window_changed"})


def told_by_ticket(day: DayRecord) -> dict[int, list[Told]]:
    by: dict[int, list[Told]] = {}
    for t in day.told:
        by.setdefault(t.ticket_id, []).append(t)
    return by


def windows(told: list[Told]) -> list[tuple[datetime, Window]]:
    """The (sent, window) of each message that told a time; the others promise nothing."""
    return [(t.at, t.window) for t in told if t.window is not None]


def on_time(day: DayRecord) -> tuple[int, int]:
    """(inside the last window told >= 30 min ahead, arrivals that had such a window)."""
    told = told_by_ticket(day)
    inside = judged = 0
    for ticket, arrival in day.arrivals.items():
        ahead = [w for sent, w in windows(told.get(ticket, [])) if sent <= arrival.at - LEAD]
        if ahead:
            judged += 1
            inside += ahead[-1].holds(arrival.at)
    return inside, judged


def first_promise_kept(day: DayRecord) -> tuple[int, int]:
    """(inside the first told window, arrivals that were told a window at all)."""
    told = told_by_ticket(day)
    kept = judged = 0
    for ticket, arrival in day.arrivals.items():
        promised = windows(told.get(ticket, []))
        if promised:
            judged += 1
            kept += promised[0][1].holds(arrival.at)
    return kept, judged


def _announces(message: Told, first: Window) -> bool:
    """A change message in time that moves the end past the first window's end (or
    gives no time at all: "we are late, a new time follows")."""
    if message.kind not in CHANGE_KINDS or message.at > first.end:
        return False
    return message.window is None or message.window.end > first.end


def late_announcements(day: DayRecord) -> list[float | None]:
    """For each arrival after its first told window: minutes from the first announcing
    message to that window's end, or None when nobody announced it."""
    by_ticket = told_by_ticket(day)
    leads: list[float | None] = []
    for ticket, arrival in day.arrivals.items():
        told = by_ticket.get(ticket, [])
        index = next((i for i, t in enumerate(told) if t.window is not None), None)
        if index is None:
            continue
        first = told[index].window
        assert first is not None  # the index was picked for its window
        if arrival.at <= first.end:
            continue
        warned = next((t.at for t in told[index + 1 :] if _announces(t, first)), None)
        leads.append(None if warned is None else (first.end - warned).total_seconds() / 60)
    return leads


def false_alarms(day: DayRecord) -> tuple[int, int]:
    """(change messages after which the visit still came inside the window told before
    them, all change messages sent). A message with no window told before it cannot be
    judged false: it still counts in the denominator."""
    last: dict[int, Window] = {}
    false = sent = 0
    for t in day.told:
        if t.kind in ALARM_KINDS:
            sent += 1
            before = last.get(t.ticket_id)
            arrival = day.arrivals.get(t.ticket_id)
            false += before is not None and arrival is not None and before.holds(arrival.at)
        if t.window is not None:
            last[t.ticket_id] = t.window
    return false, sent


def disruption_delays(day: DayRecord) -> list[float | None]:
    """Seconds from each disruption to the first message its affected customer got at or
    after it, one per (disruption, affected ticket); None when no message came."""
    told = told_by_ticket(day)
    delays: list[float | None] = []
    for d in day.disruptions:
        for ticket in d.affected:
            first = next((t.at for t in told.get(ticket, []) if t.at >= d.at), None)
            delays.append(None if first is None else (first - d.at).total_seconds())
    return delays


def messages_per_customer_max(day: DayRecord) -> int:
    return max(Counter(t.ticket_id for t in day.told).values(), default=0)
