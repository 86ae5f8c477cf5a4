"""A technician's remaining day as the solver sees it, built from what is stored.

The route starts where the technician is: at the door of the job they are at, else
their last reported position, else their home base, and no earlier than now or their
shift start. Started and en-route visits are locked in front.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from dispatch.domain.model import Technician, Visit, VisitStatus
from dispatch.domain.promise import comfortable_end
from dispatch.domain.urgency import UrgencyFactors, assess
from solver.geo import LatLon
from solver.insertion import LiveRoute, Stop


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
) -> LiveDay:
    routes: list[LiveRoute] = []
    for tech in technicians:
        open_visits = [v for v in visits.get(tech.id, []) if v.open]
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
        routes.append(
            LiveRoute(
                vehicle_id=tech.id,
                start=start_point(tech, open_visits),
                start_s=ts(max(now, tech.shift.start)),
                shift_end_s=ts(tech.shift.end),
                stops=stops,
                legs_s=[0 if v.status in ON_SITE else v.leg_s for v in open_visits],
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
