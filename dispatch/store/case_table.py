"""The tables of a case's history (``domain.case``) and of courtesy calls
(``domain.followup``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.store.tables import Base
from dispatch.store.types import UTCDateTime


class CaseEventRow(Base):
    __tablename__ = "case_events"
    __table_args__ = (
        Index("ix_case_events_ticket", "ticket_id", "at"),
        # the reports read only this index, never the rows (their JSON detail is large)
        Index("ix_case_events_report", "kind", "at", "ticket_id", "technician_id", "nps",
              "how", "door_over_min"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    # what the reports add up, as columns (reading JSON for 50,000 cases is too slow)
    technician_id: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    how: Mapped[str | None] = mapped_column(String(16))
    door_over_min: Mapped[float | None] = mapped_column(Float)


class FollowUpRow(Base):
    __tablename__ = "followups"
    __table_args__ = (
        UniqueConstraint("ticket_id", "attempt", name="uq_followup_attempt"),
        Index("ix_followups_open", "done_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    attempt: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(16))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
