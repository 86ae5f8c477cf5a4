"""A large day cut into parts: every visit in exactly one part, with someone who can
serve it, nearby technicians together, and each part's matrix the day's own slice."""

import random

import numpy as np

from solver.model import Pins, Problem, Vehicle, Visit
from solver.routing.parts import split


def city(n_vehicles: int = 40, n_visits: int = 400, seed: int = 1) -> Problem:
    """Two towns 100 km apart (x < 50 and x > 150); technicians live in both."""
    rng = random.Random(seed)
    homes = [(rng.uniform(0, 50) if k % 2 else rng.uniform(150, 200), rng.uniform(0, 50))
             for k in range(n_vehicles)]  # fmt: skip
    spots = [(rng.uniform(0, 50) if i % 2 else rng.uniform(150, 200), rng.uniform(0, 50))
             for i in range(n_visits)]  # fmt: skip
    xy = np.array(homes + spots)
    d = (np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) * 60).astype(np.int64)
    kit = [frozenset({"ac"} if k % 4 else {"ac", "dc"}) for k in range(n_vehicles)]
    vehicles = [Vehicle(f"t{k}", k, k, 0, 9 * 3600, skills=kit[k]) for k in range(n_vehicles)]
    visits = [Visit(f"v{i}", n_vehicles + i, 900,
                    skills=frozenset({"dc"} if i % 10 == 0 else {"ac"})) for i in range(n_visits)]
    return Problem(vehicles, visits, d)


def test_every_visit_lands_in_exactly_one_part_with_someone_able_to_serve_it():
    p = city()
    for second in (False, True):
        parts = split(p, 10, second)
        assert all(len(part.problem.vehicles) <= 10 for part in parts)
        ids = [v.id for part in parts for v in part.problem.visits]
        assert sorted(ids) == sorted(v.id for v in p.visits)
        for part in parts:
            for v in part.problem.visits:
                assert any(v.skills <= t.skills for t in part.problem.vehicles)


def test_a_part_holds_one_town_and_its_own_slice_of_the_matrix():
    p = city()
    where = {v.id: v for v in p.visits}
    homes = {t.id: t for t in p.vehicles}
    for part in [*split(p, 10), *split(p, 10, second=True)]:
        towns = {int(t.id[1:]) % 2 for t in part.problem.vehicles}  # odd: the western town
        assert len(towns) == 1  # nobody 100 km from the others
        sub = part.problem
        for v in sub.visits[:5]:  # the slice keeps every drive as it was
            t = sub.vehicles[0]
            full = p.durations[homes[t.id].start_location, where[v.id].location]
            assert sub.durations[t.start_location, v.location] == full


def test_a_planned_visit_stays_in_the_part_of_its_technician():
    p = city()
    previous = {"t3": ["v7", "v8"], "t4": ["v9"]}  # t3 and t4 live in different towns
    for second in (False, True):
        parts = split(p, 10, second, previous)
        owner = {v.id: part for part in parts for v in part.problem.visits}
        for vid, tid in (("v7", "t3"), ("v8", "t3"), ("v9", "t4")):
            part = owner[vid]
            assert tid in {t.id for t in part.problem.vehicles}
            assert vid in part.previous[tid]


def test_pinned_work_goes_with_its_technician_whoever_had_it_before():
    p = city()
    pinned = [Visit("pin", p.visits[0].location, 600, pins=Pins(vehicle="t5"))]
    q = Problem(p.vehicles, [*p.visits, *pinned], p.durations)
    for previous in (None, {"t4": ["pin"]}):  # t4 lives in the other town
        part = next(x for x in split(q, 10, previous=previous)
                    if any(v.id == "pin" for v in x.problem.visits))  # fmt: skip
        assert "t5" in {t.id for t in part.problem.vehicles}
