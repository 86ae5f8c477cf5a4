"""The customer moves their appointment to another day themselves, through their
tracking link, without calling and without any disruption behind it.

It is the force-majeure answer "another day" (``services.reschedule``) for a visit
nothing went wrong with: the best time free that date is found first, and only then is
the old appointment released and the new one booked, in one transaction, so the
customer never ends up with none or with two. Work the technician has started, a
closed case, or a visit with new times already offered (answer those instead) is not
moved here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from dispatch.clock import Clock
from dispatch.domain.errors import Conflict, NotFound
from dispatch.domain.model import TimeWindow
from dispatch.services.offers import OfferPolicy, place
from dispatch.services.reschedule import best_on, release_held
from dispatch.services.retry import with_retries
from dispatch.services.tracking import CLOSED
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes


class NothingFree(Conflict):
    """Nothing is free on the day asked; the appointment stays as it was."""


@dataclass(frozen=True)
class Moved:
    window: TimeWindow  # the appointment the customer has now
    technician_id: int


def change_day(uow: UnitOfWork, clock: Clock, travel: TravelTimes, token: str, day: date,
               policy: OfferPolicy) -> Moved:  # fmt: skip
    """The appointment the customer has now, on ``day``; ``Conflict`` when nothing is
    free that date (the old appointment then stays as it was)."""
    return with_retries(partial(_change, uow, clock, travel, token, day, policy), clock,
                        "moving an appointment to another day")  # fmt: skip


def _change(uow: UnitOfWork, clock: Clock, travel: TravelTimes, token: str, day: date,
            policy: OfferPolicy) -> Moved:  # fmt: skip
    now = clock.now()
    with uow:
        ticket = uow.tickets.by_token(token)
        if ticket is None:
            raise NotFound("no visit is known under this tracking link")
        if ticket.status in CLOSED:
            raise Conflict(f"this visit is {ticket.status.value}; it cannot be moved")
        if ticket.visit is not None and ticket.visit.locked:
            raise Conflict("the technician has started on this visit; call us to change it")
        offer = uow.offers.latest(ticket.id)
        if offer is not None and offer.waiting(now):
            raise Conflict("new times are offered for this visit: choose one of those, or "
                           "another day there")  # fmt: skip
        target = best_on(uow, now, travel, ticket, day, policy)
        if target is None:
            raise NothingFree(f"nothing is free on {day}; try another day")
        release_held(uow, ticket.id, now)
        window = place(uow, now, travel, ticket, target, "rebooked", policy)
        uow.commit()
        return Moved(window, target.technician_id)
