"""One delivery round: plan messages from the outbox, then send those that are due.

The scheduler's ``deliver_messages`` job and ``dispatch deliver`` both run this, so
the two never drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from dispatch.clock import Clock
from dispatch.config import Settings
from dispatch.domain.message_rules import MessagePolicy
from dispatch.notify.channels import Channel
from dispatch.services.deliver import LEASE, DeliveryReport, send_due
from dispatch.services.messages import Links, plan_messages
from dispatch.store.uow import SqlUnitOfWork


@dataclass(frozen=True)
class Round:
    planned: int
    report: DeliveryReport

    @property
    def busy(self) -> bool:
        r = self.report
        return bool(self.planned or r.sent or r.retried or r.dead)

    def line(self) -> str:
        r = self.report
        return (f"messages {self.planned} planned, {r.sent} sent, {r.retried} to retry, "
                f"{r.dead} dead")  # fmt: skip


def deliver_round(
    sessions: sessionmaker[Session],
    clock: Clock,
    settings: Settings,
    channels: Mapping[str, Channel],
    batch: int = 100,
    lease: timedelta = LEASE,
    stop: Callable[[], bool] | None = None,
    plan_batch: int = 200,
) -> Round:
    """Plan messages from up to ``plan_batch`` outbox events, then send up to ``batch``
    due messages; ``stop`` as for ``send_due``."""
    planned = plan_messages(
        SqlUnitOfWork(sessions), clock, Links(settings.public_url), settings.timezone,
        MessagePolicy(hours=settings.message_hours), batch=plan_batch,
    )  # fmt: skip
    report = send_due(SqlUnitOfWork(sessions), clock, channels, batch, lease=lease, stop=stop)
    return Round(planned, report)
