"""The customer-messaging contract: the tracking view, opt-out, webhooks and the
messages a customer was sent (the helpdesk and technician bodies are in ``schemas``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import LocationIn, WindowOut


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000, examples=["https://crm.example.org/hooks"])
    event_types: list[str] = Field(
        min_length=1,
        max_length=20,
        examples=[["message.running_late", "message.booking_confirmation"]],
    )


class WebhookOut(BaseModel):
    id: int
    url: str
    event_types: list[str]
    active: bool
    disabled_reason: str | None
    created_at: datetime
    secret: str | None = Field(
        default=None, description="the whsec_ signing secret: shown once, when created"
    )


class AttemptOut(BaseModel):
    at: datetime
    ok: bool
    detail: str


class MessageOut(BaseModel):
    id: str = Field(description="stable: the Message-ID / webhook-id a receiver sees")
    kind: str
    channel: str
    recipient: str
    status: str
    why: str | None
    send_after: datetime
    sent_at: datetime | None
    attempts: list[AttemptOut]
    subject: str


class CustomerMessageOut(BaseModel):
    """What the tracking page shows: no addresses, no delivery internals."""

    kind: str
    channel: str
    sent_at: datetime
    subject: str


class TrackingOut(BaseModel):
    status: str
    kind: str
    window: WindowOut | None
    technician_first_name: str | None
    message: str
    situation: str | None = Field(
        None,
        description="disrupted (the technician is out) or "
        "choose (new times offered), when the plan changed",
    )
    reason: str | None = Field(None, description="why, in words for the customer")
    technician_near: LocationIn | None = Field(
        None,
        description="where the technician roughly is (to about a kilometre), only "
        "while this visit is next and the phone reported in the last half hour",
    )
    technician_km: float | None = Field(
        None, description="how far the technician is, as the crow flies, to half a km"
    )
    locale: str = Field(description="the customer's language, for the tracking page")
    messages: list[CustomerMessageOut] = Field(
        default_factory=list, description="what we have told the customer so far"
    )
    channels: list[str] = Field(
        default_factory=list,
        description="the channels we can reach the customer on (no addresses), e.g. email",
    )
    opted_out: list[str] = Field(
        default_factory=list, description="the channels the customer opted out of"
    )


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: str = Field(max_length=32, examples=["email"])


class PreferencesOut(BaseModel):
    """The customer's channels and which of them they opted out of; no addresses."""

    channels: list[str] = Field(examples=[["email"]])
    opted_out: list[str] = Field(examples=[["email"]])
