"""The customers of a simulated day, who answer as people do: they pick a new time from
a force-majeure message (or let the held one stand), say whether the visit solved it
and score us (higher when the promise was kept), and call the helpdesk when their
window passed without a word. Each answer goes through the use case a real customer's
click or call reaches; each draw comes from the customers' own seeded stream."""

from __future__ import annotations

import random
from collections.abc import Callable, Container, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dispatch.clock import FakeClock
from dispatch.domain.case import Feedback
from dispatch.domain.errors import DispatchError
from dispatch.services import cases
from dispatch.services.offers import OfferPolicy
from dispatch.services.reschedule import reschedule
from dispatch.store.uow import SqlUnitOfWork
from simulator.record import DayRecord, Window
from simulator.scenario import Customers as Spec
from solver.traveltime.protocol import TravelTimes

Later = Callable[[datetime, Callable[[], None]], None]  # the engine's agenda


@dataclass
class Customers:
    spec: Spec
    seed: int
    uow: SqlUnitOfWork
    clock: FakeClock
    roads: Callable[[], TravelTimes]
    offers: OfferPolicy
    record: DayRecord
    later: Later
    tokens: dict[int, str] = field(default_factory=dict)  # ticket -> tracking link
    called: set[tuple[int, datetime]] = field(default_factory=set)  # (ticket, window end)

    def __post_init__(self) -> None:
        self._rng = random.Random(f"{self.seed}-customers")

    def heard(self, ticket_id: int, kind: str, payload: dict[str, Any]) -> None:
        """A message reached the customer; some ask for an answer."""
        token = self.tokens.get(ticket_id)
        if kind != "force_majeure" or token is None:
            return
        if self._rng.random() >= self.spec.pick_offer:
            return  # lets the held time stand: confirmed when the hold runs out
        offered = 1 + len(payload.get("alternatives") or [])
        pick = 0 if self._rng.random() < 0.5 else self._rng.randrange(offered)
        at = self.clock.now() + timedelta(minutes=self.spec.pick_after_min)
        self.later(at, lambda: self._choose(token, pick))

    def _choose(self, token: str, pick: int) -> None:
        with suppress(DispatchError):  # taken meanwhile, or the hold ran out: as live
            reschedule(self.uow, self.clock, self.roads(), token, pick, None, self.offers)

    def visited(self, ticket_id: int, fixed: bool, kept: bool) -> None:
        """After the visit: solved or not, and a score, half an hour later."""
        token = self.tokens.get(ticket_id)
        if token is None or self._rng.random() >= self.spec.confirm:
            return
        mean, sd = self.spec.nps_kept if kept and fixed else self.spec.nps_broken
        score = min(10, max(0, round(self._rng.gauss(mean, sd))))
        at = self.clock.now() + timedelta(minutes=30)
        self.later(at, lambda: self._confirm(token, fixed, score))

    def _confirm(self, token: str, fixed: bool, score: int) -> None:
        with suppress(DispatchError):
            cases.confirm(self.uow, self.clock, token, Feedback(fixed, "", score))
            self.record.nps.append(score)

    def wonder(self, now: datetime, last: Mapping[int, Window],
               arrived: Container[int]) -> None:  # fmt: skip
        """Whoever's last told window ended ``call_after_min`` ago without the technician
        and without a newer word calls the helpdesk, once per window."""
        wait = timedelta(minutes=self.spec.call_after_min)
        for ticket_id, w in last.items():
            if ticket_id in arrived or now < w.end + wait or (ticket_id, w.end) in self.called:
                continue
            self.called.add((ticket_id, w.end))
            with suppress(DispatchError):
                cases.record_contact(self.uow, self.clock, ticket_id, "call",
                                     "where is my technician?")  # fmt: skip
            self.record.contacts.append((ticket_id, now))
