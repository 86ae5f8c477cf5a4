"""The customer's answer to a force-majeure message, and the hold that runs out without one.

Through their tracking link the customer keeps the held appointment, picks another one
offered, or asks for another day (the best slot that date). Taking another releases the
held one and books the new one in one transaction, so they never have none, nor two. A
slot somebody else took meanwhile is a ``StaleOffer`` (409) carrying fresh alternatives,
the held one still theirs. When the hold runs out unanswered the held appointment is
confirmed, and they are told (``AppointmentConfirmed``).
"""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial

from dispatch.clock import Clock
from dispatch.domain.errors import Conflict, DispatchError, InvalidInput, NotFound, StaleRoute
from dispatch.domain.events import AppointmentConfirmed
from dispatch.domain.force_majeure import Offer, OfferedSlot
from dispatch.domain.model import Ticket, TimeWindow
from dispatch.domain.workdays import local_date
from dispatch.services.offers import OfferPolicy, pick, place
from dispatch.services.retry import with_retries
from dispatch.services.slots import slots
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes

log = logging.getLogger(__name__)
CHOSE_OTHER = "the customer chose another appointment"
FURTHEST = 31  # days ahead a customer may ask for


class StaleOffer(Conflict):
    """The chosen slot is gone; ``offer`` holds fresh alternatives (the held one stays)."""

    def __init__(self, message: str, offer: Offer) -> None:
        super().__init__(message)
        self.offer = offer


@dataclass(frozen=True)
class Answer:
    offer: Offer
    window: TimeWindow  # the appointment the customer has now
    technician_id: int


def current_offer(uow: UnitOfWork, token: str) -> Offer:
    with uow:
        ticket = _ticket(uow, token)
        offer = uow.offers.latest(ticket.id)
    if offer is None:
        raise NotFound("no new appointment is waiting for this visit")
    return offer


def reschedule(uow: UnitOfWork, clock: Clock, travel: TravelTimes, token: str,
               choice: int | None, day: date | None, policy: OfferPolicy) -> Answer:  # fmt: skip
    """``choice``: an index into the offer's slots (0 keeps the held one); or ``day``."""
    if (choice is None) == (day is None):
        raise InvalidInput("give either slot (one of the offered) or date (another day)")
    try:
        return with_retries(partial(_answer, uow, clock, travel, token, choice, day, policy),
                            clock, "rescheduling")  # fmt: skip
    except _Gone as gone:
        with uow:
            offer = gone.offer.refreshed(tuple(gone.fresh))
            uow.offers.save(offer)
            uow.commit()
        raise StaleOffer(f"{gone.why}; choose again from the fresh times", offer) from None


class _Gone(Exception):
    def __init__(self, why: str, offer: Offer, fresh: list[OfferedSlot]) -> None:
        super().__init__(why)
        self.why, self.offer, self.fresh = why, offer, fresh


def _ticket(uow: UnitOfWork, token: str) -> Ticket:
    ticket = uow.tickets.by_token(token)
    if ticket is None:
        raise NotFound("unknown tracking token")
    return ticket


def _answer(uow: UnitOfWork, clock: Clock, travel: TravelTimes, token: str, choice: int | None,
            day: date | None, policy: OfferPolicy) -> Answer:  # fmt: skip
    now = clock.now()
    with uow:
        ticket = _ticket(uow, token)
        offer = uow.offers.latest(ticket.id)
        if offer is None:
            raise NotFound("no new appointment is waiting for this visit")
        offer.check_open(now)
        if choice == 0:
            window, tech = confirm_held(uow, ticket.id, now, chosen=True)
            answer = Answer(offer.choose(0, now), window, tech)
        else:
            release_held(uow, ticket.id, now)
            target = (offer.slot(choice) if choice is not None
                      else best_on(uow, now, travel, ticket, day, policy))  # fmt: skip
            try:
                if target is None:
                    raise Conflict(f"nothing is free on {day}")
                window = place(uow, now, travel, ticket, target, "rebooked", policy)
            except Conflict as exc:  # StaleRoute included: somebody was faster
                raise _Gone(str(exc), offer, pick(uow, now, travel, ticket, policy)) from exc
            answer = Answer(offer.choose(choice, now), window, target.technician_id)
            uow.effects.rehome(offer.disruption_id, ticket.id, target.technician_id, window)
        uow.offers.save(answer.offer)
        uow.commit()
        return answer


