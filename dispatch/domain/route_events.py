"""One message per news: the route's events folded together before they are saved.

Several changes in one unit of work can each raise news for the same customer; these
rules keep it to one message, with the latest times, rather than two at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from dispatch.domain.events import Event, PromiseChanged, VisitOnTheWay, WeatherNotice
from dispatch.domain.model import TimeWindow, Visit


def on_the_way_retold(events: list[Event], ticket_id: int, window: TimeWindow,
                      eta: datetime) -> bool:  # fmt: skip
    """An "on the way" raised in this change tells the times just computed (and is
    the "arriving soon" too for a short drive); True when there was one."""
    found = False
    for k, e in enumerate(events):
        if isinstance(e, VisitOnTheWay) and e.ticket_id == ticket_id:
            events[k], found = replace(e, window=window, eta=eta), True
    return found


def weather_over_promise(events: list[Event], notice: WeatherNotice, v: Visit) -> WeatherNotice:
    """A weather notice takes over a ``PromiseChanged`` raised for its visit in this
    same change (removed from ``events``): one message with the new window."""
    moved = [e for e in events if isinstance(e, PromiseChanged) and e.ticket_id == v.ticket_id]
    if moved:
        events[:] = [e for e in events if e not in moved]
        notice = replace(notice, old_window=moved[0].old_window, window=v.promise, eta=v.eta)
    return replace(notice, promise_version=v.promise_version)
