"""A plan the kernel found is timed by OR-Tools even when the core is busy.

OR-Tools places cumuls and breaks in a nested search bounded by ``lns_time_limit`` of
wall time; at its default (100 ms) a 600-visit day with lunch breaks came back as "no
plan" whenever another process shared the core, and a replan dropped every visit of
its part. This test shares its core with a busy process on purpose."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from benchmarks.large_day import large_day
from solver.routing import sisr
from solver.routing.kernel_arrays import kernel_arrays
from solver.routing.nodes import index_nodes
from solver.routing.ortools_model import build_model
from solver.routing.ortools_search import polish
from solver.routing.search_config import SearchConfig

pytestmark = pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux only")


@pytest.fixture
def busy_core() -> Iterator[None]:
    """This process and a spinning one on the same core, for the test's length."""
    before = os.sched_getaffinity(0)
    core = min(before)
    os.sched_setaffinity(0, {core})
    spin = subprocess.Popen([sys.executable, "-c", "while True: pass"],
                            preexec_fn=lambda: os.sched_setaffinity(0, {core}))  # fmt: skip
    try:
        yield
    finally:
        spin.kill()
        spin.wait()
        os.sched_setaffinity(0, before)


def test_a_600_visit_plan_with_breaks_is_timed_beside_a_busy_process(busy_core: None) -> None:
    day = large_day(technicians=25, per_technician=25, urgent=0, seed=3)
    assert all(v.breaks for v in day.problem.vehicles)  # everyone's lunch
    nodes = index_nodes(day.problem)
    planned = sisr.search(kernel_arrays(nodes), 1e9, 1, None, 300)
    model = build_model(nodes, {}, {})
    # the replan's parts give the kernel all the time: OR-Tools only times its plan
    assert polish(model, planned, SearchConfig(), 0.0) is not None
