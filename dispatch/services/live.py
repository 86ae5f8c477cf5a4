"""A technician's remaining day as the solver sees it, built from what is stored.

The route starts where the technician is: their last reported position if there is
one, else the last place they worked or their home base, and no earlier than now or
their shift start. Started and en-route visits are locked in front.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from dispatch.domain.model import Technician, Visit
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


def start_point(tech: Technician) -> LatLon:
    return (tech.position or tech.home).latlon


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
            stops.append(
                Stop(
                    id=v.ticket_id,
                    location=v.location.latlon,
                    service_s=int(v.service.total_seconds()),
                    promise_end_s=ts(v.promise.end),
                    locked=v.locked,
                    pushable=not assess(factors, marked, now).may_push,
                )
            )
        routes.append(
            LiveRoute(
                vehicle_id=tech.id,
                start=start_point(tech),
                start_s=ts(max(now, tech.shift.start)),
                shift_end_s=ts(tech.shift.end),
                stops=stops,
                legs_s=[v.leg_s for v in open_visits],
            )
        )
    return LiveDay(
        routes=routes,
        technicians={t.id: t for t in technicians},
        visits={t.id: [v for v in visits.get(t.id, []) if v.open] for t in technicians},
        versions=dict(versions),
    )
