"""A slowdown (snow, ice, storm) declared: every customer it touches hears from us at once.

Every live route with a visit inside the slowdown's area and period is re-timed with the
slowed roads (``services.slowdowns``), so the ETAs inside the area grow by its factor.
Each such visit's customer gets one weather notice: we are on our way and doing our
best, but cannot guarantee the time; when the slowdown moved their window, the notice
carries the new one (one message, not a notice and a "running late"). A customer a
force-majeure message already covers is not told again, nor is one another slowdown
in force warned already (unless this one breaks their window), nor anyone outside.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from dispatch.clock import Clock
from dispatch.domain.disruption import Disruption
from dispatch.domain.errors import StaleRoute
from dispatch.domain.events import PromiseChanged, WeatherNotice
from dispatch.domain.force_majeure import ATTENTION, Effect, EffectKind
from dispatch.domain.message_kinds import MessageKind
from dispatch.domain.model import Visit
from dispatch.domain.route import Route
from dispatch.services.disruptions import INSTANT, busy_until
from dispatch.services.eta import day_model, refresh_technician
from dispatch.services.retry import with_retries
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes

COVERED = ATTENTION | {EffectKind.OFFERED}  # a force-majeure message told them already
WARNED = frozenset({EffectKind.WARNED, EffectKind.RETIMED})


def _touched(d: Disruption, v: Visit) -> bool:
    assert d.area is not None
    return d.area.contains(v.location) and v.promise.start < d.end and d.start < v.promise.end


def warn_area(uow: UnitOfWork, clock: Clock, travel: TravelTimes, disruption_id: int
              ) -> list[Effect]:  # fmt: skip
    """``travel`` must already slow the roads inside the area (``slowdowns.travel_at``)."""
    with uow:
        d = uow.disruptions.get(disruption_id)
        if d is None or d.area is None:
            return []
        ids = [t.id for t in uow.technicians.all()]
        routes = uow.routes.get_many(ids)
        mine = [tid for tid, r in routes.items() if any(_touched(d, v) for v in r.open_visits)]
    out: list[Effect] = []
    for tid in mine:
        out += with_retries(partial(_warn_route, uow, clock, travel, d, tid), clock,
                            "warning customers of bad weather")  # fmt: skip
    with uow:
        uow.disruptions.mark_handled(d.id, clock.now())
        uow.commit()
    return out


def _warn_route(uow: UnitOfWork, clock: Clock, travel: TravelTimes, d: Disruption,
                tid: int) -> list[Effect]:  # fmt: skip
    now = clock.now()
    with uow:
        route, tech = uow.routes.get(tid), uow.technicians.get(tid)
        inside = [v.ticket_id for v in route.open_visits if _touched(d, v)]
        if tech is None or not inside:
            return []
        told = {(e.disruption_id, e.ticket_id): e for e in uow.effects.of_tickets(inside)}
        skip = {t for (did, t), e in told.items() if did == d.id or e.kind in COVERED}
        snowing = {x.id for x in uow.disruptions.overlapping(now, now + INSTANT)} - {d.id}
        heard = {t for (did, t), e in told.items() if did in snowing and e.kind in WARNED}
        _releg(route, travel, now)
        state = uow.technicians.field_states([tid])[tid]
        refresh_technician(uow, route, tech, state, now, travel, day_model(uow, now),
                           busy_until(uow, now).get(tid))  # fmt: skip
        effects = [_tell(route, d, t, now, t in heard) for t in inside if t not in skip]
        for e in effects:
            if not uow.effects.add(e):
                raise StaleRoute("another run warned this customer meanwhile")
        if not uow.routes.save(route):
            raise StaleRoute(f"the route of technician {tid} changed meanwhile")
        uow.commit()
        return effects


def _releg(route: Route, travel: TravelTimes, now: datetime) -> None:
    """The stored legs between stops with the slowed roads: the ETA refresh re-times from
    them (it asks the roads only for the first leg, from where the technician is)."""
    stops = route.open_visits
    if len(stops) < 2:
        return
    m = travel.matrix([v.location.latlon for v in stops], [v.location.latlon for v in stops], now)
    for k in range(1, len(stops)):
        v = stops[k]
        route.retime(v.ticket_id, eta=v.eta, now=now, leg_s=round(float(m[k - 1, k])))


def _tell(route: Route, d: Disruption, ticket_id: int, now: datetime, heard: bool) -> Effect:
    """``heard``: another slowdown in force warned them already; only a window this one
    breaks is news again."""
    v = route.visit(ticket_id)
    if heard and not any(isinstance(e, PromiseChanged) and e.ticket_id == ticket_id
                         for e in route.events):  # fmt: skip
        return Effect(d.id, ticket_id, EffectKind.WARNED, now, route.technician_id,
                      route.technician_id, v.promise, None)  # fmt: skip
    route.tell(WeatherNotice(ticket_id, route.technician_id, v.promise_version, now, d.id,
                             d.reason, v.promise, v.eta))  # fmt: skip
    last = route.events[-1]
    moved = isinstance(last, WeatherNotice) and last.old_window is not None
    return Effect(d.id, ticket_id, EffectKind.RETIMED if moved else EffectKind.WARNED, now,
                  route.technician_id, route.technician_id, route.visit(ticket_id).promise,
                  MessageKind.WEATHER_NOTICE.value)  # fmt: skip
