"""The compiled kernel's speed on its own: a fixed number of iterations per Solomon
instance, so two commits do the same work and only their time differs.

    python -m benchmarks.kernel_iterations ../shared/benchmarks/vrptw/solomon/*.txt

Run it in a worktree of the other commit (``PYTHONPATH=<worktree>``) right after, on
the same machine, to compare. The plan's distance is printed too: a change that is
meant to model more (several windows, say) must leave a one-window day's plan as it was.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from solver.routing import sisr
from solver.routing.kernel_arrays import kernel_arrays
from solver.routing.nodes import index_nodes
from solver.vrptw.io import read_solomon

ITERATIONS = 20_000


def main(files: list[str]) -> None:
    sisr.warm_up()  # compiling is once per install; not timed
    total = 0.0
    for f in files:
        arrays = kernel_arrays(index_nodes(read_solomon(Path(f)).problem()))
        began = time.perf_counter()
        routes = sisr.search(arrays, 1e9, seed=1, iterations=ITERATIONS)
        took = time.perf_counter() - began
        total += took
        cost = 0
        for k, r in enumerate(routes):
            cost += sisr._route_cost(arrays, k, np.array(r, dtype=np.int64))
        print(f"{Path(f).stem:8} {took:6.2f} s  distance x10 {cost}")
    print(f"total    {total:6.2f} s for {ITERATIONS:,} iterations x {len(files)} instances")


if __name__ == "__main__":
    main(sys.argv[1:])
