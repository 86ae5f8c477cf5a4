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


def instance(seed: int, allowed=None, v_first=None, started_at=None, breaks=None, move=None,
             soft=None, overtime=None, two_windows=False):  # fmt: skip
    """soft: {visit: (promise end, cost per unit late)}; overtime: (shift end, cost per
    unit past it), the hard return time staying 600. two_windows: each visit also gets
    a later second window ("before ten or after two"), after a gap."""
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
    w_lo = np.zeros((n, 2), dtype=np.int64)
    w_hi = np.zeros((n, 2), dtype=np.int64)
    w_lo[:, 0], w_hi[:, 0] = earliest, latest
    w_n = np.ones(n, dtype=np.int64)
    if two_windows:
        for u in range(1, n):
            w_lo[u, 1] = latest[u] + rng.randint(30, 150)
            w_hi[u, 1] = w_lo[u, 1] + rng.randint(20, 80)
            w_n[u] = 2
    ok = np.ones((n, N_VEH), dtype=np.bool_) if allowed is None else allowed
    return sisr.Arrays(
        cost=m,
        travel=m,
        service=np.array([0] + [10] * 6, dtype=np.int64),
        w_lo=w_lo,
        w_hi=w_hi,
        w_n=w_n,
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
        move=np.zeros((n, N_VEH), dtype=np.int64) if move is None else move,
        b_count=np.array([len(b) for b in breaks] if breaks else [0] * N_VEH, dtype=np.int64),
        b_dur=np.array([[d for d, _, _ in b] for b in breaks] if breaks else [[0]] * N_VEH),
        b_lo=np.array([[lo for _, lo, _ in b] for b in breaks] if breaks else [[0]] * N_VEH),
        b_hi=np.array([[hi for _, _, hi in b] for b in breaks] if breaks else [[0]] * N_VEH),
        soft_end=np.array([soft.get(u, (sisr.INF, 0))[0] if soft else sisr.INF for u in range(n)]),
        late_cost=np.array([soft.get(u, (0, 0))[1] if soft else 0 for u in range(n)]),
        v_soft_end=np.full(N_VEH, overtime[0] if overtime else sisr.INF, dtype=np.int64),
        v_over_cost=np.full(N_VEH, overtime[1] if overtime else 0, dtype=np.int64),
        slow=np.array([bool(breaks or soft or overtime)] * N_VEH),
    )


def start_at(a: sisr.Arrays, u: int, t: int) -> int | None:
    """Service start for an arrival at t: the first window not yet closed, waited for."""
    spans = zip(a.w_lo[u, : a.w_n[u]], a.w_hi[u, : a.w_n[u]], strict=True)
    return next((max(t, int(lo)) for lo, hi in spans if t <= hi), None)


def on_time(a: sisr.Arrays, k: int, route, break_at: int | None) -> int | None:
    """Replay a route with its one break (if any) taken after ``break_at`` stops
    (len(route) + 1: at home after the trip back): None if a window or the return
    time breaks, else the lateness and overtime cost."""
    t, prev, soft = int(a.v_t0[k]), int(a.v_start[k]), 0

    def take(t: int) -> int | None:
        begin = max(t, int(a.b_lo[k, 0]))
        return None if begin > a.b_hi[k, 0] else begin + int(a.b_dur[k, 0])

    for q, u in enumerate([*route, int(a.v_end[k])]):
        if q == break_at:
            t = take(t)
            if t is None:
                return None
        t += int(a.travel[prev, u])
        if q == len(route):
            break
        t = start_at(a, u, t)
        if t is None:
            return None
        soft += max(0, t - int(a.soft_end[u])) * int(a.late_cost[u])
        t += int(a.service[u])
        prev = u
    if break_at == len(route) + 1:
        t = take(t)
        if t is None:
            return None
    if t > a.v_t1[k]:
        return None
    return soft + max(0, t - int(a.v_soft_end[k])) * int(a.v_over_cost[k])


def route_cost(a: sisr.Arrays, k: int, route) -> int | None:
    """Distance (and move cost) of one route, or None if it breaks a window, the
    capacity, the return time, the vehicle's allowed visits or its started work."""
    if a.v_first[k] >= 0 and (not route or route[0] != a.v_first[k]):
        return None
    if any(not a.allowed[u, k] for u in route):
        return None
    if sum(int(a.demand[u]) for u in route) > a.v_cap[k]:
        return None
    options = range(len(route) + 2) if a.b_count[k] else [None]
    softs = [c for b in options if (c := on_time(a, k, route, b)) is not None]
    if not softs:
        return None
    path = [int(a.v_start[k]), *route, int(a.v_end[k])]
    moves = sum(int(a.move[u, k]) for u in route)
    return sum(int(a.cost[x, y]) for x, y in itertools.pairwise(path)) + moves + min(softs)


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


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("breaks", [None, [[(70, 200, 210)]] * N_VEH])
def test_two_windows_per_visit_find_the_brute_force_optimum(seed, breaks):
    # each visit open early or late, with a gap between: waiting for the second
    # window, or taking the first, is the kernel's choice, as brute force's
    a = instance(seed, two_windows=True, breaks=breaks)
    routes = sisr.search(a, time_limit_s=5.0, seed=seed, iterations=3000)
    assert plan_cost(a, routes) == brute_force(a)


