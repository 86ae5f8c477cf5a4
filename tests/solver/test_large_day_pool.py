"""The large day's worker processes are started once and kept: the periodic replan of a
large day had paid ~3 s every 10 minutes to start them anew."""

from __future__ import annotations

from solver.routing import large_day


def test_the_workers_are_kept_between_large_days_and_closed_at_exit() -> None:
    try:
        pool = large_day._pool(1)
        assert large_day._pool(1) is pool  # the next replan finds them ready
        assert pool.submit(large_day._ready, 0).result(timeout=60)
        wider = large_day._pool(2)  # another count of cores: started anew, the old closed
        assert wider is not pool and len(large_day._POOL) == 1
    finally:
        large_day._close()
    assert not large_day._POOL
