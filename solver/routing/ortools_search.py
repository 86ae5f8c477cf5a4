"""OR-Tools' search over the day model: polishing the kernel's plan, or planning alone
from a warm start or from scratch when there is no kernel plan to polish."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from solver.routing.ortools_model import DayModel, load_routes
from solver.routing.search_config import SearchConfig

log = logging.getLogger(__name__)
FIRST_SOLUTION = routing_enums_pb2.FirstSolutionStrategy
METAHEURISTIC = routing_enums_pb2.LocalSearchMetaheuristic
KEEP_PLAN_S = 10.0  # room to time a loaded plan on a big day: it stops at the first
# OR-Tools times a plan (its cumuls and breaks: the finalizer) inside a nested search
# bounded by ``lns_time_limit``, 100 ms of wall time by default. A 600-visit part with
# lunch breaks needs ~100 ms on an idle core, so on a busy machine (a replan beside the
# API, CI's parallel tests) the finalizer ran out and a feasible plan came back as "no
# plan": every visit of the part dropped (bb32721's flaky large-day replan). Measured
# with a busy sibling on the same core: 30 of 30 failed at 100 ms, 0 of 20 at 2 s.
# Only for timing a plan found elsewhere: the same limit bounds every neighbour's
# completion in guided local search, where 2 s spent on a hopeless one is lost.
FINALIZER_S = 2.0


def search_parameters(config: SearchConfig, seconds: float) -> Any:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(FIRST_SOLUTION, config.first_solution)
    params.local_search_metaheuristic = getattr(METAHEURISTIC, config.metaheuristic)
    params.guided_local_search_lambda_coefficient = config.gls_lambda
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    params.log_search = config.log
    return params


def polish(
    model: DayModel, planned: Sequence[Sequence[int]], config: SearchConfig, seconds: float
) -> Any | None:
    """Local search from the kernel's plan. None when the plan does not load -- the two
    models disagree, which is a bug worth a warning, not a failed day: ``search`` still
    finds a plan."""
    initial = load_routes(model, planned)
    if initial is None:
        log.warning("the ruin-and-recreate plan did not load into OR-Tools")
        return None
    routing = model.routing
    found = routing.SolveFromAssignmentWithParameters(initial, search_parameters(config, seconds))
    if found is None:  # the sliver of time ran out before any step: keep the kernel's plan
        keep = search_parameters(config, max(seconds, KEEP_PLAN_S))
        keep.solution_limit = 1
        keep.lns_time_limit.FromMilliseconds(int(FINALIZER_S * 1000))
        found = routing.SolveFromAssignmentWithParameters(initial, keep)
    return found


def search(
    model: DayModel,
    assignment: Any | None,
    previous_routes: Sequence[Sequence[int]] | None,
    params: Any,
    restarts: int,
) -> Any | None:
    """Keeps ``assignment`` when there is one, else starts from the previous routes (if
    they load) or from scratch; then the chained restarts, an option no default path
    uses: the search resumed from the best plan so far with its penalties reset."""
    routing = model.routing
    if assignment is None and previous_routes is not None:
        initial = load_routes(model, previous_routes)
        if initial is not None:
            assignment = routing.SolveFromAssignmentWithParameters(initial, params)
    if assignment is None:
        assignment = routing.SolveWithParameters(params)
    for _ in range(restarts - 1):
        if assignment is None:
            break
        again = routing.SolveFromAssignmentWithParameters(assignment, params)
        if again is not None and again.ObjectiveValue() <= assignment.ObjectiveValue():
            assignment = again
    return assignment


def status(model: DayModel) -> str:
    code = model.routing.status()
    return {0: "not solved", 1: "success", 2: "no solution", 3: "timeout", 4: "invalid"}.get(
        code, str(code)
    )