def test_a_second_window_serves_a_visit_the_first_cannot():
    a = instance(2, two_windows=True)
    a.w_lo[4, 0], a.w_hi[4, 0] = 0, 5  # the morning window is out of reach for anyone
    routes = sisr.search(a, time_limit_s=5.0, seed=1, iterations=1000)
    (k,) = [k for k, r in enumerate(routes) if 4 in r]  # served in its afternoon window
    (start,) = [t for u, t in starts_of(a, k, routes[k]) if u == 4]
    assert a.w_lo[4, 1] <= start <= a.w_hi[4, 1]
    assert plan_cost(a, routes) == brute_force(a)


def starts_of(a: sisr.Arrays, k: int, route) -> list[tuple[int, int]]:
    """(visit, service start) along a route without breaks, waiting for a window."""
    t, prev, out = int(a.v_t0[k]), int(a.v_start[k]), []
    for u in route:
        t += int(a.travel[prev, u])
        t = start_at(a, u, t)
        out.append((u, t))
        t += int(a.service[u])
        prev = u
    return out


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
    a.w_lo[4, 0], a.w_hi[4, 0] = 0, 5  # 5 time units after departure: too far for anyone
    routes = sisr.search(a, time_limit_s=5.0, seed=1, iterations=500)
    assert all(4 not in r for r in routes)
    assert plan_cost(a, routes) == brute_force(a)


@pytest.mark.parametrize(("seed", "brk"), [(1, (70, 200, 210)), (5, (70, 200, 210)),
                                           (2, (120, 100, 130))])  # fmt: skip
def test_breaks_are_fitted_between_stops_as_brute_force_would(seed, brk):
    # (duration, earliest start, latest start) on both vehicles; each case is one
    # where the break changes the best plan (a visit dropped or the routes changed)
    a = instance(seed, breaks=[[brk]] * N_VEH)
    assert brute_force(a) != brute_force(instance(seed))
    routes = sisr.search(a, time_limit_s=5.0, seed=seed, iterations=3000)
    assert plan_cost(a, routes) == brute_force(a)


def test_a_move_cost_keeps_the_warm_start_unless_moving_pays():
    a0 = instance(3)
    free = sisr.search(a0, time_limit_s=5.0, seed=1, iterations=2000)
    # the previous plan: everything on the other vehicle than the free optimum chose
    previous = [free[1], free[0]]
    move = np.zeros((7, N_VEH), dtype=np.int64)
    for k, r in enumerate(previous):
        for u in r:
            move[u, 1 - k] = 1000  # dearer than any detour here
    a = instance(3, move=move)
    routes = sisr.search(a, time_limit_s=5.0, seed=1, initial=previous, iterations=2000)
    assert plan_cost(a, routes) == brute_force(a)
    assert [set(r) for r in routes] == [set(r) for r in previous]


def test_a_warm_start_that_no_longer_fits_is_repaired():
    a = instance(4)
    late = [[6, 5, 4, 3, 2, 1], []]  # one route, windows ignored
    assert plan_cost(a, late) >= 10**18
    routes = sisr.search(a, time_limit_s=5.0, seed=1, initial=late, iterations=2000)
    assert plan_cost(a, routes) == brute_force(a)


def test_whatever_the_budget_a_stale_warm_start_comes_back_feasible():
    a = instance(4)
    late = [[6, 5, 4, 3, 2, 1], []]
    for iterations in (1, 2, 5):
        routes = sisr.search(a, time_limit_s=5.0, seed=1, initial=late, iterations=iterations)
        assert plan_cost(a, routes) < 10**18, routes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_soft_promises_and_overtime_are_priced_as_brute_force_prices_them(seed):
    base = instance(seed)
    # two customers promised well before their windows allow is likely: late, at a price
    soft = {u: (int(base.w_lo[u, 0]) - 20, 3) for u in (2, 5)}
    a = instance(seed, soft=soft, overtime=(400, 2))
    assert brute_force(a) != brute_force(base)  # the prices change the best plan's cost
    routes = sisr.search(a, time_limit_s=5.0, seed=seed, iterations=3000)
    assert plan_cost(a, routes) == brute_force(a)
