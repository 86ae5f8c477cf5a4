"""Table definitions of today's work: fleet, tickets, live routes, outbox, messages.
Later dates (calendars, day plans) are in ``plan_tables``; ``schema`` holds both. The
schema itself is owned by the Alembic migrations; these classes must match them (a
test compares the two)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dispatch.store.types import UTCDateTime


class Base(DeclarativeBase):
    pass


class SkillRow(Base):
    __tablename__ = "skills"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))


class TechnicianRow(Base):
    __tablename__ = "technicians"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    home_lat: Mapped[float] = mapped_column(Float)
    home_lon: Mapped[float] = mapped_column(Float)
    shift_start: Mapped[datetime] = mapped_column(UTCDateTime())
    shift_end: Mapped[datetime] = mapped_column(UTCDateTime())
    skills: Mapped[list[str]] = mapped_column(JSON)
    route_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rated_for: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    last_lat: Mapped[float | None] = mapped_column(Float)
    last_lon: Mapped[float | None] = mapped_column(Float)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    activity: Mapped[str] = mapped_column(String(16), default="idle", server_default="idle")
    activity_ticket: Mapped[int | None] = mapped_column(Integer)
    field_state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    lunch_earliest: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lunch_latest: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lunch_s: Mapped[int | None] = mapped_column(Integer)


class TicketRow(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    request_hash: Mapped[str | None] = mapped_column(String(64))
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_phone: Mapped[str | None] = mapped_column(String(64))
    customer_email: Mapped[str | None] = mapped_column(String(320))
    customer_locale: Mapped[str] = mapped_column(String(16))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(64))
    skills: Mapped[list[str]] = mapped_column(JSON)
    service_s: Mapped[int]
    priority: Mapped[str] = mapped_column(String(16))
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    availability: Mapped[list[list[str]] | None] = mapped_column(JSON)  # [[start, end], ...]
    status: Mapped[str] = mapped_column(String(16), index=True)
    unassigned_reason: Mapped[str | None] = mapped_column(Text)
    tracking_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    customer_on_site: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    property_at_risk: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    repeat_of: Mapped[int | None] = mapped_column(Integer, index=True)
    case_of: Mapped[int | None] = mapped_column(Integer)  # a repeat: its case's first ticket
    sla_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    problem: Mapped[str | None] = mapped_column(Text)  # a repeat visit: what went wrong


OPEN_VISIT = "status IN ('planned', 'en_route', 'arrived', 'started')"


class VisitRow(Base):
    __tablename__ = "visits"
    __table_args__ = (
        UniqueConstraint("ticket_id", name="uq_visits_ticket"),
        # one number per open visit of a technician: a route's order is never ambiguous
        Index("uq_visits_open_sequence", "technician_id", "sequence", unique=True,
              sqlite_where=text(OPEN_VISIT), postgresql_where=text(OPEN_VISIT)),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    technician_id: Mapped[int] = mapped_column(
        ForeignKey("technicians.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int]
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    eta: Mapped[datetime] = mapped_column(UTCDateTime())
    service_s: Mapped[int]
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    window_end: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    leg_s: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    promise_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    told_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    told_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    soon_told_version: Mapped[int | None] = mapped_column(Integer)


class OutboxRow(Base):
    """Domain events for customers, written in the transaction that raised them.

    ``dedupe_key`` (visit, kind, promise version) is unique, so a retried booking or
    job cannot queue a message twice; ``payload`` carries its schema version ``v``.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FieldEventRow(Base):
    __tablename__ = "field_events"
    __table_args__ = (
        UniqueConstraint("technician_id", "event_id", name="uq_field_events_event"),
        Index("ix_field_events_technician_at", "technician_id", "at"),
        Index("ix_field_events_ticket", "ticket_id"),  # a case's history
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    snap_m: Mapped[float | None] = mapped_column(Float)
    ticket_id: Mapped[int | None] = mapped_column(Integer)
    delay_s: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    note: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EtaPredictionRow(Base):
    """The first ETA made for a visit in each horizon bucket, and what really happened."""

    __tablename__ = "eta_predictions"
    __table_args__ = (UniqueConstraint("ticket_id", "horizon", name="uq_eta_predictions_horizon"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    technician_id: Mapped[int] = mapped_column(Integer)
    horizon: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    predicted: Mapped[datetime] = mapped_column(UTCDateTime())
    actual: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # the default half-width when it was made, seconds (None: recorded before 0020)
    scale_s: Mapped[int | None] = mapped_column(Integer)


class WebhookEndpointRow(Base):
    """An integrator's receiver (a CRM, a helpdesk, an SMS or WhatsApp gateway)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    event_types: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MessageRow(Base):
    """One message to one recipient on one channel, made from one outbox event.

    ``message_id`` is stable: a resend after a crash carries the same id (the e-mail's
    Message-ID, the webhook-id), so a receiver can drop the repeat. The unique key on
    (outbox event, channel, recipient) makes planning the same event twice harmless.
    """

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("outbox_id", "channel", "recipient", name="uq_messages_delivery"),
        Index("ix_messages_due", "status", "send_after"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="SET NULL")
    )
    message_id: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(16))
    why: Mapped[str | None] = mapped_column(Text)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    subject: Mapped[str] = mapped_column(Text, default="", server_default="")
    body_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, object] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MessageAttemptRow(Base):
    """Every try to deliver a message, for the dispatcher's dead-letter view."""

    __tablename__ = "message_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    ok: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(Text)


class OptOutRow(Base):
    """A customer who asked for no more messages on one channel."""

    __tablename__ = "opt_outs"
    __table_args__ = (UniqueConstraint("channel", "address", name="uq_opt_outs"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
