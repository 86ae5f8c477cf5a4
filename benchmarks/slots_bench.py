"""Slots and slot bookings at fleet scale, through the HTTP API in-process; behind
``dispatch bench slots`` (issue 13).

A temporary SQLite database holds a booked fortnight (``benchmarks.fortnight``). The
clock stands on a Friday evening, so every slot is on a later date. For each of K new
tickets (random places in the region, a skill every technician has): ``GET /slots``
over the next D working days, the peer ``GET /candidates`` (today's quote), then
``POST /book`` with the first slot. Requests go through FastAPI's ``TestClient`` (the
app, routing and JSON both ways; no socket).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api import collector
from api.app import create_app
from api.tokens import issue
from benchmarks.fortnight import seed_fortnight
from benchmarks.synthetic_day import _reachable_home
from dispatch.clock import FakeClock
from dispatch.config import Settings
from dispatch.domain.users import Role, User
from dispatch.store.engine import make_engine, session_factory
from dispatch.store.migrate import upgrade
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.protocol import TravelTimes

FRIDAY_EVENING = datetime.fromisoformat("2026-11-27T18:00:00+01:00")


def _ms(samples: list[float]) -> dict[str, float]:
    one = len(samples) == 1
    q = samples * 19 if one else statistics.quantiles(samples, n=20, method="inclusive")
    return {"p50": round(statistics.median(samples), 1), "p95": round(q[18], 1),
            "max": round(max(samples), 1)}  # fmt: skip


def run(travel: TravelTimes, technicians: int, days: int, visits: int, tickets: int,
        seed: int, say: Any = print) -> dict[str, Any]:  # fmt: skip
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="fd-slots-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'slots.sqlite3'}")
        upgrade(engine)
        t0 = time.perf_counter()
        booked = seed_fortnight(SqlUnitOfWork(session_factory(engine)), FRIDAY_EVENING, travel,
                                technicians, days, visits, seed)  # fmt: skip
        say(f"seeded {booked} appointments in {time.perf_counter() - t0:.0f} s")
        settings = Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"})
        app = create_app(settings, engine=engine, clock=FakeClock(FRIDAY_EVENING), travel=travel)
        collector.tune()  # as ``dispatch serve`` runs
        agent = User(0, "bench", Role.AGENT, None, False, FRIDAY_EVENING)
        token = issue(agent, settings.secret_key, FRIDAY_EVENING, life=timedelta(days=30))
        client = TestClient(app, raise_server_exceptions=True,
                            headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        slot_ms, quote_ms, book_ms, offered = [], [], [], []
        for _ in range(tickets):
            lat, lon = _reachable_home(rng, travel)  # a place the roads reach
            body = {"customer": {"name": "Bench"}, "kind": "charger_offline",
                    "location": {"lat": lat, "lon": lon},
                    "skills": ["ac_charger"], "duration_min": 45, "quote": True}  # fmt: skip
            created = client.post("/api/tickets", json=body)
            assert created.status_code == 201, created.text
            ticket = created.json()
            t = time.perf_counter()
            r = client.get(f"/api/tickets/{ticket['id']}/slots?days={days}")
            slot_ms.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text
            found = [x for x in r.json() if not x["today"]]
            offered.append(len(found))
            t = time.perf_counter()
            client.get(f"/api/tickets/{ticket['id']}/candidates")
            quote_ms.append((time.perf_counter() - t) * 1000)
            if found:
                t = time.perf_counter()
                b = client.post(f"/api/tickets/{ticket['id']}/book", json=found[0]["book"])
                book_ms.append((time.perf_counter() - t) * 1000)
                assert b.status_code == 200, b.text
        engine.dispose()
    return {
        "technicians": technicians, "working_days": days, "visits_per_day": visits,
        "appointments": booked, "tickets": tickets,
        "slots_offered_median": statistics.median(offered),
        "slots_ms": _ms(slot_ms), "book_ms": _ms(book_ms) if book_ms else None,
        "peer_candidates_ms": _ms(quote_ms),
        "slots_over_candidates_p50": round(
            statistics.median(slot_ms) / statistics.median(quote_ms), 1),
        "targets": {"slots_p95_ms": 300, "book_p95_ms": 150},
    }  # fmt: skip
