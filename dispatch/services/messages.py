"""Turn outbox events into messages, each with its moment to go out.

One transaction takes a batch of events no message was made from yet, decides per
event which message it is (``domain.message_rules``), renders it in the customer's
language, stores one message per recipient and channel with the moment the taste
rules allow, and marks the events planned. A crash anywhere before the commit leaves
the events to the next run; a message already stored for the same event, channel and
recipient is not stored twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from dispatch.clock import Clock
from dispatch.domain.events import (
    AppointmentConfirmed,
    Event,
    ForceMajeure,
    PromiseChanged,
    VisitArrivingSoon,
    VisitBooked,
    VisitCancelled,
    VisitOnTheWay,
    VisitReassigned,
    WeatherNotice,
)
from dispatch.domain.message_kinds import MessageKind
from dispatch.domain.message_rules import (
    CHANGES,
    URGENT_NEWS,
    LastTold,
    MessagePolicy,
    kind_for,
    reason_code,
    send_at,
)
from dispatch.domain.messages import (
    CUSTOMER_CHANNELS,
    OPTED_OUT,
    MessageStatus,
    NewMessage,
    WebhookEndpoint,
)
from dispatch.domain.model import Ticket, TimeWindow
from dispatch.notify.render import MessageContext, Rendered, render
from dispatch.store.event_codec import from_record
from dispatch.store.ports import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Links:
    """Where customers follow their tracking link (the service's public address)."""

    base_url: str

    def tracking(self, token: str) -> str:
        return f"{self.base_url.rstrip('/')}/track/{token}"

    def confirm(self, token: str) -> str:
        return f"{self.tracking(token)}#confirm"

    def reschedule(self, token: str) -> str:
        """Where a force-majeure message's customer picks a new appointment."""
        return f"{self.tracking(token)}#reschedule"

    def preferences(self, token: str) -> str:
        """Where the customer stops (or restarts) e-mails: the tracking page's messages."""
        return f"{self.tracking(token)}#messages"


News = tuple[TimeWindow | None, TimeWindow | None, datetime | None]


def _news(event: Event, ticket: Ticket) -> News:
    """(the window to tell, the window told before, the ETA) that this event brings."""
    match event:
        case PromiseChanged():
            return event.new_window, event.old_window, event.new_eta
        case VisitBooked() | VisitOnTheWay() | VisitReassigned() | AppointmentConfirmed():
            return event.window, None, event.eta
        case ForceMajeure():
            return event.held, event.old_window, None
        case WeatherNotice():
            return event.window, event.old_window, event.eta
        case VisitCancelled():
            return event.window, None, None
        case VisitArrivingSoon():
            return (ticket.visit.window if ticket.visit else None), None, event.eta
    return (ticket.visit.window if ticket.visit else None), None, None


def _rendered(event: Event, kind: MessageKind, ticket: Ticket, first_name: str | None,
              zone: ZoneInfo, links: Links) -> Rendered:  # fmt: skip
    new, old, eta = _news(event, ticket)
    fm = event if isinstance(event, ForceMajeure) else None
    reason = event.reason if isinstance(event, PromiseChanged) else fm.cause if fm else None
    note = fm.note if fm else event.note if isinstance(event, WeatherNotice) else None
    return render(
        MessageContext(
            kind=kind, locale=ticket.customer.locale, timezone=zone.key, ticket_id=ticket.id,
            customer_name=ticket.customer.name, technician_first_name=first_name,
            window_start=new.start if new else None, window_end=new.end if new else None,
            old_window_start=old.start if old else None, old_window_end=old.end if old else None,
            eta=eta, reason=reason_code(reason) if reason else None, note=note,
            back_at=fm.back_at if fm else None, alternatives=fm.alternatives if fm else (),
            hold_until=fm.hold_until if fm else None,
            reschedule_url=links.reschedule(ticket.tracking_token) if fm and fm.held else None,
            tracking_url=links.tracking(ticket.tracking_token),
            confirm_url=links.confirm(ticket.tracking_token),
            preferences_url=links.preferences(ticket.tracking_token),
        )
    )  # fmt: skip


def plan_messages(
    uow: UnitOfWork,
    clock: Clock,
    links: Links,
    zone: ZoneInfo,
    policy: MessagePolicy = MessagePolicy(),
    batch: int = 200,
) -> int:
    """Make the messages of up to ``batch`` outbox events; returns how many were made."""
    now = clock.now()
    made = 0
    with uow:
        endpoints = [e for e in uow.webhooks.all() if e.active]
        for outbox_id, kind, ticket_id, payload in uow.outbox.pending(batch):
            uow.outbox.mark_planned(outbox_id, now)
            try:
                event = from_record(kind, payload)
            except (ValueError, KeyError) as exc:
                log.warning("outbox event %s left unsent: %s", outbox_id, exc)
                continue
            message = kind_for(event, policy)
            ticket = uow.tickets.get(ticket_id) if ticket_id is not None else None
            if message is None or ticket is None:
                continue
            tech = uow.technicians.get(event.technician_id)
            text = _rendered(event, message, ticket, tech.first_name if tech else None, zone, links)
            window, old, _ = _news(event, ticket)
            broken = old.end if old is not None and message == MessageKind.RUNNING_LATE else None
            for m in _targets(outbox_id, ticket, message, text, window, endpoints, now):
                timed = _timed(uow, m, message, window, now, zone, policy, broken)
                made += uow.messages.add(timed, now)
        uow.commit()
    return made


def plan_all(uow: UnitOfWork, clock: Clock, links: Links, zone: ZoneInfo,
             policy: MessagePolicy = MessagePolicy()) -> int:  # fmt: skip
    """``plan_messages`` until no outbox event waits (a batch whose events make no
    message is not the end of the backlog); how many messages were made."""
    made = 0
    while True:
        made += plan_messages(uow, clock, links, zone, policy)
        with uow:
            if not uow.outbox.pending(1):
                return made


def _targets(
    outbox_id: int, ticket: Ticket, kind: MessageKind, text: Rendered,
    window: TimeWindow | None, endpoints: list[WebhookEndpoint], now: datetime,
) -> list[NewMessage]:  # fmt: skip
    """One message per recipient and channel: the customer's e-mail, and every webhook
    endpoint that subscribed to this kind (an SMS gateway is such an endpoint)."""
    end = window.end if window else None
    out = []
    if ticket.customer.email:
        out.append(NewMessage(outbox_id, ticket.id, kind.value, "email", ticket.customer.email,
                              now, "", text.subject, text.text, text.html, None, end))  # fmt: skip
    for e in endpoints:
        if e.wants(f"message.{kind.value}"):
            hook = NewMessage(outbox_id, ticket.id, kind.value, "webhook", e.url, now, "",
                              payload=text.webhook, window_end=end, endpoint_id=e.id)  # fmt: skip
            out.append(hook)
    return out


def _timed(uow: UnitOfWork, m: NewMessage, kind: MessageKind, window: TimeWindow | None,
           now: datetime, zone: ZoneInfo, policy: MessagePolicy,
           broken_end: datetime | None) -> NewMessage:  # fmt: skip
    """The message with its moment, or suppressed when the customer opted out."""
    if m.channel in CUSTOMER_CHANNELS and uow.messages.opted_out(m.channel, m.recipient):
        return replace(m, status=MessageStatus.SUPPRESSED, why=OPTED_OUT)
    assert m.ticket_id is not None
    if kind in CHANGES or kind in URGENT_NEWS:
        uow.messages.supersede_held(m.ticket_id, m.channel, m.recipient, now)
    sent_at, told_end = uow.messages.last_told(m.ticket_id, m.channel, m.recipient, now)
    at, why = send_at(kind, now, zone, LastTold(sent_at, told_end),
                      window.end if window else None, window.start if window else None,
                      policy, broken_end)  # fmt: skip
    return replace(m, send_after=at, why=why)
