"""Disruptions in memory, for the use cases' tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from dispatch.domain.disruption import Disruption

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
