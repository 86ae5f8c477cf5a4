"""String removal (after SISR, Christiaens & Vanden Berghe 2020) as a kick between
guided-local-search runs.

Guided local search settles into one region of the plan space; resetting its
penalties alone rarely moves it far. Removing a few short strings of visits that lie
close together, on neighbouring routes, and letting the local search put them back
opens room for re-sequencing that single moves cannot reach (the tight-window Solomon
instances are where it shows). The module works on plain lists of node numbers so it
knows nothing of OR-Tools.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt


def neighbours(cost: npt.NDArray[np.int64], nodes: Sequence[int]) -> Callable[[int], list[int]]:
    """For a visit node, the other visit nodes ordered by symmetric distance. A kick
    only looks at its seed's row, so each row is sorted when asked for, not all n x n
    up front."""
    idx = np.asarray(nodes, dtype=np.int64)
    row_of = {int(n): i for i, n in enumerate(idx)}
    sub = cost[np.ix_(idx, idx)]
    sym = sub + sub.T

    def near(node: int) -> list[int]:
        i = row_of.get(node)
        if i is None:
            return []
        order = np.argsort(sym[i], kind="stable")
        return [int(idx[j]) for j in order if j != i]

    return near


def string_removal(
    routes: Sequence[Sequence[int]],
    near: Callable[[int], list[int]],
    rng: random.Random,
    avg_removed: int = 10,
    max_string: int = 10,
    fixed: frozenset[int] = frozenset(),
) -> set[int]:
    """Pick the visit nodes to take out: strings around a random seed visit, one per
    nearby route. ``fixed`` nodes (started work) are never removed."""
    where: dict[int, int] = {}
    for r, route in enumerate(routes):
        for node in route:
            where[node] = r
    candidates = [n for n in where if n not in fixed]
    if not candidates:
        return set()
    used = [r for r in routes if r]
    mean_len = sum(len(r) for r in used) / max(1, len(used))
    l_max = max(1.0, min(float(max_string), mean_len))
    k_max = 4 * avg_removed / (1 + l_max) - 1
    n_routes = max(1, int(rng.uniform(1, k_max + 1)))
    seed = rng.choice(candidates)
    removed: set[int] = set()
    ruined: set[int] = set()
    for node in [seed, *near(seed)]:
        if len(ruined) >= n_routes:
            break
        hit = where.get(node)
        if hit is None or hit in ruined or node in removed:
            continue
        route = list(routes[hit])
        size = max(1, int(rng.uniform(1, min(l_max, len(route)) + 1)))
        at = route.index(node)
        first = rng.randint(max(0, at - size + 1), min(at, len(route) - size))
        removed.update(n for n in route[first : first + size] if n not in fixed)
        ruined.add(hit)
    return removed
