"""The message a channel carries and the answer it gives, shared by every channel.

Delivery is "at least once, same id": a dispatcher that crashes after sending but
before recording the send will send again, so every message carries an id that is the
same on every attempt (the e-mail's Message-ID, the webhook's ``webhook-id``) and the
receiver can drop the repeat. Nothing here knows the database; the outbox dispatcher
turns rows into ``Outgoing`` and a ``SendResult`` back into a row update.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

CHANNELS = ("email", "webhook")

# The id becomes the left part of a Message-ID and part of a file name, so it keeps to
# characters that are safe in both (an RFC 5322 dot-atom without the punctuation).
_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*")
MAX_MESSAGE_ID = 128


@dataclass(frozen=True, kw_only=True)
class Outgoing:
    """One message to one recipient over one channel.

    ``message_id`` is stable per message: a resend after a crash reuses it (letters,
    digits, ``_``, ``-`` and single dots, at most 128). ``created_at`` dates the e-mail
    and names the demo file; a webhook is signed with the time of the attempt instead,
    because receivers reject signatures older than a few minutes.
    """

    message_id: str
    channel: str
    recipient: str
    subject: str = ""
    text: str = ""
    html: str = ""
    payload: Mapping[str, Any] | None = None
    secret: str | None = None
    created_at: datetime

    def __post_init__(self) -> None:
        if len(self.message_id) > MAX_MESSAGE_ID or not _MESSAGE_ID.fullmatch(self.message_id):
            raise ValueError(
                f"message_id {self.message_id!r}: use letters, digits, '_', '-' and single "
                f"dots, at most {MAX_MESSAGE_ID} (it becomes a Message-ID and a file name)"
            )
        if self.channel not in CHANNELS:
            raise ValueError(f"channel {self.channel!r}: expected one of {', '.join(CHANNELS)}")
        if self.created_at.tzinfo is None or self.created_at.utcoffset() is None:
            raise ValueError("created_at needs a UTC offset")
        if not self.recipient:
            raise ValueError("recipient is empty")


@dataclass(frozen=True)
class SendResult:
    """What the dispatcher needs to decide: done, try again later, or stop.

    ``retry`` marks a temporary failure (the same message may well go through later);
    ``gone`` says the webhook endpoint asked never to be called again (HTTP 410).
    """

    ok: bool
    retry: bool
    gone: bool = False
    detail: str = ""

    @classmethod
    def delivered(cls, detail: str = "") -> SendResult:
        return cls(ok=True, retry=False, detail=detail)

    @classmethod
    def temporary(cls, detail: str) -> SendResult:
        return cls(ok=False, retry=True, detail=detail)

    @classmethod
    def permanent(cls, detail: str) -> SendResult:
        return cls(ok=False, retry=False, detail=detail)

    @classmethod
    def endpoint_gone(cls, detail: str) -> SendResult:
        return cls(ok=False, retry=False, gone=True, detail=detail)


class Channel(Protocol):
    def send(self, message: Outgoing) -> SendResult:
        """Deliver once; never raise for a delivery failure, answer with a result."""
        ...


def new_webhook_secret() -> str:
    """A signing secret in the form Standard Webhooks libraries read: ``whsec_`` and
    base64 of 24 random bytes (192 bits, beyond guessing)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def wrong_channel(channel: str, message: Outgoing) -> SendResult | None:
    """A message routed to the wrong channel is a dispatcher bug, not a network fault:
    answer permanent so it is not retried forever."""
    if message.channel == channel:
        return None
    return SendResult.permanent(f"{message.channel} message given to the {channel} channel")
