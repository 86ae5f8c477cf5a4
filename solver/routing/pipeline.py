"""Planning a day, end to end.

With ``sisr_share`` (the day setup, ``SearchConfig.for_budget``) the compiled
ruin-and-recreate search (``sisr``) plans first, for its share of the time, and
OR-Tools polishes its plan in the full model with the rest; without it OR-Tools plans
alone. Either way the full model (``ortools_model``) is the reference the plan is
read from.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from solver.model.problem import Problem
from solver.model.solution import Solution
from solver.routing import ortools_search, sisr
from solver.routing.extract import extract, no_vehicles
from solver.routing.kernel_arrays import kernel_arrays
from solver.routing.nodes import index_nodes, move_costs, previous_routes, previous_vehicles
from solver.routing.ortools_model import build_model
from solver.routing.search_config import SearchConfig


def solve(
    problem: Problem,
    config: SearchConfig = SearchConfig(),
    previous: Mapping[str, Sequence[str]] | None = None,
) -> Solution:
    """Plan the day. ``previous`` maps vehicle id -> visit ids (a warm start)."""
    problem.validate()
    if config.sisr_share > 0:
        sisr.warm_up()  # once per process: not charged to this solve's time limit
    started = time.perf_counter()
    if not problem.vehicles:
        return no_vehicles(problem, started)

    nodes = index_nodes(problem)
    priced = config.move_cost or any(v.pins.move_cost for v in problem.visits)
    was_on = previous_vehicles(nodes, previous) if priced else {}
    costs = move_costs(nodes, was_on, config.move_cost)
    # OR-Tools prices moved visits as soft same-vehicle constraints, which cost seconds
    # to load on a 500-visit day (measured: 4.5 s against 0.1 s). When the kernel does
    # all the search, OR-Tools only times its plan, so it is spared them.
    searching = config.sisr_share < 1.0
    model = build_model(nodes, was_on if searching else {}, costs)
    warm = previous_routes(nodes, previous)

    assignment = None
    restarts, gls_seconds = config.restarts, config.time_limit_s
    if config.sisr_share > 0:
        arrays = kernel_arrays(nodes, was_on, costs)
        planned = sisr.search(arrays, config.time_limit_s * config.sisr_share, config.seed,
                              warm, config.sisr_iterations)  # fmt: skip
        restarts, gls_seconds = 1, config.time_limit_s * (1 - config.sisr_share)
        assignment = ortools_search.polish(model, planned, config, gls_seconds)
    params = ortools_search.search_parameters(config, gls_seconds / max(1, restarts))
    assignment = ortools_search.search(model, assignment, warm, params, restarts)

    elapsed = time.perf_counter() - started
    return extract(nodes, model, assignment, elapsed, ortools_search.status(model))
