"""The garbage collector tuned for a server that keeps large caches.

The service keeps a fleet's planned fortnight (tens of thousands of appointments), the
road anchors and prepared matrix sides in memory. With CPython's default thresholds
(700, 10, 10) the short-lived objects of each slot request are promoted to the oldest
generation, and every few requests a full collection walks the whole heap: 200-250 ms
stalls, measured as the p95 of ``dispatch bench slots`` (340 ms against 160 ms with
this setting; docs/benchmarks.md). A larger first generation lets a request's
temporaries die young instead. Reference counting still frees almost everything at
once; only cycles wait for the collector, and they wait a little longer.
"""

from __future__ import annotations

import gc

YOUNG = 20_000  # allocations between young collections (CPython's default: 700)


def tune() -> None:
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)
