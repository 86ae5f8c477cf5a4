"""The kick between guided-local-search runs: which visits it takes out."""

import random

import numpy as np

from solver.routing.ruin import neighbours, string_removal


def grid_routes():
    # 4 routes of 6 visits each, nodes 1..24 on a line: route r holds 6r+1 .. 6r+6
    routes = [list(range(6 * r + 1, 6 * r + 7)) for r in range(4)]
    x = np.arange(25)
    cost = np.abs(x[:, None] - x[None, :]).astype(np.int64)
    return routes, neighbours(cost, list(range(1, 25)))


def test_neighbours_are_ordered_by_distance_and_exclude_the_node_itself():
    _, near = grid_routes()
    assert near(10)[:2] in ([9, 11], [11, 9])
    assert 10 not in near(10)
    assert len(near(10)) == 23
    assert near(0) == [], "the depot is not a visit"


def test_removed_visits_are_contiguous_strings_on_nearby_routes():
    routes, near = grid_routes()
    for seed in range(50):
        out = string_removal(routes, near, random.Random(seed), avg_removed=6, max_string=4)
        assert out, "a kick always takes something out"
        for route in routes:
            hit = [i for i, n in enumerate(route) if n in out]
            if hit:
                assert hit == list(range(hit[0], hit[-1] + 1)), "one unbroken string per route"
                assert len(hit) <= 4


def test_started_work_is_never_taken_out_and_the_seed_repeats():
    routes, near = grid_routes()
    fixed = frozenset({1, 7, 13, 19})
    a = [string_removal(routes, near, random.Random(s), fixed=fixed) for s in range(30)]
    b = [string_removal(routes, near, random.Random(s), fixed=fixed) for s in range(30)]
    assert a == b
    assert all(not (out & fixed) for out in a)


def test_nothing_to_remove_when_every_visit_is_fixed():
    routes, near = grid_routes()
    everything = frozenset(n for r in routes for n in r)
    assert string_removal(routes, near, random.Random(1), fixed=everything) == set()
