"""A matrix side stacked from per-point rows: every point's junctions and costs, the
narrower rows padded with their own first junction at an infinite cost (never chosen),
and the chain entries sorted by chain for ``along``."""

from __future__ import annotations

import numpy as np

from solver.roadnet.sides import INF, row, stack


def test_rows_of_different_widths_stack_padded_and_chains_sorted() -> None:
    side = stack([
        row(((7, 10.0), (9, 4.0)), ((5, 1.5, 0), (2, 0.5, 1))),
        row(((3, 2.0),), ((2, 9.0, 4),)),
    ])  # fmt: skip
    assert side.nodes.tolist() == [[7, 9], [3, 3]]
    assert side.costs.tolist() == [[10.0, 4.0], [2.0, INF]]
    assert side.chain.tolist() == [2, 2, 5]  # by chain, points in order within one
    assert side.point.tolist() == [0, 1, 0]
    assert side.pos.tolist() == [0.5, 9.0, 1.5]
    assert side.nodes.dtype == np.int64 and side.costs.dtype == np.float64
