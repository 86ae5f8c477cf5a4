"""Disruptions, their effects and the offers they made, in memory, for the use cases' tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from dispatch.domain.disruption import Disruption
from dispatch.domain.force_majeure import Effect, Offer
from dispatch.domain.model import TimeWindow
from dispatch.store.ports import DuplicateKey

if TYPE_CHECKING:
    from fakes import FakeData


class FakeDisruptions:
    def __init__(self, data: FakeData) -> None:
        self.d = data

    def add(self, d: Disruption, now: datetime) -> int:
        new_id = len(self.d.disruptions) + 1
        self.d.disruptions[new_id] = replace(d, id=new_id, created_at=now)
        return new_id

    def get(self, disruption_id: int) -> Disruption | None:
        return self.d.disruptions.get(disruption_id)

    def overlapping(self, start: datetime, end: datetime) -> list[Disruption]:
        return [d for d in self.d.disruptions.values() if d.overlaps(start, end)]

    def recent(self, limit: int) -> list[Disruption]:
        return sorted(self.d.disruptions.values(), key=lambda d: -d.id)[:limit]

    def end(self, disruption_id: int, at: datetime) -> None:
        self.d.disruptions[disruption_id] = replace(self.d.disruptions[disruption_id],
                                                    ended_at=at)  # fmt: skip

    def mark_handled(self, disruption_id: int, at: datetime) -> None:
        self.d.disruptions[disruption_id] = replace(self.d.disruptions[disruption_id],
                                                    handled_at=at)  # fmt: skip

    def unhandled(self, now: datetime) -> list[Disruption]:
        return [d for d in self.d.disruptions.values() if d.handled_at is None and d.end > now]


class FakeEffects:
    def __init__(self, data: FakeData) -> None:
        self.d = data

    def add(self, e: Effect) -> bool:
        key = (e.disruption_id, e.ticket_id)
        if key in self.d.effects:
            return False
        self.d.effects[key] = e
        return True

    def of(self, disruption_id: int) -> list[Effect]:
        return [e for (d, _), e in self.d.effects.items() if d == disruption_id]

    def of_tickets(self, ticket_ids: list[int]) -> list[Effect]:
        return [e for (_, t), e in self.d.effects.items() if t in ticket_ids]

    def rehome(self, disruption_id: int, ticket_id: int, technician_id: int,
               window: TimeWindow) -> None:  # fmt: skip
        key = (disruption_id, ticket_id)
        if key in self.d.effects:
            self.d.effects[key] = replace(self.d.effects[key], to_technician_id=technician_id,
                                          window=window)  # fmt: skip


class FakeOffers:
    def __init__(self, data: FakeData) -> None:
        self.d = data

    def add(self, o: Offer) -> int:
        if any((x.ticket_id, x.disruption_id) == (o.ticket_id, o.disruption_id)
               for x in self.d.offers.values()):  # fmt: skip
            raise DuplicateKey("this disruption already offered this visit")
        new_id = len(self.d.offers) + 1
        self.d.offers[new_id] = replace(o, id=new_id)
        return new_id

    def save(self, o: Offer) -> None:
        self.d.offers[o.id] = o

    def latest(self, ticket_id: int) -> Offer | None:
        mine = [o for o in self.d.offers.values() if o.ticket_id == ticket_id]
        return max(mine, key=lambda o: o.id, default=None)

    def expired(self, now: datetime, limit: int = 500) -> list[Offer]:
        return [o for o in self.d.offers.values() if o.expired(now)][:limit]
