"""From a booking's commit to its message at the customer's endpoint, end to end.

``dispatch deliver`` runs as its own process against a temporary SQLite database;
this process books tickets one by one (``create_ticket``, Haversine travel times),
a little apart so the commits fall anywhere in the loop's interval, and a loopback
Standard Webhooks receiver notes when each message arrives. The latency of an event
is its arrival minus its commit; the target is p95 ≤ 2 s.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from benchmarks.deliver_process import DeliverProcess
from benchmarks.loopback import WebhookReceiver
from benchmarks.message_load import book_one, prepare
from dispatch.clock import ScaledClock
from dispatch.notify.channels import new_webhook_secret
from dispatch.store.engine import make_engine, session_factory
from dispatch.store.migrate import upgrade
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.haversine import Haversine

START = datetime.fromisoformat("2026-11-24T10:00:00+01:00")
TARGET_P95_S = 2.0


@dataclass(frozen=True)
class Latency:
    events: int
    received: int
    interval_s: float
    p50_s: float
    p95_s: float
    max_s: float
    target_p95_s: float = TARGET_P95_S

    @property
    def met(self) -> bool:
        return self.received == self.events and self.p95_s <= self.target_p95_s

    def as_dict(self) -> dict[str, float | int | bool]:
        return {**asdict(self), "met": self.met}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(
    events: int, interval: float, seed: int = 1, spacing: tuple[float, float] = (0.05, 0.4)
) -> Latency:
    rng = random.Random(seed)
    travel = Haversine(speed_kmh=35.0, detour_factor=1.3)
    with (
        tempfile.TemporaryDirectory(prefix="fd-latency-") as tmp,
        WebhookReceiver(new_webhook_secret()) as receiver,
    ):
        url = f"sqlite:///{Path(tmp) / 'latency.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine)
        uow = SqlUnitOfWork(session_factory(engine))
        clock = ScaledClock(START)
        prepare(uow, clock, travel, receiver.url, receiver.secret, max(10, events // 8), seed)
        sender = DeliverProcess(
            url, Path(tmp) / "deliver.log", clock.now(), ["--interval", f"{interval:g}"],
            env={"DISPATCH_OUTBOX_DIR": str(Path(tmp) / "outbox")},
        )  # fmt: skip
        committed: dict[int, float] = {}
        sender.start()
        try:
            sender.wait_ready()
            for _ in range(events):
                ticket = book_one(uow, clock, travel, rng)
                if ticket is not None:
                    committed[ticket] = time.monotonic()
                time.sleep(rng.uniform(*spacing))
            deadline = time.monotonic() + 10 + 2 * interval
            while len(receiver.deliveries) < len(committed) and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            sender.stop()
            engine.dispose()
    arrived: dict[int, float] = {}
    for d in receiver.deliveries:
        arrived.setdefault(int(d.payload["ticket_id"]), d.at)
    seconds = [arrived[t] - at for t, at in committed.items() if t in arrived] or [float("nan")]
    return Latency(
        events=len(committed),
        received=len(arrived),
        interval_s=interval,
        p50_s=round(statistics.median(seconds), 3),
        p95_s=round(_p95(seconds), 3),
        max_s=round(max(seconds), 3),
    )
