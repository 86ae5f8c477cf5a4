"""The tables of disruptions (``domain.disruption``, one row each, ended or not), of
what each did to whom, and of the new appointments offered (``domain.force_majeure``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.store.tables import Base
from dispatch.store.types import UTCDateTime


class DisruptionRow(Base):
    __tablename__ = "disruptions"
    __table_args__ = (Index("ix_disruptions_end", "expected_end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    technician_id: Mapped[int | None] = mapped_column(
        ForeignKey("technicians.id", ondelete="CASCADE"), index=True
    )
    area: Mapped[list[Any] | None] = mapped_column(JSON)  # [[lat, lon], ...]
    factor: Mapped[float] = mapped_column(Float, default=1.0)
    start: Mapped[datetime] = mapped_column(UTCDateTime())
    expected_end: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EffectRow(Base):
    """One line of a disruption's audit: one visit, what happened to it, what was told."""

    __tablename__ = "disruption_effects"
    __table_args__ = (UniqueConstraint("disruption_id", "ticket_id", name="uq_effect_per_visit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    disruption_id: Mapped[int] = mapped_column(ForeignKey("disruptions.id", ondelete="CASCADE"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    from_technician_id: Mapped[int | None] = mapped_column(Integer)
    to_technician_id: Mapped[int | None] = mapped_column(Integer)
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    told: Mapped[str | None] = mapped_column(String(32))


class OfferRow(Base):
    """New appointments offered after force majeure; ``slots[0]`` is held."""

    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("ticket_id", "disruption_id", name="uq_offer_per_visit"),
        Index("ix_offers_waiting", "status", "hold_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    disruption_id: Mapped[int] = mapped_column(ForeignKey("disruptions.id", ondelete="CASCADE"))
    slots: Mapped[list[Any]] = mapped_column(JSON)
    hold_until: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    chosen: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
