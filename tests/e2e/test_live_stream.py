"""The console's live stream (server-sent events) on a real server: a new ticket, a
technician's event, anything the console shows wakes every open console within a
couple of seconds; nobody without a login listens."""

from __future__ import annotations

import threading

import httpx
import pytest
from bearer_tokens import bearer
from live_server import serving
from test_api_cases import TICKET

from api.app import create_app
from dispatch.config import Settings


def test_a_new_ticket_wakes_every_open_console(engine, fleet, clock, travel, backend):
    if backend != "sqlite":
        pytest.skip("one database is enough for a server-sent events test")
    settings = Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0",
                                  "DISPATCH_STREAM_INTERVAL_S": "0.2"})  # fmt: skip
    app = create_app(settings, engine=engine, clock=clock, travel=travel)
    with serving(app) as url:
        assert httpx.get(f"{url}/api/stream").status_code == 401
        seen: list[list[str]] = [[], []]
        ready = [threading.Event(), threading.Event()]
        woke = [threading.Event(), threading.Event()]

        def listen(k: int) -> None:
            with httpx.stream("GET", f"{url}/api/stream", headers=bearer(), timeout=10) as r:
                assert r.headers["content-type"].startswith("text/event-stream")
                for line in r.iter_lines():
                    if line.startswith("event: "):
                        seen[k].append(line.removeprefix("event: "))
                        ready[k].set()
                        if len(seen[k]) == 2:  # the first reading, then the new ticket
                            woke[k].set()
                            return

        consoles = [threading.Thread(target=listen, args=(k,), daemon=True) for k in (0, 1)]
        for c in consoles:
            c.start()
        assert all(r.wait(10) for r in ready)  # both listening, the day as it was
        created = httpx.post(f"{url}/api/tickets", json=TICKET, headers=bearer())
        assert created.status_code == 201
        assert all(w.wait(10) for w in woke), seen
        assert seen == [["change", "change"], ["change", "change"]]
