"""What 200 open consoles cost the quote (issue 17: p95 up by 20 % at most).

One ``dispatch serve`` on loopback with a synthetic day; the helpdesk's candidates are
timed with no console open, then with N consoles holding the live stream open (and
receiving every change: each new ticket moves the day), then with none again. The
consoles only listen, they do not redraw: what is measured is holding the streams.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import threading
import time

import httpx
import typer

from api.cli.bench_http import _summary, live_server, random_ticket


def _quotes(c: httpx.Client, rng: random.Random, n: int) -> list[float]:
    took: list[float] = []
    while len(took) < n:
        made = c.post("/api/tickets", json=random_ticket(rng))
        if made.status_code != 201:
            continue  # drawn off the road network: draw again
        t0 = time.perf_counter()
        c.get(f"/api/tickets/{made.json()['id']}/candidates", params={"limit": 5})
        took.append((time.perf_counter() - t0) * 1000)
    return took


class Consoles:
    """N streams held open by one event loop in a thread of its own."""

    def __init__(self, base: str, headers: dict[str, str], n: int) -> None:
        self.base, self.headers, self.n = base, headers, n
        self.events = 0
        self.open = 0
        self.loop = asyncio.new_event_loop()
        self.stop = asyncio.Event()
        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(self._run(),),
                                       daemon=True)  # fmt: skip

    async def _one(self, client: httpx.AsyncClient) -> None:
        async with client.stream("GET", "/api/stream", headers=self.headers) as r:
            self.open += 1
            async for line in r.aiter_lines():
                if line.startswith("event: change"):
                    self.events += 1
                if self.stop.is_set():
                    return

    async def _run(self) -> None:
        limits = httpx.Limits(max_connections=self.n + 10)
        async with httpx.AsyncClient(base_url=self.base, timeout=None, limits=limits) as c:
            tasks = [asyncio.create_task(self._one(c)) for _ in range(self.n)]
            await self.stop.wait()
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def __enter__(self) -> Consoles:
        self.thread.start()
        deadline = time.monotonic() + 30
        while self.open < self.n and time.monotonic() < deadline:
            time.sleep(0.1)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(10)


def stream(
    consoles: int = typer.Option(200, min=1),
    technicians: int = typer.Option(200, min=1),
    visits: int = typer.Option(10, min=0),
    tickets: int = typer.Option(150, min=10, help="quotes timed in each phase"),
    seed: int = typer.Option(1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Candidates p95 with and without N consoles on the live stream."""
    rng = random.Random(seed)
    with (live_server(technicians, visits, seed) as (base, _env, login),
          httpx.Client(base_url=base, headers=login, timeout=30) as c):  # fmt: skip
        _quotes(c, rng, 20)  # warm up
        before = _quotes(c, rng, tickets)
        typer.echo(f"opening {consoles} consoles", err=True)
        with Consoles(base, login, consoles) as open_:
            held = open_.open
            during = _quotes(c, rng, tickets)
            heard = open_.events
        after = _quotes(c, rng, tickets)
    baseline = _summary(before + after)
    loaded = _summary(during)
    result = {
        "technicians": technicians, "consoles_open": held, "change_events_heard": heard,
        "without": baseline, "with_consoles": loaded,
        "p95_ratio": round(loaded["p95_ms"] / baseline["p95_ms"], 3),
        "p50_ratio": round(loaded["p50_ms"] / baseline["p50_ms"], 3),
    }  # fmt: skip
    typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))
    if held < consoles:
        typer.echo(f"only {held} of {consoles} consoles connected", err=True)
        sys.exit(1)
