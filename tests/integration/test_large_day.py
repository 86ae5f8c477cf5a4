"""Issue 19's large day at CI size: 1,000 visits for 50 technicians on the Puurs and
Liechtenstein roads, planned in parts by two worker processes and replanned after
ten urgent tickets, each plan checked independently. (`dispatch bench large-day`
runs the 4,000-visit day; docs/benchmarks.md has its figures.)"""

import time
from collections.abc import Iterator

import pytest

from benchmarks.large_day import large_day
from solver.checker import check
from solver.routing import SearchConfig
from solver.routing import large_day as large_days
from solver.routing.large_day import plan_day

# alone on the machine: its parts search on a time budget in two worker processes, and
# beside other tests on two cores a part found no plan in time (CI, 728324c)
pytestmark = pytest.mark.serial


@pytest.fixture(autouse=True)
def workers_closed() -> Iterator[None]:
    """The workers are kept for the next large day; the rest of the run needs none."""
    yield
    large_days._close()


def test_a_thousand_visit_day_is_planned_and_replanned_in_parts_without_a_violation():
    began = time.perf_counter()
    day = large_day(technicians=50, per_technician=20, urgent=10, seed=2)
    first = plan_day(day.problem, SearchConfig.for_budget(20.0), workers=2)
    assert check(day.problem, first) == [] and not first.dropped
    assert first.status == "parts"  # really cut: a day this size is never one search
    later = day.with_urgent()
    # 20 s, the replan target. (With 10 s a part came back with no plan now and
    # then on a busy machine: OR-Tools' 100-ms finalizer limit, since raised; see
    # tests/solver/test_busy_core.py.)
    again = plan_day(later, SearchConfig(time_limit_s=20.0, sisr_share=0.9, move_cost=180),
                     first.order(), workers=2)  # fmt: skip
    assert check(later, again) == [] and not again.dropped  # every urgent ticket placed
    before = first.assignment()
    moved = [v for v, t in again.assignment().items() if v in before and before[v] != t]
    assert len(moved) <= len(before) // 20  # the booked day mostly stays as it was
    assert time.perf_counter() - began < 120  # issue 19: in CI within two minutes
