"""A dispatcher moves a booked visit to another technician (dragging it on the board).

The visit keeps the window its customer holds: the receiving technician is quoted as
if the customer had asked for exactly that window, and the move is refused, with the
reason, when that technician cannot keep it or another customer's promise. The board
sends the receiving route's version it drew; a route that changed since is a 409, and
the board draws again. Started work never moves. The customer is told the new name
(``VisitReassigned``), and the audit log says who moved it.

With a ``position`` and the visit's own technician, the visit moves within that route
instead (``move_within``): to another place in the day, under the same checks.
"""

from __future__ import annotations

from dataclasses import replace

from dispatch.clock import Clock
from dispatch.domain.errors import Conflict, InvalidInput, NotFound, StaleRoute
from dispatch.services.capable import capable_technician
from dispatch.services.move_within import reorder
from dispatch.services.quote import quote
from dispatch.services.takeover import hand_over
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes


def move_visit(uow: UnitOfWork, clock: Clock, travel: TravelTimes, ticket_id: int,
               to: int, route_version: int, position: int | None = None) -> int:  # fmt: skip
    """The receiving route's new version."""
    now = clock.now()
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound(f"ticket {ticket_id} does not exist")
        visit = ticket.visit
        if visit is None or not visit.open:
            raise Conflict(f"ticket {ticket_id} is not on anyone's route today")
        if visit.locked:
            raise Conflict(f"ticket {ticket_id} is {visit.status.value}; it stays with "
                           f"technician {visit.technician_id}")  # fmt: skip
        if visit.technician_id == to and position is None:
            raise Conflict(f"ticket {ticket_id} is with technician {to} already")
        if visit.technician_id != to and position is not None:
            raise InvalidInput("a position is for a move within the visit's own route; on "
                               "another technician's route it goes where it fits best")  # fmt: skip
        capable_technician(uow, to, ticket)
        dst = uow.routes.get(to)
        if dst.version != route_version:
            raise StaleRoute(f"the route of technician {to} changed since the board was "
                             "drawn; look again")  # fmt: skip
        if position is not None:
            reorder(uow, now, travel, dst, ticket_id, position)
            if not uow.routes.save(dst):
                raise StaleRoute(f"the route of technician {to} changed meanwhile; look again")
            uow.commit()
            return dst.version
        asked = replace(ticket, window=visit.promise, availability=())  # the held window
        found = quote(uow, asked, now, travel)
        cand = next((c for c in found.candidates if c.technician.id == to), None)
        if cand is None or not visit.promise.start <= cand.eta <= visit.promise.end:
            raise Conflict(f"technician {to} cannot keep this customer's window "
                           f"({visit.promise.start:%H:%M}-{visit.promise.end:%H:%M}) "
                           "without breaking a promise")  # fmt: skip
        hand_over(uow, uow.routes.get(visit.technician_id), dst, ticket_id, cand, now)
        uow.commit()
        return dst.version
