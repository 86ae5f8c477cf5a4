"""What checking the caller costs a quote (issue 16: at most 2 ms at p95).

Two servers from the same seed, one checking logins and one with ``DISPATCH_AUTH=off``
(refused in production mode; it exists for this measurement). Each ticket is created
on both and its candidates asked of both, in alternating order, so drift in the
machine's speed falls on both sides alike. The checked server is asked with a bearer
token and with an API key on alternate tickets.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time

import httpx
import typer

from api.cli.bench_http import _pct, _summary, live_server, random_ticket


def _create(c: httpx.Client, body: dict[str, object]) -> int | None:
    r = c.post("/api/tickets", json=body)
    if r.status_code == 422:  # drawn off the road network: draw again
        return None
    r.raise_for_status()
    return int(r.json()["id"])


def _time(c: httpx.Client, ticket: int, headers: dict[str, str]) -> float:
    t0 = time.perf_counter()
    r = c.get(f"/api/tickets/{ticket}/candidates", params={"limit": 5}, headers=headers)
    ms = (time.perf_counter() - t0) * 1000
    r.raise_for_status()
    return ms


def auth_cost(
    technicians: int = typer.Option(200, min=1),
    visits: int = typer.Option(10, min=0),
    tickets: int = typer.Option(300, min=10),
    seed: int = typer.Option(1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Candidates p50/p95 with and without authentication, side by side."""
    rng = random.Random(seed)
    on: list[float] = []
    key_ms: list[float] = []
    off: list[float] = []
    paired: list[float] = []  # checked minus unchecked, the same ticket, back to back
    made: list[int] = []
    with (
        live_server(technicians, visits, seed) as (base, env, login),
        live_server(technicians, visits, seed, {"DISPATCH_AUTH": "off"}) as (base_off, _, _),
        httpx.Client(base_url=base, headers=login) as checked,
        httpx.Client(base_url=base_off) as unchecked,
    ):
        key = _key(env)  # made as an admin would
        with typer.progressbar(range(tickets), label="tickets", file=sys.stderr) as bar:
            for i in bar:
                body = random_ticket(rng)
                a, b = _create(checked, body), _create(unchecked, body)
                if a is None or b is None:
                    continue
                made.append(a)
                use_key = {"X-API-Key": key} if i % 4 == 1 else {}
                sides = [(checked, a, use_key), (unchecked, b, {})]
                took = {}
                for c, ticket, headers in sides if i % 2 else sides[::-1]:
                    took[c is checked] = ms = _time(c, ticket, headers)
                    (off if c is unchecked else key_ms if headers else on).append(ms)
                paired.append(took[True] - took[False])
        inproc = _in_process(env, made)  # while the database is still there
    result = {
        "technicians": technicians, "visits": technicians * visits, "tickets": len(off),
        "with_token": _summary(on), "with_api_key": _summary(key_ms),
        "without": _summary(off),
        "p95_cost_ms": round(_summary(on)["p95_ms"] - _summary(off)["p95_ms"], 1),
        "p50_cost_ms": round(_summary(on)["p50_ms"] - _summary(off)["p50_ms"], 1),
        "paired_cost_ms": {"p50": round(statistics.median(paired), 2),
                           "p95": round(_pct(paired, 0.95), 2)},
        "check_in_process_us": _check_cost(),
        "in_process": inproc,
    }  # fmt: skip
    typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))


def _in_process(env: dict[str, str], tickets: list[int]) -> dict[str, object]:
    """The same comparison without two server processes (whose own differences, a
    millisecond either way, drown the check's): one app in this process on the checked
    server's database, its settings switched between checking and not before each
    call, alternately for the same tickets; the first 50 calls of each warm up."""
    from dataclasses import replace
    from datetime import timedelta

    from fastapi.testclient import TestClient

    from api import collector
    from api.app import create_app
    from api.tokens import issue
    from dispatch.config import Settings
    from dispatch.domain.users import Role, User

    checking = Settings.from_env(env)
    app = create_app(checking)
    collector.tune()  # as ``dispatch serve`` runs
    modes = {True: checking, False: replace(checking, auth_disabled=True)}
    now = app.state.clock.now()
    agent = User(0, "bench", Role.AGENT, None, False, now)
    token = issue(agent, checking.secret_key, now, life=timedelta(hours=1))
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    took: dict[bool, list[float]] = {True: [], False: []}
    for k, ticket in enumerate([*tickets[:50], *tickets]):
        for side in (True, False) if k % 2 else (False, True):
            app.state.settings = modes[side]
            t0 = time.perf_counter()
            client.get(f"/api/tickets/{ticket}/candidates", params={"limit": 5})
            took[side].append((time.perf_counter() - t0) * 1000)
    on, off = took[True][50:], took[False][50:]
    diff = [a - b for a, b in zip(on, off, strict=True)]
    return {"with_token": _summary(on), "without": _summary(off),
            "p95_cost_ms": round(_summary(on)["p95_ms"] - _summary(off)["p95_ms"], 2),
            "paired_cost_ms": {"p50": round(statistics.median(diff), 2),
                               "p95": round(_pct(diff, 0.95), 2)}}  # fmt: skip


def _check_cost(n: int = 20_000) -> dict[str, float]:
    """The check alone, in this process: reading a token (one HMAC and the claims) and
    hashing a key (its database read is in the HTTP figures above)."""
    from datetime import UTC, datetime

    from api.tokens import issue, read
    from dispatch.domain.api_keys import digest, new_secret
    from dispatch.domain.users import Role, User

    now = datetime.now(UTC)
    token = issue(User(1, "bench", Role.AGENT, None, False, now), "s" * 40, now)
    t0 = time.perf_counter()
    for _ in range(n):
        read(token, "s" * 40, now)
    token_us = (time.perf_counter() - t0) / n * 1e6
    secret = new_secret()
    t0 = time.perf_counter()
    for _ in range(n):
        digest(secret)
    return {"token": round(token_us, 1),
            "key_digest": round((time.perf_counter() - t0) / n * 1e6, 1)}  # fmt: skip


def _key(env: dict[str, str]) -> str:
    import subprocess

    out = subprocess.run([sys.executable, "-m", "api.cli.main", "keys", "add", "bench-crm",
                          "--role", "agent", "--quiet"], env=env, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return out.strip().splitlines()[-1]
