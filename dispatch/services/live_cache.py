"""Open routes cached per process, keyed by each route's version.

Every change to a route's visits (a booking, an event, an ETA refresh) bumps its
``route_version`` in the same transaction, so a cached route whose version still
matches the database is exactly what a fresh read would return. A quote then reads only
the versions (one small query) and the routes that changed since it last looked.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from dispatch.store.ports import OpenRoute, UnitOfWork

Entry = OpenRoute
MAX_ROUTES = 20_000


class RouteCache:
    def __init__(self, max_routes: int = MAX_ROUTES) -> None:
        self._data: OrderedDict[tuple[str, int, int], Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_routes
        self.hits = 0
        self.misses = 0

    def routes(
        self, uow: UnitOfWork, technician_ids: Sequence[int], versions: Mapping[int, int]
    ) -> dict[int, Entry]:
        out: dict[int, Entry] = {}
        missing: list[int] = []
        with self._lock:
            for tid in technician_ids:
                key = (uow.store_id, tid, versions.get(tid, 0))
                entry = self._data.get(key)
                if entry is None:
                    missing.append(tid)
                else:
                    self._data.move_to_end(key)
                    out[tid] = entry
            self.hits += len(out)
            self.misses += len(missing)
        if missing:
            loaded = uow.routes.open_routes(missing)
            with self._lock:
                for tid, entry in loaded.items():
                    self._data[(uow.store_id, tid, versions.get(tid, 0))] = entry
                    out[tid] = entry
                while len(self._data) > self._max:
                    self._data.popitem(last=False)
        return out

    def put(self, store_id: str, technician_id: int, version: int, entry: Entry) -> None:
        """Remember a route its writer just committed: the entry for that version is
        exactly what the writer stored, so the next reader need not load it again.
        Call only after the commit, or a version that never happened is cached."""
        with self._lock:
            self._data[(store_id, technician_id, version)] = entry
            while len(self._data) > self._max:
                self._data.popitem(last=False)


ROUTES = RouteCache()
