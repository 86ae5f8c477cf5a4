"""Send the messages that are due, with retries and a dead letter.

Delivery is "at least once, same id": a message is claimed with a lease and committed
before it is sent, and marked sent after. A sender that dies between sending and
marking leaves the lease to run out; the next run sends again with the same
``message_id`` (the e-mail's Message-ID, the webhook-id), so a receiver drops the
repeat. A temporary failure is retried on a compressed form of the Standard Webhooks
schedule; after the last attempt the message is dead and a dispatcher sees it. A
webhook endpoint that answers 410 Gone is disabled.

The lease must outlast sending one batch (a live sender still holds its rows); a
shorter one only makes a dead sender's rows come back sooner. A sender asked to stop
finishes the message in hand and hands the rest of its batch back at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from dispatch.clock import Clock
from dispatch.domain.messages import Message, MessageStatus
from dispatch.domain.model import VisitStatus
from dispatch.notify.channels import Channel, Outgoing
from dispatch.store.ports import UnitOfWork

# Seconds after attempt 1, 2, ...; the spec's 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h,
# compressed so a field-service day sees a dead letter within the hour.
RETRY_SCHEDULE_S: tuple[float, ...] = (5, 30, 120, 600, 1800)
LEASE = timedelta(seconds=60)


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    retried: int
    dead: int


def _outgoing(m: Message) -> Outgoing:
    return Outgoing(
        message_id=m.message_id, channel=m.channel, recipient=m.recipient,
        subject=m.subject, text=m.text, html=m.html, payload=m.payload, secret=m.secret,
        created_at=m.created_at,
    )  # fmt: skip


# News about the way to the customer; once the technician is there it is no news.
ON_THE_ROAD = frozenset(
    {"on_the_way", "running_late", "window_changed", "arriving_soon", "technician_changed"}
)


def _overtaken(uow: UnitOfWork, due: Sequence[Message]) -> list[Message]:
    """Held messages about the drive whose visit has been reached meanwhile."""
    out = []
    for m in due:
        if m.kind in ON_THE_ROAD and m.ticket_id is not None:
            ticket = uow.tickets.get(m.ticket_id)
            visit = ticket.visit if ticket else None
            on_the_road = (VisitStatus.PLANNED, VisitStatus.EN_ROUTE)
            if visit is not None and visit.status not in on_the_road:
                out.append(m)
    return out


def send_due(
    uow: UnitOfWork,
    clock: Clock,
    channels: Mapping[str, Channel],
    batch: int = 100,
    schedule: Sequence[float] = RETRY_SCHEDULE_S,
    lease: timedelta = LEASE,
    stop: Callable[[], bool] | None = None,
) -> DeliveryReport:
    """Claim up to ``batch`` due messages for ``lease``, send and record each; when
    ``stop`` answers True, the claimed messages not sent yet are released."""
    now = clock.now()
    with uow:
        due = uow.messages.claim_due(now, now + lease, batch)
        late = _overtaken(uow, due)
        for m in late:
            uow.messages.record(m.id, now, False, "the technician had already arrived",
                                MessageStatus.SUPERSEDED)  # fmt: skip
        uow.commit()
    due = [m for m in due if m not in late]
    sent = retried = dead = 0
    for k, m in enumerate(due):
        if stop is not None and stop():
            with uow:
                uow.messages.release([later.id for later in due[k:]])
                uow.commit()
            break
        channel = channels.get(m.channel)
        if channel is None:
            ok, retry, gone, detail = False, False, False, f"no {m.channel} channel configured"
        else:
            result = channel.send(_outgoing(m))
            ok, retry, gone, detail = result.ok, result.retry, result.gone, result.detail
        at = clock.now()
        with uow:
            if ok:
                uow.messages.record(m.id, at, True, detail or "delivered", MessageStatus.SENT)
                sent += 1
            elif retry and m.attempts < len(schedule):
                later = at + timedelta(seconds=schedule[m.attempts])
                uow.messages.record(m.id, at, False, detail, MessageStatus.PENDING, later)
                retried += 1
            else:
                uow.messages.record(m.id, at, False, detail, MessageStatus.DEAD)
                dead += 1
                if gone and m.endpoint_id is not None:
                    uow.webhooks.disable(m.endpoint_id, f"410 Gone at {at.isoformat()}")
            uow.commit()
    return DeliveryReport(sent, retried, dead)
