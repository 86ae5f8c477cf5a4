"""Integrators register where our messages should go (a CRM, a helpdesk, an SMS or
WhatsApp gateway) and for which kinds; the signing secret is shown once, at creation."""

from __future__ import annotations

from urllib.parse import urlsplit

from dispatch.clock import Clock
from dispatch.domain.errors import InvalidInput, NotFound
from dispatch.domain.message_kinds import MessageKind
from dispatch.domain.messages import WebhookEndpoint
from dispatch.notify.channels import new_webhook_secret
from dispatch.store.ports import UnitOfWork

EVENT_TYPES = tuple(f"message.{k.value}" for k in MessageKind)


def register_webhook(
    uow: UnitOfWork, clock: Clock, url: str, event_types: list[str]
) -> WebhookEndpoint:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed [ of an IPv6 address
        host = None
    if host is None or parts.scheme not in ("http", "https"):
        raise InvalidInput(f"url must be an http(s) address with a host, got {url!r}")
    unknown = sorted(set(event_types) - {*EVENT_TYPES, "*"})
    if unknown or not event_types:
        raise InvalidInput(
            f"unknown event type(s): {', '.join(unknown) or '(none given)'}; "
            f"known: {', '.join(EVENT_TYPES)}, or * for all"
        )
    with uow:
        endpoint = uow.webhooks.add(url, new_webhook_secret(), event_types, clock.now())
        uow.commit()
    return endpoint


def list_webhooks(uow: UnitOfWork) -> list[WebhookEndpoint]:
    with uow:
        return uow.webhooks.all()


def delete_webhook(uow: UnitOfWork, endpoint_id: int) -> None:
    with uow:
        if not uow.webhooks.delete(endpoint_id):
            raise NotFound(f"webhook endpoint {endpoint_id} does not exist")
        uow.commit()
