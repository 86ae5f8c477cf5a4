"""Quotes on the real Puurs road network (© OpenStreetMap contributors, ODbL)."""

import random
from datetime import timedelta
from pathlib import Path

import pytest

from benchmarks.roads import random_points
from dispatch.domain.model import Customer, GeoPoint, Technician, TimeWindow
from dispatch.services.tickets import NewTicket, create_ticket
from solver.roadnet.network import RoadNetwork
from solver.traveltime.haversine import Haversine

PUURS = Path(__file__).resolve().parents[2] / "fixtures" / "osm" / "be_puurs_itinero-openlr.osm.pbf"


@pytest.fixture(scope="module")
def roads() -> RoadNetwork:
    return RoadNetwork.from_file(PUURS)


def air_and_road_disagree(net: RoadNetwork):
    """Two places and a ticket where the nearer by air is clearly farther by road."""
    air = Haversine(speed_kmh=30, detour_factor=1.0)
    rng = random.Random(7)
    pts = random_points(net, 120, seed=3)
    for _ in range(5000):
        a, b, t = rng.sample(pts, 3)
        by_air = air.matrix([a, b], [t])[:, 0]
        by_road = net.matrix([a, b], [t])[:, 0]
        if by_air[0] < 0.8 * by_air[1] and by_road[0] > by_road[1] + 300:
            return a, b, t
    raise AssertionError("no disagreeing triple found")


def test_the_nearest_by_road_ranks_first_where_air_says_otherwise(uow, clock, roads, backend):
    near_by_air, near_by_road, spot = air_and_road_disagree(roads)
    with uow:
        uow.skills.upsert("cable_release", "Release a locked cable")
        shift = TimeWindow(clock.now() - timedelta(hours=1), clock.now() + timedelta(hours=8))
        ids = {}
        for code, home in (("air", near_by_air), ("road", near_by_road)):
            ids[code] = uow.technicians.add(
                Technician(0, code, f"Tech {code}", GeoPoint(*home), shift,
                           frozenset({"cable_release"}))
            )  # fmt: skip
        uow.commit()
    created = create_ticket(
        uow,
        clock,
        roads,
        NewTicket(
            customer=Customer("Ilse Michiels"),
            location=GeoPoint(*spot),
            kind="cable_stuck",
            skills=frozenset({"cable_release"}),
            service=timedelta(minutes=30),
        ),
        quote_only=True,
    )
    ranked = [c.technician.id for c in created.quote.candidates]
    assert ranked == [ids["road"], ids["air"]]
    first, second = created.quote.candidates
    assert first.travel < second.travel


def test_a_ticket_outside_every_region_is_refused_with_a_clear_reason(uow, clock, roads, backend):
    """Issue 14's guard rail: not a straight-line booking that no road reaches, nor a
    misleading "no technician fits"."""
    from dispatch.domain.errors import InvalidInput
    from solver.traveltime.regional import Regional

    travel = Regional([roads], Haversine(speed_kmh=30))
    with uow:
        uow.skills.upsert("cable_release", "Release a locked cable")
        uow.commit()
    off = GeoPoint(51.20, 4.30)  # a few km north of the Puurs extract
    assert not roads.covers(off.latlon)
    new = NewTicket(customer=Customer("Els"), location=off, kind="cable_stuck",
                    skills=frozenset({"cable_release"}), service=timedelta(minutes=30))  # fmt: skip
    with pytest.raises(InvalidInput, match="outside the service area"):
        create_ticket(uow, clock, travel, new)
    with uow:
        assert uow.tickets.list() == []  # nothing stored
