"""HTTP benchmarks: a real server on loopback, a synthetic live day, timed requests.

They measure what a helpdesk agent and a phone feel, serialisation included, so the
numbers can be compared with the targets in the issues and rerun by anyone.
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import typer

http_bench_app = typer.Typer(help="HTTP benchmarks against a server on loopback.")
BENCH_PASSWORD = "bench-password-on-loopback"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> None:
    # the steps' chatter goes to stderr: stdout carries the result (--json)
    subprocess.run([sys.executable, "-m", "api.cli.main", *args], env=env, check=True,
                   stdout=sys.stderr)  # fmt: skip


@contextmanager
def live_server(
    technicians: int, visits: int, seed: int, extra_env: dict[str, str] | None = None,
    role: str = "dispatcher", lunch_min: int = 0,
) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    """A migrated, seeded SQLite database and ``dispatch serve`` on a free port, with a
    login in ``role`` (user ``bench``): the server, its environment, the login's headers."""
    with tempfile.TemporaryDirectory(prefix="fd-bench-") as tmp:
        env = {
            **os.environ,
            "DISPATCH_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "DISPATCH_CLOCK_START": "2026-11-24T10:00:00+01:00",
            "DISPATCH_REFRESH_INTERVAL_S": "86400",
            "DISPATCH_BACKLOG_INTERVAL_S": "86400",
            **(extra_env or {}),
        }
        _run(["db", "upgrade"], env)
        t0 = time.perf_counter()
        _run(
            [
                "seed",
                "--synthetic",
                "--technicians",
                str(technicians),
                "--visits-per-technician",
                str(visits),
                "--seed",
                str(seed),
                "--lunch-min",
                str(lunch_min),
            ],
            env,
        )
        typer.echo(f"seeded in {time.perf_counter() - t0:.1f} s", err=True)
        _run(["users", "add", "bench", "--role", role, "--password", BENCH_PASSWORD], env)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli.main", "serve", "--port", str(port)],
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("the server did not start within 60 s")
            login = {"username": "bench", "password": BENCH_PASSWORD}
            token = httpx.post(f"{base}/api/auth/token", data=login).json()["access_token"]
            yield base, env, {"Authorization": f"Bearer {token}"}
        finally:
            server.terminate()
            server.wait(10)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(_pct(ms, 0.95), 1),
        "p99_ms": round(_pct(ms, 0.99), 1),
        "max_ms": round(max(ms), 1),
    }


def random_ticket(rng: random.Random) -> dict[str, object]:
    from benchmarks.synthetic_day import REGION  # here: it loads the solver (slow start)

    s, w, n, e = REGION
    return {
        "customer": {"name": "Bench Customer", "locale": "nl"},
        "location": {"lat": rng.uniform(s, n), "lon": rng.uniform(w, e)},
        "kind": "cable_stuck",
        "skills": [rng.choice(["ac_charger", "cable_release"])],
        "duration_min": rng.choice([20, 30, 45]),
        "quote": True,
    }


