"""A visit re-timed against what its customer was told: the decision, apart from the
route that records it (``Route.retime``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from dispatch.domain import promise
from dispatch.domain.model import TimeWindow, Visit, VisitStatus
from dispatch.domain.promise import ARRIVING_SOON


@dataclass(frozen=True)
class Retimed:
    visit: Visit  # as it is to be stored
    moved: bool  # the ETA left the promise: the window is the new promise, to be told
    soon: bool  # "arriving soon" is due (once per promise)
    same: bool  # nothing to store


def retimed(v: Visit, eta: datetime, now: datetime, leg_s: int | None,
            window: TimeWindow | None, tolerance: timedelta, near: bool,
            early_tolerance: timedelta) -> Retimed:  # fmt: skip
    """While the ETA stays in the promise the working window may narrow or shift inside
    it, silently; an ETA that leaves it (late by more than ``tolerance``, early by more
    than ``early_tolerance``) makes ``window`` the new promise."""
    told = v.promise
    new_window = window or v.window
    leg = v.leg_s if leg_s is None else leg_s
    moved = promise.breaks(told, eta, new_window, tolerance, early_tolerance)
    new_window = new_window if moved else promise.kept_inside(new_window, told)
    version = v.promise_version + 1 if moved else v.promise_version
    close = near or eta - now <= ARRIVING_SOON
    soon = v.status == VisitStatus.EN_ROUTE and close and v.soon_told_version != version
    same = eta == v.eta and leg == v.leg_s and new_window == v.window and not soon
    new = replace(v, eta=eta, leg_s=leg, window=new_window, told=new_window if moved else told,
                  promise_version=version,
                  soon_told_version=version if soon else v.soon_told_version)  # fmt: skip
    return Retimed(new, moved, soon, same)
