"""Table definitions of later dates: working calendars and the plans of technician-days."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.store.tables import Base
from dispatch.store.types import UTCDateTime


class WorkPatternRow(Base):
    """A technician's usual week (``domain.calendar.WeeklyPattern``), one row each."""

    __tablename__ = "work_patterns"

    technician_id: Mapped[int] = mapped_column(
        ForeignKey("technicians.id", ondelete="CASCADE"), primary_key=True
    )
    zone: Mapped[str] = mapped_column(String(64))
    days: Mapped[dict[str, Any]] = mapped_column(JSON)  # weekday -> hours, local times
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CalendarExceptionRow(Base):
    """One date that differs from the pattern: off, sick, other hours, an extra shift."""

    __tablename__ = "calendar_exceptions"
    __table_args__ = (UniqueConstraint("technician_id", "day", name="uq_calendar_exceptions"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    hours: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DayRouteRow(Base):
    """The version of one technician's planned later date: bookings into it claim it."""

    __tablename__ = "day_routes"

    technician_id: Mapped[int] = mapped_column(
        ForeignKey("technicians.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class AppointmentRow(Base):
    """A visit booked on a later date, in its technician-day's driving order."""

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_day", "technician_id", "day"),)

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    sequence: Mapped[int] = mapped_column(Integer)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    service_s: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    window_end: Mapped[datetime] = mapped_column(UTCDateTime())
    eta: Mapped[datetime] = mapped_column(UTCDateTime())
    leg_s: Mapped[int] = mapped_column(Integer)
    promise_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
