"""Today's lunch in a live route: planned until the technician has taken a break.

The calendar gives the lunch with the shift (``Technician.lunch``). The quote, the ETA
refresh and the replan place it where the nightly plan would (``solver.day_schedule``:
at a stop boundary, as early as keeps every window). A break the phone reports is the
lunch: once it has ended, nothing more is planned; while it runs, the technician is
free again when a lunch's length has passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from dispatch.domain.fieldstate import Activity, FieldState
from dispatch.domain.model import LunchBreak, Technician

DEFAULT_BREAK = timedelta(minutes=30)  # a break taken by someone with no lunch planned
Shown = Literal["planned", "on_break", "taken"]


def due(tech: Technician, state: FieldState) -> LunchBreak | None:
    """The lunch still to plan today, if any."""
    lunch = tech.lunch
    if lunch is None or state.activity == Activity.ON_BREAK:
        return None
    taken = state.break_ended_at
    if taken is not None and taken >= tech.shift.start:
        return None
    return lunch


def break_since(state: FieldState) -> datetime | None:
    """When the break under way began; None when not on one."""
    return state.since if state.activity == Activity.ON_BREAK else None


def back_from_break(tech: Technician, state: FieldState) -> datetime | None:
    """When a technician on a break is free again; None when not on one."""
    since = break_since(state)
    if since is None:
        return None
    return since + (tech.lunch.duration if tech.lunch else DEFAULT_BREAK)


def shown(tech: Technician, state: FieldState) -> Shown | None:
    """What the phone and the console say about today's lunch: "planned" (still to
    take), "on_break", "taken", or None with no lunch in the calendar and no break."""
    if state.activity == Activity.ON_BREAK:
        return "on_break"
    taken = state.break_ended_at is not None and state.break_ended_at >= tech.shift.start
    if taken:
        return "taken"
    return "planned" if tech.lunch is not None else None
