"""Integrators' webhook endpoints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.domain.messages import WebhookEndpoint
from dispatch.store.tables import WebhookEndpointRow


def _endpoint(row: WebhookEndpointRow) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=row.id,
        url=row.url,
        secret=row.secret,
        event_types=frozenset(row.event_types),
        active=row.active,
        disabled_reason=row.disabled_reason,
        created_at=row.created_at,
    )


class WebhookRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, url: str, secret: str, event_types: list[str], now: datetime) -> WebhookEndpoint:
        row = WebhookEndpointRow(
            url=url, secret=secret, event_types=sorted(set(event_types)), active=True,
            created_at=now,
        )  # fmt: skip
        self.session.add(row)
        self.session.flush()
        return _endpoint(row)

    def all(self) -> list[WebhookEndpoint]:
        rows = self.session.scalars(select(WebhookEndpointRow).order_by(WebhookEndpointRow.id))
        return [_endpoint(r) for r in rows]

    def get(self, endpoint_id: int) -> WebhookEndpoint | None:
        row = self.session.get(WebhookEndpointRow, endpoint_id)
        return None if row is None else _endpoint(row)

    def delete(self, endpoint_id: int) -> bool:
        row = self.session.get(WebhookEndpointRow, endpoint_id)
        if row is None:
            return False
        self.session.delete(row)
        return True

    def disable(self, endpoint_id: int, reason: str) -> None:
        row = self.session.get(WebhookEndpointRow, endpoint_id)
        if row is not None:
            row.active, row.disabled_reason = False, reason
