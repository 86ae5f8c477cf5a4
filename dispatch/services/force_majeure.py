"""What a breakdown or an absence does to today's customers, decided once, the moment it
is recorded.

1. Every planned visit of the technician goes, visit by visit, to whoever keeps the
   window the customer was told (``services.takeover``): "your technician changed".
2. What nobody else can take is re-timed from his expected return. A visit that still
   keeps its window stays with him and nobody is bothered.
3. The rest get force majeure (``services.offers``): what happened, an apology, new
   appointments from the calendar, the first held for them; the visit leaves his route
   in the transaction that books the held slot.
4. A visit already started (on the way, on site) is never moved: its customer hears
   the repair estimate and the dispatcher decides (the audit flags it).
5. An absence over later dates follows the calendar (``services.absence_days``).

Each visit's outcome is one line of the disruption's audit (``Effect``), written in the
transaction that carries it out; a visit with a line is never handled again, so a
rerun after a crash finishes the work and no customer hears twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from dispatch.clock import Clock
from dispatch.domain.disruption import Disruption, DisruptionKind
from dispatch.domain.errors import NotFound, StaleRoute
from dispatch.domain.events import ForceMajeure
from dispatch.domain.force_majeure import Effect, EffectKind, notice
from dispatch.domain.message_kinds import MessageKind
from dispatch.domain.model import Visit, VisitStatus
from dispatch.domain.workdays import local_date
from dispatch.services import absence_days
from dispatch.services.eta import retime
from dispatch.services.offers import OfferPolicy, offer_new, record
from dispatch.services.retry import with_retries
from dispatch.services.takeover import take_over
from dispatch.services.weather import warn_area
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes


@dataclass
class Handled:
    effects: list[Effect] = field(default_factory=list)

    def count(self, kind: EffectKind) -> int:
        return sum(e.kind == kind for e in self.effects)


def handle(uow: UnitOfWork, clock: Clock, travel: TravelTimes, disruption_id: int,
           policy: OfferPolicy) -> Handled:  # fmt: skip
    """Draw a disruption's consequences; ``travel`` already slowed by any slowdown."""
    with uow:
        d = uow.disruptions.get(disruption_id)
    if d is None:
        raise NotFound(f"disruption {disruption_id} does not exist")
    if d.kind == DisruptionKind.SLOWDOWN:
        return Handled(warn_area(uow, clock, travel, disruption_id))
    return handle_absence(uow, clock, travel, disruption_id, policy)


def handle_pending(uow: UnitOfWork, clock: Clock, roads: Callable[[], TravelTimes],
                   policy: OfferPolicy) -> list[Handled]:  # fmt: skip
    """Every disruption in force whose consequences are not drawn yet: just recorded, or
    recorded before a crash, or declared ahead and begun since. ``roads`` gives the
    travel times with every slowdown known at the moment."""
    now = clock.now()
    with uow:
        waiting = uow.disruptions.unhandled(now)
    for ahead in (d for d in waiting if d.start > now and d.kind == DisruptionKind.UNAVAILABLE):
        absence_days.follow_calendar(uow, clock, roads(), ahead, policy)  # its days, already
    return [handle(uow, clock, roads(), d.id, policy) for d in waiting if d.start <= now]


def handle_absence(uow: UnitOfWork, clock: Clock, travel: TravelTimes, disruption_id: int,
                   policy: OfferPolicy) -> Handled:  # fmt: skip
    """Steps 1 to 5 for a breakdown or an absence in force now; marks it handled."""
    with uow:
        d = uow.disruptions.get(disruption_id)
    if d is None or d.technician_id is None:
        raise NotFound(f"disruption {disruption_id} does not exist or names no technician")
    done = Handled()
    if d.active(clock.now()):
        tid = d.technician_id
        took = take_over(uow, clock, travel, tid, d.id)
        with uow:
            done.effects += [e for e in uow.effects.of(d.id) if e.kind == EffectKind.MOVED]
        for t in took.started:
            done.effects.append(with_retries(partial(_started, uow, clock, d, t, policy.zone),
                                             clock, "telling a started visit"))  # fmt: skip
        for t in took.stuck:
            one = with_retries(partial(_stuck, uow, clock, travel, d, t, policy), clock,
                               "offering new appointments")  # fmt: skip
            done.effects += [one] if one else []
    done.effects += absence_days.follow_calendar(uow, clock, travel, d, policy)
    with uow:
        uow.disruptions.mark_handled(d.id, clock.now())
        uow.commit()
    return done


def back_at(d: Disruption, now: datetime, zone: str) -> datetime | None:
    """His expected return, when it is today (a date next week is no repair estimate)."""
    return d.end if local_date(d.end, zone) == local_date(now, zone) else None


def _started(uow: UnitOfWork, clock: Clock, d: Disruption, ticket_id: int, zone: str) -> Effect:
    now = clock.now()
    with uow:
        route = uow.routes.get(d.technician_id or 0)
        v = route.visit(ticket_id)
        told = None
        if v.status == VisitStatus.EN_ROUTE:  # on site, he is there: nothing to announce
            route.tell(notice(d, v, now, back_at(d, now, zone)))
            if not uow.routes.save(route):
                raise StaleRoute("his route changed meanwhile")
            told = MessageKind.FORCE_MAJEURE.value
        e = record(uow, Effect(d.id, ticket_id, EffectKind.STARTED, now, route.technician_id,
                               None, v.promise, told))  # fmt: skip
        uow.commit()
    return e


def _keeps(v: Visit, eta: datetime, shift_end: datetime) -> bool:
    return eta <= v.promise.end and eta + v.service <= shift_end


def _stuck(uow: UnitOfWork, clock: Clock, travel: TravelTimes, d: Disruption,
           ticket_id: int, policy: OfferPolicy) -> Effect | None:  # fmt: skip
    """Kept when his return still keeps the window; else force majeure with offers."""
    now, tid = clock.now(), d.technician_id or 0
    with uow:
        route, tech = uow.routes.get(tid), uow.technicians.get(tid)
        v = next((x for x in route.open_visits if x.ticket_id == ticket_id), None)
        if v is None or v.locked or tech is None:
            return None  # done, started or gone meanwhile
        state = uow.technicians.field_states([tid])[tid]
        etas = {r.ticket_id: r.eta for r in retime(tech, route.open_visits, state, now, travel,
                                                   d.end)}  # fmt: skip
        if _keeps(v, etas[ticket_id], tech.shift.end):
            e = record(uow, Effect(d.id, ticket_id, EffectKind.KEPT, now, tid, tid, v.promise))
            uow.commit()
            return e
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            return None

        def give_up(told: ForceMajeure) -> bool:
            route.give_up(ticket_id, told)
            return uow.routes.save(route)

        e = offer_new(uow, now, travel, d, ticket, v, give_up, back_at(d, now, policy.zone),
                      policy)  # fmt: skip
        uow.commit()
        return e
