"""Force majeure: new appointments offered when a disruption breaks one, and the record
of what every disruption did to whom.

When nobody can keep a visit's window after a breakdown or an absence, the customer is
offered new appointments from the calendar's slots, the first of them *held*: booked
for them, so the offer cannot go stale while they read it. They choose one through
their tracking link, or ask for another day; without an answer the held one is
confirmed when the hold runs out, and they are told. Slots not chosen were never held,
so nothing else needs releasing.

An ``Effect`` is one line of a disruption's audit: which visit moved where, which stayed,
which customer was told what. At most one per visit and disruption, which is also what
keeps one disruption to one message per customer however often its handling reruns.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime

from dispatch.domain.disruption import Disruption, DisruptionKind
from dispatch.domain.errors import Conflict, InvalidInput
from dispatch.domain.events import ForceMajeure
from dispatch.domain.message_kinds import Reason
from dispatch.domain.model import TimeWindow, Visit


def cause_of(d: Disruption) -> Reason:
    """The reason code a customer's message words (the disruption's note adds detail)."""
    return {DisruptionKind.BREAKDOWN: Reason.BREAKDOWN, DisruptionKind.UNAVAILABLE: Reason.ABSENCE,
            DisruptionKind.SLOWDOWN: Reason.WEATHER}[d.kind]  # fmt: skip


@dataclass(frozen=True)
class OfferedSlot:
    technician_id: int
    day: date
    window: TimeWindow
    today: bool  # on a live route (booked through the quote), else a later date's slot


class OfferStatus(enum.StrEnum):
    HELD = "held"  # waiting for the customer; the first slot is booked for them
    CHOSEN = "chosen"  # the customer chose (the held one, another, or another day)
    CONFIRMED = "confirmed"  # the hold ran out without an answer: the held one stands


@dataclass(frozen=True)
class Offer:
    id: int
    ticket_id: int
    disruption_id: int
    slots: tuple[OfferedSlot, ...]  # slots[0] is held
    hold_until: datetime
    created_at: datetime
    status: OfferStatus = OfferStatus.HELD
    chosen: int | None = None  # index into ``slots``; None for another day
    decided_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.slots:
            raise InvalidInput("an offer holds at least one slot")

    @property
    def held(self) -> OfferedSlot:
        return self.slots[0]

    def waiting(self, now: datetime) -> bool:
        return self.status == OfferStatus.HELD and now < self.hold_until

    def expired(self, now: datetime) -> bool:
        return self.status == OfferStatus.HELD and now >= self.hold_until

    def slot(self, k: int) -> OfferedSlot:
        if not 0 <= k < len(self.slots):
            raise InvalidInput(f"choose a slot from 0 to {len(self.slots) - 1}")
        return self.slots[k]

    def check_open(self, now: datetime) -> None:
        if self.status == OfferStatus.CHOSEN:
            raise Conflict("this new appointment was chosen already")
        if self.status == OfferStatus.CONFIRMED or self.expired(now):
            raise Conflict("the held appointment was confirmed when the hold ran out; call "
                           "us to change it")  # fmt: skip

    def choose(self, k: int | None, now: datetime) -> Offer:
        self.check_open(now)
        return replace(self, status=OfferStatus.CHOSEN, chosen=k, decided_at=now)

    def confirm(self, now: datetime) -> Offer:
        return replace(self, status=OfferStatus.CONFIRMED, chosen=0, decided_at=now)

    def refreshed(self, alternatives: tuple[OfferedSlot, ...]) -> Offer:
        """Fresh alternatives after one went stale; the held slot stays held."""
        fresh = tuple(s for s in alternatives if s.window != self.held.window)
        return replace(self, slots=(self.held, *fresh))


def notice(d: Disruption, v: Visit, now: datetime, back: datetime | None,
           offer: Offer | None = None) -> ForceMajeure:  # fmt: skip
    """The force-majeure message's facts: with an offer, the held slot and the others;
    without (a started visit), only ``back``, the repair estimate."""
    held = offer.held if offer else None
    return ForceMajeure(
        v.ticket_id, v.technician_id, v.promise_version, now, d.id, cause_of(d).value,
        d.reason, v.promise, back, held.window if held else None,
        held.technician_id if held else None, offer.hold_until if offer else None,
        tuple(s.window for s in offer.slots[1:]) if offer else (),
    )  # fmt: skip


class EffectKind(enum.StrEnum):
    MOVED = "moved"  # another technician keeps the window: "your technician changed"
    KEPT = "kept"  # stays with him; his return still keeps the window: nobody told
    OFFERED = "offered"  # force majeure: new appointments, the first held
    STARTED = "started"  # on the way or on site: the repair estimate told; dispatcher decides
    UNPLACED = "unplaced"  # nothing to offer in the days searched: dispatcher decides
    WARNED = "warned"  # weather notice, the window holds
    RETIMED = "retimed"  # weather notice with a new window


ATTENTION = frozenset({EffectKind.STARTED, EffectKind.UNPLACED})


@dataclass(frozen=True)
class Effect:
    disruption_id: int
    ticket_id: int
    kind: EffectKind
    at: datetime
    from_technician_id: int | None
    to_technician_id: int | None = None
    window: TimeWindow | None = None  # the window the customer holds afterwards
    told: str | None = None  # the message kind the customer gets, None: nothing

    @property
    def needs_attention(self) -> bool:
        return self.kind in ATTENTION
