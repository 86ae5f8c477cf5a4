"""A technician's remaining day as the solver sees it, built from what is stored.

The route starts where the technician is: at the door of the job they are at, else
their last reported position, else their home base, and no earlier than now or their
shift start. Started and en-route visits are locked in front.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from dispatch.domain import lunch
from dispatch.domain.fieldstate import FieldState
from dispatch.domain.model import LunchBreak, Technician, Visit, VisitStatus
from dispatch.domain.promise import comfortable_end
from dispatch.domain.urgency import UrgencyFactors, assess
from solver.day_schedule import LunchRule
from solver.geo import LatLon
from solver.insertion import LiveRoute, Stop


def lunch_rule(planned: LunchBreak | None, free_s: int) -> LunchRule | None:
    """A due lunch as the schedulers take it; None once it no longer fits: a lunch he
    could not finish by its latest any more is his to take when he can, and the route
    does not wait for it."""
    if planned is None:
        return None
    begin = max(free_s, ts(planned.earliest))  # not before he is free (done at a door)
    rule = LunchRule(begin, ts(planned.latest), int(planned.duration.total_seconds()))
    return None if begin + rule.duration_s > rule.latest_s else rule


def ts(moment: datetime) -> int:
    return int(moment.timestamp())


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


@dataclass(frozen=True)
class LiveDay:
    """Live routes plus what is needed to turn solver answers back into visits."""

    routes: list[LiveRoute]
    technicians: dict[int, Technician]
    visits: dict[int, list[Visit]]  # technician id -> open visits in order
    versions: dict[int, int]


ON_SITE = (VisitStatus.ARRIVED, VisitStatus.STARTED)


def start_point(tech: Technician, visits: Sequence[Visit] = ()) -> LatLon:
    """At a job, its door: the last fix may predate the arrival (phones report every few
    minutes while driving), and a route starting there would have him drive to work he
    already began; a replan built so could not be loaded into OR-Tools at all."""
    on_site = next((v for v in visits if v.status in ON_SITE), None)
    return on_site.location.latlon if on_site else (tech.position or tech.home).latlon


def build_live_day(
    now: datetime,
    technicians: list[Technician],
    versions: Mapping[int, int],
    visits: Mapping[int, list[Visit]],
    urgency: Mapping[int, tuple[UrgencyFactors, bool]],
    states: Mapping[int, FieldState] | None = None,
) -> LiveDay:
    """``states``: the field state of each technician with a lunch today (the others
    need none): whether it is still to take, or being taken now."""
    routes: list[LiveRoute] = []
    for tech in technicians:
        open_visits = [v for v in visits.get(tech.id, []) if v.open]
        state = (states or {}).get(tech.id, FieldState())
        start_s = ts(max(now, tech.shift.start, lunch.back_from_break(tech, state) or now))
        stops = []
        for v in open_visits:
            factors, marked = urgency.get(v.ticket_id, (UrgencyFactors(), False))
            here = v.status in ON_SITE  # the route starts at its door: no drive, no wait
            stops.append(
                Stop(
                    id=v.ticket_id,
                    location=v.location.latlon,
                    service_s=_work_left(v, now) if here else int(v.service.total_seconds()),
                    # he waits for the told window (eta.retime_from)
                    earliest_s=None if here else ts(v.promise.start),
                    promise_end_s=ts(v.promise.end),
                    comfort_end_s=ts(comfortable_end(v.promise)),
                    locked=v.locked,
                    pushable=not assess(factors, marked, now).may_push,
                )
            )
        busy_s = stops[0].service_s if open_visits and open_visits[0].status in ON_SITE else 0
        routes.append(
            LiveRoute(
                vehicle_id=tech.id,
                start=start_point(tech, open_visits),
                start_s=start_s,
                shift_end_s=ts(tech.shift.end),
                stops=stops,
                legs_s=[0 if v.status in ON_SITE else v.leg_s for v in open_visits],
                lunch=lunch_rule(lunch.due(tech, state), start_s + busy_s),
            )
        )
    return LiveDay(
        routes=routes,
        technicians={t.id: t for t in technicians},
        visits={t.id: [v for v in visits.get(t.id, []) if v.open] for t in technicians},
        versions=dict(versions),
    )


def _work_left(v: Visit, now: datetime) -> int:
    """The planned work of a visit he is at, less what he has done since he arrived
    (its ETA is its arrival once he is there: ``eta.start_of``)."""
    return max(0, int((v.eta + v.service - now).total_seconds()))
