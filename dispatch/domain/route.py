"""One technician's route: the aggregate every change to a customer's visit goes through.

A route is loaded with its ``version``; its methods are the only way to change it, each
checks the route's invariants, and each change a customer would notice is recorded as
a typed event. The repository stores the changed visits and claims the version in one
conditional update, so two writers computing on the same route cannot both win; the
unit of work writes the events to the outbox in the same transaction.

Invariants: a ticket appears once on a route; ``sequence`` strictly increases and every
open visit comes after every closed one; new work never goes in front of started work;
an ETA that leaves what the customer was told bumps the promise version and raises
``PromiseChanged`` (narrowing inside the promise is silent).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from dispatch.domain.events import (
    Farewell,
    Notice,
    PromiseChanged,
    VisitArrivingSoon,
    VisitBooked,
    VisitCompleted,
    VisitFailed,
    VisitOnTheWay,
    VisitReassigned,
    VisitReleased,
    VisitResequenced,
    WeatherNotice,
)
from dispatch.domain.model import TimeWindow, Visit, VisitStatus
from dispatch.domain.promise import PUSHED_BY_URGENT, RUNNING_EARLY, RUNNING_LATE
from dispatch.domain.retiming import retimed
from dispatch.domain.route_changes import RouteChanges
from dispatch.domain.route_events import on_the_way_retold, weather_over_promise
from dispatch.domain.route_rules import (
    RouteInvariantBroken,
    check_movable,
    check_plan,
    check_position,
    check_reorder,
)

__all__ = ["PUSHED_BY_URGENT", "RUNNING_EARLY", "RUNNING_LATE", "Route", "RouteInvariantBroken"]


class Route(RouteChanges):
    def __init__(
        self,
        technician_id: int,
        version: int,
        visits: Iterable[Visit],
        closed_through: int = 0,
    ) -> None:
        """``visits`` may be the open ones only; ``closed_through`` is then the highest
        sequence among the technician's closed visits, so new numbers stay above it."""
        super().__init__(version)
        self.technician_id = technician_id
        # Visits are never changed in place (only replaced): a cache may share them.
        self._visits = sorted(visits, key=lambda v: v.sequence)
        self._reindex()
        if len(self._at) != len(self._visits):
            ids = [v.ticket_id for v in self._visits]
            raise RouteInvariantBroken(f"route {technician_id} holds a ticket twice: {ids}")
        self.closed_through = max(
            [closed_through, *(v.sequence for v in self._visits if not v.open)]
        )

    # -- reading ---------------------------------------------------------------------
    @property
    def visits(self) -> tuple[Visit, ...]:
        return tuple(self._visits)

    @property
    def open_visits(self) -> list[Visit]:
        return [v for v in self._visits if v.open]

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self._at

    def visit(self, ticket_id: int) -> Visit:
        k = self._at.get(ticket_id)
        if k is not None:
            return self._visits[k]
        raise RouteInvariantBroken(
            f"ticket {ticket_id} is not on the route of technician {self.technician_id}"
        )

    # -- changing ----------------------------------------------------------------------
    def book(self, visit: Visit, position: int, now: datetime, leg_after_s: int | None,
             occasion: str = "new") -> Visit:  # fmt: skip
        """Put a new visit at ``position`` among the open visits: the first promise (or,
        with an ``occasion``, one held or rebooked after force majeure)."""
        if visit.ticket_id in self:
            raise RouteInvariantBroken(f"ticket {visit.ticket_id} is already on the route of "
                                       f"technician {self.technician_id}")  # fmt: skip
        open_now = self.open_visits
        check_position(self.technician_id, position, open_now)
        new = replace(
            visit,
            technician_id=self.technician_id,
            status=VisitStatus.PLANNED,
            promise_version=max(1, visit.promise_version),  # a rebooking is news again
            told=visit.window,
        )
        if leg_after_s is not None and position < len(open_now):
            following = open_now[position]
            self._put(replace(following, leg_s=leg_after_s))
            open_now = self.open_visits
        if new.ticket_id in self.released:  # released and rebooked here in one change
            self.released.discard(new.ticket_id)
        else:
            self._added.add(new.ticket_id)
        self._put(new)
        self._resequence([*open_now[:position], new, *open_now[position:]])
        booked = VisitBooked(new.ticket_id, self.technician_id, new.promise_version, now,
                             new.window, new.eta, occasion)  # fmt: skip
        self.events.append(booked)
        return self.visit(new.ticket_id)

    def retime(
        self,
        ticket_id: int,
        *,
        eta: datetime,
        now: datetime,
        leg_s: int | None = None,
        window: TimeWindow | None = None,
        reason: str | None = None,
        pushed_by: int | None = None,
        tolerance: timedelta = timedelta(0),
        near: bool = False,
        early_tolerance: timedelta = timedelta(0),
    ) -> bool:
        """A new ETA (and window) for an open visit; True when the promise moved.

        The promise is the window last told to the customer. While the ETA stays in it
        the working window may narrow or shift inside it, silently; an ETA that leaves it
        makes ``window`` the new promise, told with ``reason`` (by default, late or
        early; late only by more than ``tolerance``, see ``promise.late_tolerance``).
        A visit being driven to gets "arriving soon" once per promise, 10 minutes out
        or ``near`` (the technician's phone is within ``promise.ARRIVING_NEAR_M``).
        """
        v = self.visit(ticket_id)
        if not v.open:
            raise RouteInvariantBroken(f"visit {ticket_id} is closed; it cannot be re-timed")
        r = retimed(v, eta, now, leg_s, window, tolerance, near, early_tolerance)
        if r.same:
            return False  # nothing to store
        self._put(r.visit)
        version, new_window = r.visit.promise_version, r.visit.window
        if r.moved:
            told = v.promise
            why = reason or (RUNNING_LATE if eta > told.end else RUNNING_EARLY)
            changed = PromiseChanged(ticket_id, self.technician_id, version, now, told,
                                     new_window, v.eta, eta, why, pushed_by)  # fmt: skip
            self.events.append(changed)
        if not on_the_way_retold(self.events, ticket_id, new_window, eta) and r.soon:
            self.events.append(VisitArrivingSoon(ticket_id, self.technician_id, version, now, eta))
        return r.moved

    def hand_over(self, ticket_id: int) -> Visit:
        """Take an open visit off this route, for another route's ``plan`` to take."""
        v = self.visit(ticket_id)
        check_movable(v)
        self._visits.remove(v)
        self._reindex()
        self._changed.pop(ticket_id, None)
        self._touched = True
        return v

    def release(self, ticket_id: int, now: datetime, reason: str) -> Visit:
        """Take a planned visit off with nobody to take it: the ticket waits, unassigned."""
        v = self.hand_over(ticket_id)
        self.released.add(ticket_id)
        self.events.append(VisitReleased(ticket_id, self.technician_id, v.promise_version, now,
                                         v.promise, reason))  # fmt: skip
        return v

    def give_up(self, ticket_id: int, notice: Farewell) -> Visit:
        """Take a planned visit off for good; ``notice`` tells its customer why: a new
        appointment held elsewhere (what happened, the alternatives), or the case was
        cancelled."""
        v = self.hand_over(ticket_id)
        self.released.add(ticket_id)
        self.events.append(notice)
        return v

    def tell(self, notice: Notice) -> None:
        """News about a visit on this route that changes nothing on it. A weather notice
        takes over a ``PromiseChanged`` raised for the visit in this same change: one
        message with the new window, not two."""
        v = self.visit(notice.ticket_id)
        if isinstance(notice, WeatherNotice):
            notice = weather_over_promise(self.events, notice, v)
        self.events.append(notice)
        self._touched = True  # stored with the route's version, like any change

    def plan(self, stops: Sequence[tuple[Visit, datetime, int]], now: datetime) -> None:
        """The whole open sequence after a replan: (visit, eta, leg) in driving order.

        Every open visit must be in it or handed over first; visits from other routes
        come in through it. Windows are untouched: the optimiser keeps every promise.
        """
        ours = {v.ticket_id for v in self.open_visits}
        check_plan(self.technician_id, ours, stops)
        order = []
        for visit, eta, leg in stops:
            moved = replace(visit, technician_id=self.technician_id, eta=eta, leg_s=leg)
            if visit.ticket_id not in ours:
                self.renumbered.add(visit.ticket_id)  # its row moves to this route
                self._visits.append(visit)
                self._at[visit.ticket_id] = len(self._visits) - 1
                self.events.append(VisitReassigned(
                    visit.ticket_id, self.technician_id, visit.promise_version, now,
                    visit.technician_id, visit.promise, eta))  # fmt: skip
            self._put(moved)
            order.append(moved)
        self._resequence(order)

    def move_within(self, ticket_id: int, stops: Sequence[tuple[Visit, datetime, int]],
                    now: datetime) -> None:  # fmt: skip
        """A dispatcher put a planned visit elsewhere in this route: the new driving
        order as ``plan`` takes it, refused when it breaks any customer's promise."""
        check_movable(self.visit(ticket_id))
        check_reorder(self.technician_id, ticket_id, {v.ticket_id for v in self.open_visits},
                      stops)  # fmt: skip
        self.plan(stops, now)
        v = self.visit(ticket_id)
        position = [s.ticket_id for s in self.open_visits].index(ticket_id)
        self.events.append(VisitResequenced(ticket_id, self.technician_id, v.promise_version,
                                            now, position, v.promise, v.eta))  # fmt: skip

    def set_status(self, ticket_id: int, status: VisitStatus, now: datetime) -> None:
        """What the technician reported; locking, completing and failing a visit."""
        v = self.visit(ticket_id)
        if v.status == status:
            return
        self._put(replace(v, status=status))
        if status == VisitStatus.EN_ROUTE:
            self.events.append(VisitOnTheWay(ticket_id, self.technician_id, v.promise_version,
                                             now, v.window, v.eta))  # fmt: skip
        elif status == VisitStatus.COMPLETED:
            done = VisitCompleted(ticket_id, self.technician_id, v.promise_version, now)
            self.events.append(done)
        elif status == VisitStatus.FAILED:
            self.events.append(VisitFailed(ticket_id, self.technician_id, v.promise_version, now))

    # -- internals ---------------------------------------------------------------------
    def _reindex(self) -> None:
        """Where each ticket sits: a route is re-timed a visit at a time, a whole fleet
        every minute, so lookups must not scan the route."""
        self._at = {v.ticket_id: k for k, v in enumerate(self._visits)}

    def _put(self, visit: Visit) -> None:
        k = self._at.get(visit.ticket_id)
        if k is None:
            self._visits.append(visit)
            self._at[visit.ticket_id] = len(self._visits) - 1
        else:
            self._visits[k] = visit
        self._changed[visit.ticket_id] = visit

    def _resequence(self, order: list[Visit]) -> None:
        """Number the open visits in driving order, above every closed one; keep the
        first number where it was so an append rewrites one row, not the route."""
        closed = [v for v in self._visits if not v.open]
        self.closed_through = max([self.closed_through, *(v.sequence for v in closed)])
        base = self.closed_through + 1
        if order and order[0].ticket_id not in self._added:
            base = max(base, order[0].sequence)
        renumbered = []
        for k, v in enumerate(order):
            current = self._changed.get(v.ticket_id, v)
            if current.sequence != base + k or v.ticket_id in self._added:
                if v.ticket_id not in self._added:
                    self.renumbered.add(v.ticket_id)
                current = replace(current, sequence=base + k)
                self._changed[v.ticket_id] = current
            renumbered.append(current)
        self._visits = [*closed, *renumbered]
        self._reindex()
