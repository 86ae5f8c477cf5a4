"""The world a scenario runs in: a fresh database migrated to head, the region's road
network, a synthetic fleet seeded through the seeding use case, and a webhook endpoint
that receives every customer message (how a CRM would follow along; the simulator
reads what customers were told from it). Every place is drawn from the scenario's
seed, on the roads."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from dispatch.clock import FakeClock
from dispatch.domain.model import GeoPoint
from dispatch.services.seed import seed_fleet, seed_skills
from dispatch.services.seed_calendars import seed_calendars
from dispatch.services.webhooks import register_webhook
from dispatch.store.engine import make_engine, session_factory
from dispatch.store.migrate import upgrade
from dispatch.store.uow import SqlUnitOfWork
from fixtures import load_json
from simulator.scenario import KINDS, Scenario
from solver.roadnet.network import RoadNetwork
from solver.traveltime.haversine import Haversine
from solver.traveltime.protocol import OutsideServiceArea, TravelTimes
from solver.traveltime.regional import Regional

OSM = Path(__file__).resolve().parent.parent / "fixtures" / "osm"
REGIONS = {  # (south, west, north, east), a little inside each extract
    "puurs": ("be_puurs_itinero-openlr.osm.pbf", (51.052, 4.205, 51.125, 4.345)),
    "liechtenstein": ("li_liechtenstein_valhalla.osm.pbf", (47.10, 9.50, 47.24, 9.56)),
}
HOOK = "https://crm.sim.invalid/messages"  # never dialled: the simulator's channel takes it
SKILLS = sorted({skill for skill, _ in KINDS.values()})


@dataclass
class World:
    uow: SqlUnitOfWork
    clock: FakeClock
    travel: TravelTimes
    zone: ZoneInfo
    box: tuple[float, float, float, float]
    rng: random.Random  # places of new customers
    engine: Engine

    def local(self, t: time, days: int = 0) -> datetime:
        return datetime.combine(self.clock.now().astimezone(self.zone).date()
                                + timedelta(days=days), t, self.zone)  # fmt: skip

    def place(self) -> GeoPoint:
        """A reachable point of the region (off-road points are drawn again)."""
        s, w, n, e = self.box
        for _ in range(200):
            p = (self.rng.uniform(s, n), self.rng.uniform(w, e))
            try:
                self.travel.matrix([p], [p])
            except OutsideServiceArea:
                continue
            return GeoPoint(*p)
        raise RuntimeError("no reachable point in the region after 200 tries")


def road_network(region: str) -> TravelTimes:
    name, _ = REGIONS[region]
    return Regional([RoadNetwork.from_file(OSM / name)], Haversine())


def build(sc: Scenario, database_url: str, start: time = time(7, 0)) -> World:
    engine = make_engine(database_url)
    upgrade(engine)
    uow = SqlUnitOfWork(session_factory(engine))
    zone = ZoneInfo(sc.zone)
    clock = FakeClock(datetime.combine(sc.date, start, zone))
    world = World(uow, clock, road_network(sc.region), zone, REGIONS[sc.region][1],
                  random.Random(f"{sc.seed}-places"), engine)  # fmt: skip
    seed_skills(uow, load_json("skills.json"))
    fleet = _fleet(sc, world)
    seed_fleet(uow, clock, fleet)
    if sc.fleet.lunch is not None:  # a calendar for everyone: the lunch comes with it
        seed_calendars(uow, clock, fleet)
    register_webhook(uow, clock, HOOK, ["*"])
    return world


def _fleet(sc: Scenario, world: World) -> dict[str, Any]:
    """Every technician can do every kind of work the scenario asks for: the measure is
    the ETA engine's, not a skills shortage's."""
    f = sc.fleet
    calendar: dict[str, str] = {}
    if f.lunch is not None:
        eat = f.lunch
        calendar = {"week": f"mon-sun {f.shift_start:%H:%M}-{f.shift_end:%H:%M}",
                    "lunch": f"{eat.earliest:%H:%M}-{eat.latest:%H:%M} {eat.minutes}"}  # fmt: skip
    return {"timezone": sc.zone, "technicians": [
        {"code": f"sim-{k:04d}", "name": f"Tech{k} Sim", "home": _latlon(world.place()),
         "shift": {"start": f.shift_start.strftime("%H:%M"), "hours": f.shift_hours},
         "skills": SKILLS, **calendar} for k in range(1, f.technicians + 1)]}  # fmt: skip


def _latlon(p: GeoPoint) -> dict[str, float]:
    return {"lat": p.lat, "lon": p.lon}
