"""The garbage collector tuned for a server that keeps large caches.

A request allocates tens of thousands of short-lived objects, and the service keeps
big caches in memory: the route cache, a fleet's planned fortnight (tens of thousands
of appointments), road anchors and prepared matrix sides. With CPython's default
thresholds (700, 10, 10) a request's temporaries are promoted to the oldest generation,
and every few requests a full collection walks the whole heap. That added ~40 ms to
one quote in a few (issue 3), and 200-250 ms to one slot search in six (issue 13:
``dispatch bench slots`` p95 374 ms with the defaults, 138 ms with this). Freezing what
exists at start-up and a larger young generation let temporaries die young instead.
Reference counting still frees almost everything at once; only cycles wait longer.
"""

from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 50)  # CPython's default: (700, 10, 10)


def tune() -> None:
    """For ``dispatch serve`` once the app is built, and for benchmarks that stand in
    for it."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
