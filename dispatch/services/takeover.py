"""A technician taken out (breakdown, absence): his planned work to whoever keeps its window.

Visit by visit, earliest promise first, each planned visit of his is quoted among the
others (he is offered to nobody while out) as if its customer had asked for exactly
the window they were told. The best candidate that keeps that window and every other
customer's promise takes it over: the visit leaves his route and joins the new one in
one transaction that claims both routes' versions, and its customer is told the new
name (``VisitReassigned``, "your technician changed; your window holds"). A visit
nobody can take that way stays with him and is reported, for the force-majeure step;
a started visit is never moved, only reported for the dispatcher.

Unlike the day optimiser this scales with the visits moved, not the fleet: one quote
each, so a breakdown on a 200-technician day is handled in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial

from dispatch.clock import Clock
from dispatch.domain.errors import StaleRoute
from dispatch.domain.force_majeure import Effect, EffectKind
from dispatch.domain.message_kinds import MessageKind
from dispatch.domain.model import Visit
from dispatch.domain.route import Route
from dispatch.services.quote import Candidate, quote
from dispatch.services.retry import with_retries
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes


@dataclass(frozen=True)
class TakeOver:
    moved: dict[int, int] = field(default_factory=dict)  # ticket -> the technician now
    stuck: list[int] = field(default_factory=list)  # nobody keeps the window: still his
    started: list[int] = field(default_factory=list)  # on site: the dispatcher decides


def take_over(uow: UnitOfWork, clock: Clock, travel: TravelTimes, technician_id: int,
              disruption_id: int | None = None) -> TakeOver:  # fmt: skip
    """With a ``disruption_id``, each move is recorded in its audit, in the move's own
    transaction, and a visit it already dealt with (a rerun) is left alone."""
    with uow:
        route = uow.routes.get(technician_id)
        seen = {e.ticket_id for e in uow.effects.of(disruption_id)} if disruption_id else set()
        mine = [v for v in route.open_visits if v.ticket_id not in seen]
        planned = sorted((v for v in mine if not v.locked), key=lambda v: (v.promise.start, v.eta))
        started = [v.ticket_id for v in mine if v.locked]
    out = TakeOver(started=started)
    for v in planned:
        to = with_retries(partial(_move, uow, clock, travel, technician_id, v.ticket_id,
                                  disruption_id), clock, "taking over a visit")  # fmt: skip
        if to is None:
            out.stuck.append(v.ticket_id)
        else:
            out.moved[v.ticket_id] = to
    return out


def _keeps(visit: Visit, cand: Candidate, out: int) -> bool:
    return cand.technician.id != out and visit.promise.start <= cand.eta <= visit.promise.end


def _move(uow: UnitOfWork, clock: Clock, travel: TravelTimes, out: int,
          ticket_id: int, disruption_id: int | None) -> int | None:  # fmt: skip
    now = clock.now()
    with uow:
        src = uow.routes.get(out)
        visit = next((v for v in src.open_visits if v.ticket_id == ticket_id), None)
        ticket = uow.tickets.get(ticket_id)
        if visit is None or visit.locked or ticket is None:
            return None  # done, started or gone meanwhile: nothing to move
        asked = replace(ticket, window=visit.promise, availability=())  # the told window
        cand = next((c for c in quote(uow, asked, now, travel).candidates
                     if _keeps(visit, c, out)), None)  # fmt: skip
        if cand is None:
            return None
        dst = uow.routes.get(cand.technician.id)
        if dst.version != cand.route_version:
            raise StaleRoute(f"the route of technician {dst.technician_id} changed meanwhile")
        hand_over(uow, src, dst, ticket_id, cand, now)
        if disruption_id is not None:
            uow.effects.add(Effect(disruption_id, ticket_id, EffectKind.MOVED, now, out,
                                   dst.technician_id, visit.promise,
                                   MessageKind.TECHNICIAN_CHANGED.value))  # fmt: skip
        uow.commit()
        return cand.technician.id


def hand_over(uow: UnitOfWork, src: Route, dst: Route, ticket_id: int, cand: Candidate,
              now: datetime) -> None:  # fmt: skip
    """The visit leaves ``src`` and joins ``dst`` where the quote put it, both routes
    claimed in one write (the caller commits); StaleRoute when either moved meanwhile."""
    handed = src.hand_over(ticket_id)
    dst.plan(with_visit(dst.open_visits, handed, cand), now)
    if len(uow.routes.save_all([src, dst])) != 2:
        uow.rollback()
        raise StaleRoute("a route changed while a visit was handed over; look again")


def with_visit(visits: list[Visit], new: Visit,
               cand: Candidate) -> list[tuple[Visit, datetime, int]]:  # fmt: skip
    """The receiving route's open visits with ``new`` put where the quote put it: the
    stops after it re-timed as the quote found, and the next leg from ``new``."""
    ins, later = cand.insertion, {a.ticket_id: a.new_eta for a in cand.affected}
    stops = [(v, later.get(v.ticket_id, v.eta), v.leg_s) for v in visits]
    if ins.position < len(stops) and ins.leg_after_s is not None:
        nxt, eta, _ = stops[ins.position]
        stops[ins.position] = (nxt, eta, ins.leg_after_s)
    stops.insert(ins.position, (new, cand.eta, ins.travel_s))
    return stops
