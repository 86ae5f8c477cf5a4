"""The console's live updates over server-sent events: one watcher per process reads
a small change stamp (``services.changes``) every ``DISPATCH_STREAM_INTERVAL_S`` and
wakes every open console when it moves; each console then redraws what it shows.

One reading for all consoles, not one per console: 200 open consoles cost one query
every two seconds and 200 idle coroutines (issue 17: the quote's p95 may rise 20 % at
most; ``dispatch bench stream`` measures it).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from functools import partial

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from dispatch.services.changes import change_stamp
from dispatch.store.uow import SqlUnitOfWork

KEEP_ALIVE_S = 15.0  # a comment line now and then keeps proxies from closing the stream


class Watcher:
    def __init__(self, app: FastAPI, interval_s: float) -> None:
        self.app = app
        self.interval_s = interval_s
        self.stamp: tuple[int, ...] | None = None
        self.changed = asyncio.Condition()
        self.task: asyncio.Task[None] | None = None
        self.consoles = 0

    def ensure_running(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._watch())

    async def _watch(self) -> None:
        while self.consoles > 0:
            stamp: tuple[int, ...] | None
            try:
                stamp = await run_in_threadpool(change_stamp,
                                                SqlUnitOfWork(self.app.state.sessions))  # fmt: skip
            except Exception:  # the database blinked: try again next round
                stamp = self.stamp
            if stamp != self.stamp:
                self.stamp = stamp
                async with self.changed:
                    self.changed.notify_all()
            await asyncio.sleep(self.interval_s)

    def _moved(self, since: tuple[int, ...] | None) -> bool:
        return self.stamp != since

    async def events(self) -> AsyncIterator[str]:
        self.consoles += 1
        self.ensure_running()
        sent: tuple[int, ...] | None = None  # what this console last heard
        try:
            yield "retry: 3000\n\n"
            while True:
                if self.stamp is not None and self.stamp != sent:
                    sent = self.stamp
                    yield f"event: change\ndata: {json.dumps(list(sent))}\n\n"
                    continue
                async with self.changed:
                    try:  # the predicate first: a change just before we wait is not missed
                        await asyncio.wait_for(self.changed.wait_for(partial(self._moved, sent)),
                                               KEEP_ALIVE_S)  # fmt: skip
                    except TimeoutError:
                        yield ": still here\n\n"
        finally:
            self.consoles -= 1


def watcher(app: FastAPI) -> Watcher:
    found: Watcher | None = getattr(app.state, "watcher", None)
    if found is None:
        found = app.state.watcher = Watcher(app, app.state.settings.stream_interval_s)
    return found
