"""Customer messages made the way production makes them: tickets booked through
``create_ticket``, each booking writing one ``VisitBooked`` to the outbox in its own
transaction, and a webhook endpoint subscribed to every message.

For the crash test and the delivery-latency benchmark. The customers have no e-mail
address, so every message is a signed webhook to the one endpoint.
"""

from __future__ import annotations

import random
from datetime import timedelta

from benchmarks.synthetic_day import REGION, seed_synthetic
from dispatch.clock import Clock
from dispatch.domain.model import Customer, GeoPoint
from dispatch.services.tickets import NewTicket, create_ticket
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes


def prepare(
    uow: UnitOfWork, clock: Clock, travel: TravelTimes, url: str, secret: str,
    technicians: int, seed: int = 1,
) -> None:  # fmt: skip
    """Technicians with empty routes on a shift around now, and one endpoint for "*"."""
    seed_synthetic(uow, clock, travel, technicians, 0, seed)
    with uow:
        uow.webhooks.add(url, secret, ["*"], clock.now())
        uow.commit()


def book_one(uow: UnitOfWork, clock: Clock, travel: TravelTimes, rng: random.Random) -> int | None:
    """Book a visit somewhere in the region; the ticket's id, or None when no
    technician could take it (then no message is due)."""
    s, w, n, e = REGION
    created = create_ticket(
        uow, clock, travel,
        NewTicket(
            customer=Customer(f"Customer {rng.randrange(10**6)}", locale=rng.choice(("nl", "en"))),
            location=GeoPoint(rng.uniform(s, n), rng.uniform(w, e)),
            kind="charger_offline", skills=frozenset({"ac_charger"}),
            service=timedelta(minutes=30),
        ),
    )  # fmt: skip
    return created.ticket.id if created.ticket.visit is not None else None


def book(
    uow: UnitOfWork, clock: Clock, travel: TravelTimes, count: int, seed: int = 1
) -> list[int]:
    """Book until ``count`` visits are booked (at most twice as many tickets)."""
    rng = random.Random(seed)
    booked: list[int] = []
    for _ in range(2 * count):
        if len(booked) == count:
            break
        ticket = book_one(uow, clock, travel, rng)
        if ticket is not None:
            booked.append(ticket)
    if len(booked) < count:
        raise RuntimeError(f"only {len(booked)} of {count} visits could be booked")
    return booked
