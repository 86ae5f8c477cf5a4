"""New appointments for a customer whose appointment a disruption broke: which to offer,
how long the first is held, and how an offered slot is booked.

The offer comes from the calendar's slots (``services.slots``): today's live candidates
and the fixed windows of the next working days, best first, with the customer's own
availability kept (their old window is not: it is the one that cannot be kept).
Offered slots never overlap, so "another time" is really another time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dispatch.domain.disruption import Disruption
from dispatch.domain.errors import Conflict, StaleRoute
from dispatch.domain.events import ForceMajeure
from dispatch.domain.force_majeure import Effect, EffectKind, Offer, OfferedSlot, notice
from dispatch.domain.message_kinds import MessageKind
from dispatch.domain.message_rules import LastTold, MessagePolicy, send_at
from dispatch.domain.model import Ticket, TimeWindow, Visit
from dispatch.domain.service_hours import ServiceHours
from dispatch.services import booking
from dispatch.services.quote import quote
from dispatch.services.slot_booking import place_in_day
from dispatch.services.slots import SLOT, slots
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes

HOLD_MARGIN = timedelta(minutes=30)  # a hold ends this long before its slot starts ...
MIN_HOLD = timedelta(minutes=10)  # ... but gives the customer at least this long


@dataclass(frozen=True)
class OfferPolicy:
    zone: str = "Europe/Brussels"
    hours: ServiceHours | None = None  # the service's visit hours (slots stay inside)
    length: timedelta = SLOT  # a later date's slot width
    hold: timedelta = timedelta(hours=2)  # DISPATCH_HOLD_MINUTES
    offers: int = 3  # slots offered, the first held
    days: int = 5  # working days searched after today
    # when the customer can be told (quiet hours, contact hours)
    messages: MessagePolicy = field(default_factory=MessagePolicy)


def hold_until(now: datetime, held: TimeWindow, policy: OfferPolicy) -> datetime:
    """The customer has ``policy.hold`` to answer, but not up to the slot itself; it
    counts from when the message may reach them (a night's offer is held from 07:00)."""
    told, _ = send_at(MessageKind.FORCE_MAJEURE, now, ZoneInfo(policy.zone), LastTold(), None,
                      held.start, policy.messages)  # fmt: skip
    start = max(now, told)
    return max(start + MIN_HOLD, min(start + policy.hold, held.start - HOLD_MARGIN))


def pick(uow: UnitOfWork, now: datetime, travel: TravelTimes, ticket: Ticket,
         policy: OfferPolicy, count: int | None = None) -> list[OfferedSlot]:  # fmt: skip
    """The best ``count`` slots that do not overlap, best first (inside an open unit of
    work)."""
    want = count or policy.offers
    asked = replace(ticket, window=None)  # their availability stays; the broken window goes
    found = slots(uow, now, travel, asked, policy.days, policy.zone, policy.hours,
                  policy.length, limit=4 * want)  # fmt: skip
    picked: list[OfferedSlot] = []
    for s in found:
        if any(s.window.start < p.window.end and p.window.start < s.window.end for p in picked):
            continue
        picked.append(OfferedSlot(s.technician.id, s.day, s.window, s.today))
        if len(picked) == want:
            break
    return picked


def place(uow: UnitOfWork, now: datetime, travel: TravelTimes, ticket: Ticket,
          slot: OfferedSlot, occasion: str, policy: OfferPolicy) -> TimeWindow:  # fmt: skip
    """Book ``ticket`` into ``slot`` inside the caller's unit of work; the window booked.

    A held slot must be exactly the one offered (``StaleRoute`` otherwise: the caller
    retries on fresh data); a slot the customer chose may narrow inside it. ``Conflict``
    when it is no longer free."""
    if not slot.today:  # its grid holds windows inside their availability, not the old one
        a = place_in_day(uow, now, travel, replace(ticket, window=None), slot.technician_id,
                         slot.day, slot.window.start, None, policy.hours, policy.length,
                         occasion)  # fmt: skip
        return a.window
    exact = occasion == "held"
    asked = replace(ticket, window=None if exact else slot.window,
                    availability=ticket.availability if exact else ())  # fmt: skip
    q = quote(uow, asked, now, travel)
    cand = next((c for c in q.candidates if c.technician.id == slot.technician_id), None)
    if cand is None:
        raise Conflict("that time is no longer free")
    if exact and cand.window != slot.window:
        raise StaleRoute("the day changed while the new appointment was being held")
    booking.apply(uow, q, cand, now, occasion)
    return cand.window


def record(uow: UnitOfWork, e: Effect) -> Effect:
    """One line of the audit; a visit that has its line already was handled by another run."""
    if not uow.effects.add(e):
        raise StaleRoute("another run handled this visit meanwhile")
    return e


def offer_new(uow: UnitOfWork, now: datetime, travel: TravelTimes, d: Disruption,
              ticket: Ticket, v: Visit, give_up: Callable[[ForceMajeure], bool],
              back: datetime | None, policy: OfferPolicy) -> Effect:  # fmt: skip
    """Force majeure for one visit, inside the caller's unit of work (which commits): the
    offer, the visit given up where it was (``give_up`` stores that, False when its
    route or plan changed), the first slot held, the audit line. Nothing to offer in the
    days searched: the visit stays, flagged for the dispatcher."""
    found = pick(uow, now, travel, ticket, policy)
    if not found:
        return record(uow, Effect(d.id, v.ticket_id, EffectKind.UNPLACED, now, v.technician_id,
                                  None, v.promise))  # fmt: skip
    offer = Offer(0, v.ticket_id, d.id, tuple(found), hold_until(now, found[0].window, policy),
                  now)  # fmt: skip
    if not give_up(notice(d, v, now, back, offer)):
        raise StaleRoute(f"the plan of technician {v.technician_id} changed meanwhile")
    window = place(uow, now, travel, ticket, offer.held, "held", policy)
    uow.offers.add(offer)
    return record(uow, Effect(d.id, v.ticket_id, EffectKind.OFFERED, now, v.technician_id,
                              offer.held.technician_id, window,
                              MessageKind.FORCE_MAJEURE.value))  # fmt: skip
