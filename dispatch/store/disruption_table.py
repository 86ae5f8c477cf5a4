"""The table of disruptions (``domain.disruption``): one row each, ended or not."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
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
