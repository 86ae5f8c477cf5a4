"""A reproducible live day at any scale, for benchmarks and for trying the system.

Technicians are mid-route: their shift began two hours ago, each has visits booked
with promised windows, and every other technician is already driving to the first.
The same seed always gives the same day.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from dispatch.clock import Clock
from dispatch.domain.errors import Conflict
from dispatch.domain.model import (
    Customer,
    GeoPoint,
    LunchBreak,
    Priority,
    Technician,
    Ticket,
    TicketStatus,
    TimeWindow,
    Visit,
    VisitStatus,
)
from dispatch.domain.promise import promise_window
from dispatch.store.ports import UnitOfWork
from solver.geo import LatLon
from solver.traveltime.protocol import OutsideServiceArea, TravelTimes

# The Puurs demo region (see fixtures/osm/README.md), a little inside its edges.
REGION = (51.052, 4.205, 51.125, 4.345)
SKILL_SETS = (
    ("ac_charger", "cable_release"),
    ("ac_charger", "dc_fast_charger"),
    ("ac_charger", "payment_terminal", "network_modem"),
    ("ac_charger", "cable_release", "heavy_lift"),
)
KINDS = (("cable_stuck", "cable_release", 30), ("charger_offline", "ac_charger", 45))


@dataclass(frozen=True)
class SyntheticDay:
    technicians: int
    visits: int


def _point(rng: random.Random, near: LatLon | None = None, spread: float = 0.02) -> LatLon:
    s, w, n, e = REGION
    if near is None:
        return (rng.uniform(s, n), rng.uniform(w, e))
    return (
        min(max(near[0] + rng.uniform(-spread, spread), s), n),
        min(max(near[1] + rng.uniform(-spread, spread) * 1.6, w), e),
    )


def _reachable_home(rng: random.Random, travel: TravelTimes) -> LatLon:
    for _ in range(100):
        home = _point(rng)
        try:
            travel.matrix([home], [home])
        except OutsideServiceArea:
            continue
        return home
    raise RuntimeError("no reachable point found in the region after 100 tries")


def _route_points(
    rng: random.Random, travel: TravelTimes, home: LatLon, count: int
) -> tuple[list[LatLon], list[list[float]]]:
    """Points the travel source can reach, and its matrix over them (home first)."""
    points = [home]
    while len(points) < count + 1:
        points.append(_point(rng, home))
    last: OutsideServiceArea | None = None
    for _ in range(200):  # a home near the region's edge may draw many points off the roads
        try:
            return points, travel.matrix(points, points).tolist()
        except OutsideServiceArea as exc:  # resample the unreachable point
            last = exc
            points = [p if p != exc.point or p == home else _point(rng, home) for p in points]
    assert last is not None
    raise last


def seed_synthetic(
    uow: UnitOfWork,
    clock: Clock,
    travel: TravelTimes,
    technicians: int,
    visits_per_technician: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
    emails: bool = False,
    lunch_min: int = 0,
) -> SyntheticDay:
    """``emails`` gives every customer an address (``customer-<tech>-<k>@example.org``)
    so the messaging pipeline plans e-mails for them. ``lunch_min``: a lunch that long
    for everyone, between two and three and a half hours from now (12:00-13:30 at the
    benchmarks' 10:00), still to take: what the quote and the refresh must plan."""
    rng = random.Random(seed)
    now = clock.now().replace(microsecond=0)
    shift = TimeWindow(now - timedelta(hours=2), now + timedelta(hours=9))
    lunch = None
    if lunch_min:
        lunch = LunchBreak(now + timedelta(hours=2), now + timedelta(hours=3.5),
                           timedelta(minutes=lunch_min))  # fmt: skip
    prefix = f"syn{seed}-"
    with uow:
        if uow.technicians.by_code(f"{prefix}0001") is not None:
            raise Conflict(
                f"a synthetic day with seed {seed} is already in this database; "
                "use another seed or a fresh database"
            )
        for code, label in (
            ("ac_charger", "AC charge points"),
            ("dc_fast_charger", "DC fast chargers"),
            ("cable_release", "Release a locked charging cable"),
            ("payment_terminal", "Payment terminal"),
            ("network_modem", "Connectivity"),
            ("heavy_lift", "Two-person lift"),
        ):
            if code not in uow.skills.codes():
                uow.skills.upsert(code, label)
        uow.commit()
    total = 0
    for i in range(technicians):
        home = _reachable_home(rng, travel)
        points, matrix = _route_points(rng, travel, home, visits_per_technician)
        with uow:
            tech_id = uow.technicians.add(
                Technician(
                    id=0,
                    code=f"{prefix}{i + 1:04d}",
                    name=f"Technician {i + 1}",
                    home=GeoPoint(*home),
                    shift=shift,
                    skills=frozenset(rng.choice(SKILL_SETS)),
                )
            )
            if lunch is not None:
                uow.technicians.update_shift(tech_id, shift, lunch)
            route = uow.routes.get(tech_id)
            t = now
            for k in range(1, visits_per_technician + 1):
                kind, skill, minutes = rng.choice(KINDS)
                leg = round(matrix[k - 1][k])
                eta = t + timedelta(seconds=leg)
                service = timedelta(minutes=minutes)
                ticket = Ticket(
                    id=0,
                    customer=Customer(
                        f"Customer {i + 1}-{k}",
                        email=f"customer-{i + 1}-{k}@example.org" if emails else None,
                        locale=rng.choice(("nl", "en")),
                    ),
                    location=GeoPoint(*points[k]),
                    kind=kind,
                    skills=frozenset({skill}),
                    service=service,
                    priority=Priority.NORMAL,
                    tracking_token=secrets.token_urlsafe(16),
                    created_at=now - timedelta(hours=3),
                    status=TicketStatus.ASSIGNED,
                )
                ticket.id = uow.tickets.add(ticket)
                visit = Visit(
                    ticket_id=ticket.id,
                    technician_id=tech_id,
                    sequence=k,
                    location=ticket.location,
                    eta=eta,
                    service=service,
                    window=promise_window(now, eta, k - 1),
                    leg_s=leg,
                )
                route.book(visit, k - 1, now, None)
                if k == 1 and i % 2 == 0:
                    route.set_status(ticket.id, VisitStatus.EN_ROUTE, now)
                t = eta + service
                total += 1
            uow.routes.save(route)
            uow.commit()
        if progress:
            progress(1)
    return SyntheticDay(technicians, total)
