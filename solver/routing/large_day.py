"""Planning a day too large for one search: parts in parallel worker processes, twice.

One search over 4,000 visits and 200 technicians spends its time on moves between
technicians 40 km apart that never pay. So the day is cut into parts of nearby
technicians (``parts.split``), each part is planned as a day of its own in a worker
process (the parts are independent problems: no shared state, one matrix slice each),
and the plans are put together. A second pass cuts the day the other way, starting
from the first pass's plan, so visits can also move across the first pass's borders.
Every part's plan is on the day's own clock, so the merged plan needs no re-timing;
the independent checker judges it whole.

``workers`` processes (default: the cores this process may use, at most one per part)
are started with ``spawn`` (a fork of a process that runs threads, the API server's,
is unsafe) on the first large day and kept for the next: starting them and loading
the compiled kernel took ~3 s, which the periodic replan paid every 10 minutes. A replan
(``previous`` given) runs the first pass only: its parts follow the current plan, and a
second pass would price moved visits against the first pass's plan instead of the one
the customers were told.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from multiprocessing import get_context

from solver.model.problem import Problem
from solver.model.solution import Solution
from solver.routing.parts import Part, split
from solver.routing.pipeline import solve
from solver.routing.search_config import SearchConfig

LARGE = 600  # visits; above this a day is planned in parts
PART_VEHICLES = 25  # technicians per part: ~500 visits, where one search still converges
FIRST_SHARE = 0.6  # of the time limit for the first pass; the rest crosses its borders
# of a part's time, the search's: building the OR-Tools model and reading the plan
# back take ~1 s for 500 visits (measured), outside the search's own limit
SEARCHING = 0.8


def _solve_part(part: Part, config: SearchConfig) -> Solution:
    return solve(part.problem, config, part.previous or None)


def _merged(problem: Problem, plans: Sequence[Solution], seconds: float) -> Solution:
    routes = tuple(r for s in plans for r in s.routes)
    dropped = tuple(d for s in plans for d in s.dropped)
    return Solution(routes, dropped, sum(s.cost for s in plans), sum(s.travel for s in plans),
                    seconds, "parts", tuple(line for s in plans for line in s.log))  # fmt: skip


def plan_day(
    problem: Problem,
    config: SearchConfig = SearchConfig(),
    previous: Mapping[str, Sequence[str]] | None = None,
    workers: int | None = None,
) -> Solution:
    """The day planned whole when it is small, in parts when it is large."""
    if len(problem.visits) <= LARGE or len(problem.vehicles) <= PART_VEHICLES:
        return solve(problem, config, previous)
    problem.validate()
    # A replan runs one pass: parts follow the current plan, and its move costs stay
    # priced against that plan (a second pass would price them against the first).
    passes = ((False, FIRST_SHARE), (True, 1.0)) if previous is None else ((False, 1.0),)
    first = split(problem, PART_VEHICLES, False, previous)
    workers = max(1, min(workers or _cores(), len(first)))
    with _LOCK:  # one large day at a time: the workers are the machine's cores
        # Started once and kept, and not the search's time: on a fresh install the first
        # start compiles the kernel (numba) in each worker, which took most of a 20-s
        # budget and left a part with no plan (CI in a fresh clone, bb32721).
        pool = _pool(workers)
        started = time.perf_counter()  # the time limit counts from here, not the queue
        deadline = started + config.time_limit_s
        try:
            plans = _passes(pool, workers, problem, passes, first, config, previous,
                            deadline)  # fmt: skip
        except BrokenProcessPool:  # a worker died (killed, out of memory): start anew
            _close()
            plans = _passes(_pool(workers), workers, problem, passes, first, config, previous,
                            deadline)  # fmt: skip
    return _merged(problem, plans, time.perf_counter() - started)


def _passes(pool: ProcessPoolExecutor, workers: int, problem: Problem,
            passes: Sequence[tuple[bool, float]], first: Sequence[Part], config: SearchConfig,
            previous: Mapping[str, Sequence[str]] | None, deadline: float,
            ) -> list[Solution]:  # fmt: skip
    plan: Mapping[str, Sequence[str]] | None = previous
    plans: list[Solution] = []
    for second, share in passes:
        parts = split(problem, PART_VEHICLES, second, plan) if second else first
        rounds = -(-len(parts) // workers)  # parts queue up behind the workers
        left = (deadline - time.perf_counter()) * share
        part_config = replace(config, time_limit_s=max(0.5, left / rounds * SEARCHING))
        if previous is not None:  # a replan: the kernel searches alone (pipeline)
            part_config = replace(part_config, sisr_share=1.0)
        plans = list(pool.map(_solve_part, parts, [part_config] * len(parts)))
        plan = {r.vehicle: [s.visit for s in r.stops] for p in plans for r in p.routes}
    return plans


_LOCK = threading.Lock()
_POOL: list[tuple[int, ProcessPoolExecutor]] = []  # the day's workers, started on first use


def _pool(workers: int) -> ProcessPoolExecutor:
    if _POOL and _POOL[0][0] != workers:
        _close()
    if not _POOL:
        pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
        try:
            list(pool.map(_ready, range(workers)))  # import and load the kernel
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
        _POOL.append((workers, pool))
    return _POOL[0][1]


@atexit.register
def _close() -> None:
    while _POOL:
        _POOL.pop()[1].shutdown(cancel_futures=True)


def _cores() -> int:
    """The cores this process may use (a container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _ready(_: int) -> bool:
    from solver.routing import sisr

    sisr.warm_up()
    return True
