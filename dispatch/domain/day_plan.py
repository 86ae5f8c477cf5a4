"""One technician's planned route on a later date: the aggregate future bookings go through.

Today's route is live (``Route``: positions, ETAs refreshed every minute); a later date
is a plan: appointments in driving order, each promised a slot window, timed from the
technician's home at the start of that day's shift. A ``DayPlan`` is loaded with its
version, and its repository claims that version on save, so two bookings into the same
technician-day cannot both win. At the start of the day the plan becomes the live route.

Invariants: a ticket appears once; every appointment is planned to arrive inside its
window; a booking raises ``VisitBooked`` (the customer's confirmation) and may move
later appointments only inside their own windows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from dispatch.domain.events import Event, Farewell, Notice, VisitBooked, VisitReassigned
from dispatch.domain.model import GeoPoint, TimeWindow, Visit, VisitStatus
from dispatch.domain.route_rules import RouteInvariantBroken


@dataclass(frozen=True)
class Appointment:
    ticket_id: int
    technician_id: int
    day: date
    location: GeoPoint
    service: timedelta
    window: TimeWindow  # the slot the customer was promised: arrival inside it
    eta: datetime  # planned arrival
    leg_s: int = 0  # planned drive into it, from home or the appointment before
    sequence: int = 0
    promise_version: int = 1  # > 1 for a rebooking: its confirmation is news again

    def as_visit(self) -> Visit:
        """How the ticket shows it: a visit on that date, not yet on a live route."""
        return Visit(self.ticket_id, self.technician_id, self.sequence, self.location, self.eta,
                     self.service, self.window, VisitStatus.SCHEDULED, self.leg_s,
                     self.promise_version)  # fmt: skip


class DayPlan:
    def __init__(self, technician_id: int, day: date, version: int,
                 appointments: Iterable[Appointment]) -> None:  # fmt: skip
        self.technician_id, self.day, self.version = technician_id, day, version
        self._items = sorted(appointments, key=lambda a: a.sequence)
        self.events: list[Event] = []
        self.outgoing: list[Event] = []
        self._changed: dict[int, Appointment] = {}
        self._added: set[int] = set()
        self.cancelled: set[int] = set()  # taken off, for the repository to delete

    @property
    def appointments(self) -> tuple[Appointment, ...]:
        return tuple(self._items)

    def __contains__(self, ticket_id: object) -> bool:
        return any(a.ticket_id == ticket_id for a in self._items)

    def book(self, new: Appointment, position: int, now: datetime,
             later: Sequence[tuple[datetime, int]] = (),
             occasion: str = "new") -> Appointment:  # fmt: skip
        """Put ``new`` at ``position``; ``later`` re-times the appointments after it
        ((eta, leg) each, in order), which must stay inside their windows. ``occasion``
        as for ``VisitBooked``: a held or rebooked slot after force majeure."""
        if new.ticket_id in self:
            raise RouteInvariantBroken(f"ticket {new.ticket_id} is already planned on {self.day}")
        if not 0 <= position <= len(self._items):
            raise RouteInvariantBroken(f"position {position} is outside 0..{len(self._items)}")
        if new.day != self.day or not new.window.contains(new.eta):
            raise RouteInvariantBroken(
                f"ticket {new.ticket_id} would arrive at {new.eta.isoformat()}, outside its "
                f"slot {new.window.start.isoformat()}-{new.window.end.isoformat()}"
            )
        after = self._items[position:]
        if later and len(later) != len(after):
            raise RouteInvariantBroken("the new times must cover every appointment after it")
        moved = [replace(a, eta=t, leg_s=leg) for a, (t, leg) in zip(after, later, strict=True)]
        for a in moved:
            if not a.window.contains(a.eta):
                raise RouteInvariantBroken(
                    f"the booking would move ticket {a.ticket_id} out of its slot"
                )
        placed = replace(new, technician_id=self.technician_id)
        self._items = [*self._items[:position], placed, *(moved or after)]
        self._items = [replace(a, sequence=k + 1) for k, a in enumerate(self._items)]
        for a in self._items:
            self._changed[a.ticket_id] = a
        if placed.ticket_id in self.cancelled:  # cancelled and rebooked in one change
            self.cancelled.discard(placed.ticket_id)
        else:
            self._added.add(placed.ticket_id)
        self.events.append(VisitBooked(placed.ticket_id, self.technician_id,
                                       placed.promise_version, now,
                                       placed.window, placed.eta, occasion))  # fmt: skip
        return self._items[position]

    def cancel(self, ticket_id: int) -> Appointment:
        """Take an appointment off (a held slot the customer swapped for another); the
        others keep their times, which only gives them slack."""
        gone = self.appointment(ticket_id)
        self._items = [a for a in self._items if a.ticket_id != ticket_id]
        self._changed.pop(ticket_id, None)
        self._added.discard(ticket_id)
        self.cancelled.add(ticket_id)
        return gone

    def give_up(self, ticket_id: int, notice: Farewell) -> Appointment:
        """Cancel it for good; ``notice`` tells the customer why (a new appointment held
        elsewhere, or the case was cancelled)."""
        gone = self.cancel(ticket_id)
        self.events.append(notice)
        return gone

    def appointment(self, ticket_id: int) -> Appointment:
        found = next((a for a in self._items if a.ticket_id == ticket_id), None)
        if found is None:
            raise RouteInvariantBroken(f"ticket {ticket_id} is not planned on {self.day}")
        return found

    def tell(self, notice: Notice) -> None:
        """News about an appointment that changes nothing in the plan."""
        self.appointment(notice.ticket_id)  # it must be here
        self.events.append(notice)

    def replan(self, items: Sequence[tuple[Appointment, datetime, int]], now: datetime) -> None:
        """The nightly plan's new order: (appointment, ETA, leg into it), each ETA inside
        the appointment's window. Appointments may come from another technician's plan
        of the same day (that plan replans without them): windows never change, but
        the customer was told a name, so each one taken over raises ``VisitReassigned``."""
        ids = [a.ticket_id for a, _, _ in items]
        if len(ids) != len(set(ids)):
            raise RouteInvariantBroken(f"the new plan for {self.day} repeats a ticket")
        new = []
        for k, (a, eta, leg) in enumerate(items):
            if a.day != self.day or not a.window.contains(eta):
                raise RouteInvariantBroken(
                    f"the new plan would move ticket {a.ticket_id} out of its slot"
                )
            new.append(replace(a, technician_id=self.technician_id, eta=eta, leg_s=leg,
                               sequence=k + 1))  # fmt: skip
            if a.technician_id != self.technician_id:
                self.events.append(VisitReassigned(a.ticket_id, self.technician_id,
                                                   a.promise_version, now, a.technician_id,
                                                   a.window, eta))  # fmt: skip
        self._items = new
        for a in new:
            self._changed[a.ticket_id] = a

    def pending_writes(self) -> tuple[list[Appointment], list[Appointment]]:
        """(new appointments, changed ones) for the repository to store."""
        added = [a for t, a in self._changed.items() if t in self._added]
        return added, [a for t, a in self._changed.items() if t not in self._added]

    def mark_saved(self) -> None:
        self.cancelled.clear()
        self.version += 1
        self.outgoing.extend(self.events)
        self.events.clear()
        self._changed.clear()
        self._added.clear()
