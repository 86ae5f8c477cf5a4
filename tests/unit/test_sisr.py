"""The compiled ruin-and-recreate kernel on its own, against brute force.

Random six-visit, two-vehicle problems with windows and capacities are small enough
to enumerate every plan; the kernel must find the optimum, keep every constraint and
repeat itself for a given seed and iteration count.
"""

import itertools
import random

import numpy as np
import pytest

from solver.routing import sisr

N_VISITS, N_VEH, CAP = 6, 2, 40


def instance(seed: int, allowed=None, v_first=None, started_at=None) -> sisr.Arrays:
    rng = random.Random(seed)
    xy = np.array([(50, 50)] + [(rng.randint(0, 100), rng.randint(0, 100)) for _ in range(6)])
    m = np.abs(xy[:, None, :] - xy[None, :, :]).sum(axis=2).astype(np.int64)
    n = len(xy)
    earliest = np.zeros(n, dtype=np.int64)
    latest = np.full(n, 10_000, dtype=np.int64)
    for u in range(1, n):
        a = rng.randint(0, 250)
        earliest[u], latest[u] = a, a + rng.randint(40, 200)
    if started_at is not None:
        earliest[v_first[0]] = latest[v_first[0]] = started_at
    ok = np.ones((n, N_VEH), dtype=np.bool_) if allowed is None else allowed
    return sisr.Arrays(
        cost=m,
        travel=m,
        service=np.array([0] + [10] * 6, dtype=np.int64),
        earliest=earliest,
        latest=latest,
        demand=np.array([0] + [rng.randint(5, 15) for _ in range(6)], dtype=np.int64),
        penalty=np.array([0] + [100_000] * 6, dtype=np.int64),
        is_visit=np.array([False] + [True] * 6),
        allowed=ok,
        v_start=np.zeros(N_VEH, dtype=np.int64),
        v_end=np.zeros(N_VEH, dtype=np.int64),
        v_t0=np.zeros(N_VEH, dtype=np.int64),
        v_t1=np.full(N_VEH, 600, dtype=np.int64),
        v_cap=np.full(N_VEH, CAP, dtype=np.int64),
        v_first=np.array(v_first if v_first is not None else [-1] * N_VEH, dtype=np.int64),
    )


def route_cost(a: sisr.Arrays, k: int, route) -> int | None:
    """Distance of one route, or None if it breaks a window, the capacity, the return
    time, the vehicle's allowed visits or its started work."""
    if a.v_first[k] >= 0 and (not route or route[0] != a.v_first[k]):
        return None
    t, prev, total, load = int(a.v_t0[k]), int(a.v_start[k]), 0, 0
    for u in route:
        if not a.allowed[u, k]:
            return None
        total += int(a.cost[prev, u])
        t = max(t + int(a.travel[prev, u]), int(a.earliest[u]))
        if t > a.latest[u]:
            return None
        t += int(a.service[u])
        load += int(a.demand[u])
        prev = u
    if load > a.v_cap[k] or t + a.travel[prev, a.v_end[k]] > a.v_t1[k]:
        return None
    return total + int(a.cost[prev, a.v_end[k]])


def plan_cost(a: sisr.Arrays, routes) -> int:
    """Distance plus the penalty of every visit left out (inf if a route is infeasible)."""
    total = 0
    for k, r in enumerate(routes):
        c = route_cost(a, k, r)
        if c is None:
            return 10**18
        total += c
    served = {u for r in routes for u in r}
    return total + sum(int(a.penalty[u]) for u in range(1, 7) if u not in served)


def brute_force(a: sisr.Arrays) -> int:
    """Every split of every subset's order over two vehicles."""
    best = 10**18
    visits = list(range(1, 7))
    for size in range(len(visits) + 1):
        for chosen in itertools.combinations(visits, size):
            for order in itertools.permutations(chosen):
                for cut in range(size + 1):
                    best = min(best, plan_cost(a, [list(order[:cut]), list(order[cut:])]))
    return best


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_finds_the_brute_force_optimum(seed):
    a = instance(seed)
    routes = sisr.search(a, time_limit_s=5.0, seed=seed, iterations=3000)
    assert plan_cost(a, routes) == brute_force(a)


def test_same_seed_and_iterations_give_the_same_plan():
    a = instance(7)
    first = sisr.search(a, time_limit_s=5.0, seed=3, iterations=2000)
    again = sisr.search(a, time_limit_s=5.0, seed=3, iterations=2000)
    assert first == again


def test_allowed_vehicles_and_started_work_hold():
    allowed = np.ones((7, N_VEH), dtype=np.bool_)
    allowed[1:4, 0] = False  # visits 1-3 only on vehicle 1
    a = instance(5, allowed=allowed, v_first=[6, -1], started_at=120)
    routes = sisr.search(a, time_limit_s=5.0, seed=1, iterations=2000)
    assert routes[0][0] == 6
    assert not {1, 2, 3} & set(routes[0])
    assert plan_cost(a, routes) == brute_force(a)


def test_a_visit_nobody_can_reach_in_time_is_left_out():
    a = instance(2)
    a.earliest[4], a.latest[4] = 0, 5  # 5 time units after departure: too far for anyone
    routes = sisr.search(a, time_limit_s=5.0, seed=1, iterations=500)
    assert all(4 not in r for r in routes)
    assert plan_cost(a, routes) == brute_force(a)
