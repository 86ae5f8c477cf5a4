"""Integrators: register, list and remove webhook endpoints for customer messages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from api.deps import ClockDep, RowId, UowDep
from api.message_schemas import WebhookIn, WebhookOut
from dispatch.domain.messages import WebhookEndpoint
from dispatch.services.webhooks import delete_webhook, list_webhooks, register_webhook

router = APIRouter(prefix="/api/webhooks", tags=["integrations"])
PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


def _out(e: WebhookEndpoint, with_secret: bool = False) -> WebhookOut:
    return WebhookOut(
        id=e.id, url=e.url, event_types=sorted(e.event_types), active=e.active,
        disabled_reason=e.disabled_reason, created_at=e.created_at,
        secret=e.secret if with_secret else None,
    )  # fmt: skip


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookOut,
    summary="Register an endpoint; messages are signed per the Standard Webhooks spec",
    responses={422: {"description": "not an http(s) URL, or an unknown event type", **PROBLEM}},
)
def post_webhook(body: WebhookIn, uow: UowDep, clock: ClockDep) -> WebhookOut:
    return _out(register_webhook(uow, clock, body.url, body.event_types), with_secret=True)


@router.get("", response_model=list[WebhookOut], summary="Registered endpoints (no secrets)")
def get_webhooks(uow: UowDep) -> list[WebhookOut]:
    return [_out(e) for e in list_webhooks(uow)]


@router.delete(
    "/{endpoint_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Stop sending to an endpoint",
    responses={404: {"description": "no such endpoint", **PROBLEM}},
)
def remove_webhook(endpoint_id: RowId, uow: UowDep) -> Response:
    delete_webhook(uow, endpoint_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