def best_on(uow: UnitOfWork, now: datetime, travel: TravelTimes, ticket: Ticket,
             day: date | None, policy: OfferPolicy) -> OfferedSlot | None:  # fmt: skip
    assert day is not None
    today = local_date(now, policy.zone)
    if day <= today:
        raise InvalidInput(f"{day} is not a later date: choose one of the offered times")
    if (day - today).days > FURTHEST:
        raise InvalidInput(f"{day} is more than {FURTHEST} days ahead; choose a nearer date")
    found = slots(uow, now, travel, replace(ticket, window=None), (day - today).days,
                  policy.zone, policy.hours, policy.length)  # fmt: skip
    best = next((s for s in found if s.day == day and not s.today), None)
    return OfferedSlot(best.technician.id, day, best.window, False) if best else None


def release_held(uow: UnitOfWork, ticket_id: int, now: datetime) -> None:
    """Take the held appointment off wherever it is (a later date, or a live route)."""
    a = uow.day_plans.of_ticket(ticket_id)
    if a is not None:
        plan = uow.day_plans.get(a.technician_id, a.day)
        plan.cancel(ticket_id)
        if not uow.day_plans.save(plan):
            raise StaleRoute(f"the plan of technician {a.technician_id} changed meanwhile")
        return
    ticket = uow.tickets.get(ticket_id)
    if ticket is not None and ticket.visit is not None and ticket.visit.open:
        route = uow.routes.get(ticket.visit.technician_id)
        route.release(ticket_id, now, CHOSE_OTHER)
        if not uow.routes.save(route):
            raise StaleRoute(f"the route of technician {route.technician_id} changed meanwhile")


def confirm_held(uow: UnitOfWork, ticket_id: int, now: datetime, chosen: bool
                 ) -> tuple[TimeWindow, int]:  # fmt: skip
    """Tell the customer the held appointment is final; (its window, its technician)."""
    a = uow.day_plans.of_ticket(ticket_id)
    if a is not None:
        plan = uow.day_plans.get(a.technician_id, a.day)
        plan.tell(AppointmentConfirmed(ticket_id, a.technician_id, a.promise_version, now,
                                       a.window, a.eta, chosen))  # fmt: skip
        if not uow.day_plans.save(plan):
            raise StaleRoute(f"the plan of technician {a.technician_id} changed meanwhile")
        return a.window, a.technician_id
    ticket = uow.tickets.get(ticket_id)
    v = ticket.visit if ticket else None
    if v is None or not v.open:
        raise NotFound("this visit has no appointment to confirm any more")
    route = uow.routes.get(v.technician_id)
    route.tell(AppointmentConfirmed(ticket_id, v.technician_id, v.promise_version, now,
                                    v.promise, v.eta, chosen))  # fmt: skip
    if not uow.routes.save(route):
        raise StaleRoute(f"the route of technician {v.technician_id} changed meanwhile")
    return v.promise, v.technician_id


def confirm_expired(uow: UnitOfWork, clock: Clock, limit: int = 200) -> int:
    """Every hold that ran out unanswered: confirmed, and the customer told."""
    with uow:
        due = uow.offers.expired(clock.now(), limit)
    done = 0
    for offer in due:
        try:
            done += with_retries(partial(_confirm_one, uow, clock, offer.id, offer.ticket_id),
                                 clock, "confirming a held appointment")  # fmt: skip
        except DispatchError as exc:  # gone meanwhile: the next run sees it again, or not
            log.warning("held appointment of ticket %s not confirmed: %s", offer.ticket_id, exc)
    return done


def _confirm_one(uow: UnitOfWork, clock: Clock, offer_id: int, ticket_id: int) -> int:
    now = clock.now()
    with uow:
        offer = uow.offers.latest(ticket_id)
        if offer is None or offer.id != offer_id or not offer.expired(now):
            return 0  # answered meanwhile
        with suppress(NotFound):  # no appointment left (cancelled, done): the offer closes
            confirm_held(uow, ticket_id, now, chosen=False)
        uow.offers.save(offer.confirm(now))
        uow.commit()
        return 1