@http_bench_app.command("quotes")
def quotes(
    technicians: int = typer.Option(200, min=1),
    visits: int = typer.Option(10, min=0),
    tickets: int = typer.Option(500, min=1),
    seed: int = typer.Option(1),
    lunch_min: int = typer.Option(
        0, "--lunch-min", min=0, max=180,
        help="everyone has this lunch still to take (12:00-13:30): each route re-timed with it",
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Candidates (GET /candidates) and booking latency on a synthetic live day."""
    rng = random.Random(seed)
    cand_ms: list[float] = []
    book_ms: list[float] = []
    refused = 0
    with (
        live_server(technicians, visits, seed, lunch_min=lunch_min) as (base, _env, login),
        httpx.Client(base_url=base, headers=login) as c,
        typer.progressbar(range(tickets), label="tickets", file=sys.stderr) as bar,
    ):
        for i in bar:
            while True:  # random points off the road network are refused: draw again
                resp = c.post("/api/tickets", json=random_ticket(rng))
                if resp.status_code == 201:
                    break
                if resp.status_code != 422:
                    raise RuntimeError(f"creating a ticket failed: {resp.status_code} {resp.text}")
                refused += 1
            created = resp.json()
            t0 = time.perf_counter()
            r = c.get(f"/api/tickets/{created['id']}/candidates", params={"limit": 5})
            cand_ms.append((time.perf_counter() - t0) * 1000)
            r.raise_for_status()
            if i % 2 == 0 and r.json()["candidates"]:  # book every other ticket
                pick = r.json()["candidates"][0]
                t0 = time.perf_counter()
                b = c.post(
                    f"/api/tickets/{created['id']}/book",
                    json={
                        "technician_id": pick["technician_id"],
                        "route_version": pick["route_version"],
                    },
                )
                book_ms.append((time.perf_counter() - t0) * 1000)
                if b.status_code not in (200, 409):
                    raise RuntimeError(f"booking failed: {b.status_code} {b.text}")
    result = {
        "technicians": technicians,
        "visits": technicians * visits,
        "tickets": tickets,
        "lunch_min": lunch_min,
        "refused_outside_service_area": refused,
        "candidates": _summary(cand_ms),
        "booking": _summary(book_ms) if book_ms else None,
    }
    typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))


WRK_SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "position_events.lua"


def _wrk(base: str, technicians: int, seconds: int, connections: int,
         authorization: str) -> dict[str, object]:  # fmt: skip
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(WRK_SCRIPT), base],
        env={**os.environ, "FD_TECHS": str(technicians), "FD_AUTH": authorization},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("WRK_JSON "))
    data: dict[str, object] = json.loads(line.removeprefix("WRK_JSON "))
    data["events_per_s"] = round(float(str(data["requests"])) / float(str(data["seconds"])), 1)
    return data


@http_bench_app.command("events")
def events(
    technicians: int = typer.Option(50, min=1),
    count: int = typer.Option(5000, min=1, help="position events to post (python generator)"),
    clients: int = typer.Option(4, min=1, help="concurrent HTTP connections"),
    seconds: int = typer.Option(10, min=1, help="run time with wrk"),
    generator: str = typer.Option(
        "auto", help="wrk (a compiled load generator), python, or auto (wrk if installed)"
    ),
    seed: int = typer.Option(1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Position-event ingestion rate over HTTP (one event per request)."""
    import shutil

    use_wrk = generator == "wrk" or (generator == "auto" and shutil.which("wrk") is not None)
    from benchmarks.synthetic_day import REGION  # here: it loads the solver (slow start)

    s, w, n, e = REGION
    if use_wrk:
        with live_server(technicians, 4, seed) as (base, _env, login):
            result = _wrk(base, technicians, seconds, clients, login["Authorization"])
            stored = httpx.get(f"{base}/api/technicians/1/route", headers=login).status_code
        result["generator"] = "wrk -t1"
        result["server_ok"] = stored == 200
        typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))
        return
    with live_server(technicians, 4, seed) as (base, _env, login):
        techs = [t["id"] for t in httpx.get(f"{base}/api/technicians", headers=login).json()]
        per_client = count // clients
        latencies: list[float] = []
        lock = threading.Lock()

        def client(k: int) -> None:
            rng = random.Random(seed * 100 + k)
            mine: list[float] = []
            with httpx.Client(base_url=base, headers=login) as c:
                for i in range(per_client):
                    tech = rng.choice(techs)
                    body = [
                        {
                            "event_id": f"bench-{k}-{i}",
                            "type": "position",
                            "at": "2026-11-24T10:00:00+01:00",
                            "lat": rng.uniform(s, n),
                            "lon": rng.uniform(w, e),
                        }
                    ]
                    t0 = time.perf_counter()
                    r = c.post(f"/api/technicians/{tech}/events", json=body)
                    mine.append((time.perf_counter() - t0) * 1000)
                    if r.status_code != 200:
                        raise RuntimeError(f"{r.status_code} {r.text}")
            with lock:
                latencies.extend(mine)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
    result = {
        "events": len(latencies),
        "clients": clients,
        "seconds": round(elapsed, 2),
        "events_per_s": round(len(latencies) / elapsed, 1),
        "latency": _summary(latencies),
    }
    typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))
