"""Messages to customers as the dispatcher and the tracking page see them."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dispatch.domain.model import Customer


class MessageStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its moment (rate limit, quiet hours) or a retry
    SENT = "sent"
    DEAD = "dead"  # every attempt failed, or the receiver is gone: a dispatcher must look
    SUPERSEDED = "superseded"  # newer news about the same visit went out instead
    SUPPRESSED = "suppressed"  # the customer opted out of this channel


# The channels that reach the customer themselves, each with the field of ``Customer``
# that holds their address there: the channels a customer can opt out of. Webhooks go
# to integrators, not to the customer, so they are not here. An SMS channel of our own
# would be one line: "sms": "phone".
CUSTOMER_CHANNELS: Mapping[str, str] = {"email": "email"}
OPTED_OUT = "the customer opted out"  # the why of a message suppressed by an opt-out


def customer_address(customer: Customer, channel: str) -> str | None:
    """The customer's address on a customer channel, or None if they gave none."""
    address = getattr(customer, CUSTOMER_CHANNELS[channel])
    return (address.strip() or None) if isinstance(address, str) else None


@dataclass(frozen=True)
class NewMessage:
    outbox_id: int
    ticket_id: int | None
    kind: str
    channel: str  # "email" | "webhook"
    recipient: str  # an address, or the endpoint's URL
    send_after: datetime
    why: str
    subject: str = ""
    text: str = ""
    html: str = ""
    payload: Mapping[str, Any] | None = None
    window_end: datetime | None = None
    endpoint_id: int | None = None
    status: MessageStatus = MessageStatus.PENDING

    @property
    def message_id(self) -> str:
        """Stable for this event, channel and recipient: a resend reuses it."""
        who = f"w{self.endpoint_id}" if self.endpoint_id is not None else self.channel
        return f"msg_{self.outbox_id}_{who}"


@dataclass(frozen=True)
class Message:
    id: int
    message_id: str
    ticket_id: int | None
    kind: str
    channel: str
    recipient: str
    status: MessageStatus
    why: str | None
    send_after: datetime
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    subject: str = ""
    text: str = ""
    html: str = ""
    payload: Mapping[str, Any] | None = None
    endpoint_id: int | None = None
    outbox_id: int | None = None  # the event it was made from
    secret: str | None = None  # the endpoint's signing secret, for the sender only
    log: list[tuple[datetime, bool, str]] = field(default_factory=list)


@dataclass(frozen=True)
class WebhookEndpoint:
    id: int
    url: str
    secret: str
    event_types: frozenset[str]  # "message.running_late", ...; "*" for every kind
    active: bool
    disabled_reason: str | None
    created_at: datetime

    def wants(self, event_type: str) -> bool:
        return self.active and ("*" in self.event_types or event_type in self.event_types)
