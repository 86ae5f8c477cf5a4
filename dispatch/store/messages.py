"""Messages, their delivery attempts, and customers' opt-outs.

Senders claim due messages with a lease (on PostgreSQL ``FOR UPDATE SKIP LOCKED``, so
two workers never take the same row); a sender that dies mid-send leaves the lease to
run out, and the next claim resends with the same ``message_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dispatch.domain.messages import Message, MessageStatus, NewMessage
from dispatch.store.tables import MessageAttemptRow, MessageRow, OptOutRow, WebhookEndpointRow

CHANGE_KINDS = ("running_late", "window_changed", "technician_changed")


def _message(row: MessageRow, secret: str | None = None) -> Message:
    return Message(
        id=row.id, message_id=row.message_id, ticket_id=row.ticket_id, kind=row.kind,
        channel=row.channel, recipient=row.recipient, status=MessageStatus(row.status),
        why=row.why, send_after=row.send_after, attempts=row.attempts,
        created_at=row.created_at, sent_at=row.sent_at, subject=row.subject,
        text=row.body_text, html=row.body_html, payload=row.payload,
        endpoint_id=row.endpoint_id, outbox_id=row.outbox_id, secret=secret,
    )  # fmt: skip


class MessageRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, m: NewMessage, now: datetime) -> bool:
        """Store a message once; the same event, channel and recipient again is a no-op."""
        exists = self.session.scalar(
            select(MessageRow.id).where(MessageRow.message_id == m.message_id)
        )
        if exists is not None:
            return False
        try:  # a savepoint: a concurrent planner's copy is skipped, not fatal
            with self.session.begin_nested():
                self.session.add(
                    MessageRow(
                        outbox_id=m.outbox_id, ticket_id=m.ticket_id, endpoint_id=m.endpoint_id,
                        message_id=m.message_id, kind=m.kind, channel=m.channel,
                        recipient=m.recipient, status=m.status.value, why=m.why,
                        send_after=m.send_after, attempts=0, subject=m.subject, body_text=m.text,
                        body_html=m.html, window_end=m.window_end,
                        payload=dict(m.payload) if m.payload is not None else None, created_at=now,
                    )
                )  # fmt: skip
                self.session.flush()
        except IntegrityError:
            return False
        return True

    def last_told(
        self, ticket_id: int, channel: str, recipient: str, now: datetime
    ) -> tuple[datetime | None, datetime | None]:
        """When this recipient last got (or is getting now) a message about this ticket,
        and the window end it gave: for the rate limit and its "materially worse"
        exception. Each recipient counts alone: one webhook endpoint's copy does not hold
        back another's, and a message still held for later is not "told"."""
        sent = MessageRow.status == MessageStatus.SENT.value
        due = (MessageRow.status == MessageStatus.PENDING.value) & (MessageRow.send_after <= now)
        row = self.session.execute(
            select(MessageRow.sent_at, MessageRow.send_after, MessageRow.window_end)
            .where(MessageRow.ticket_id == ticket_id, MessageRow.channel == channel)
            .where(MessageRow.recipient == recipient)
            .where(sent | due)
            .order_by(MessageRow.send_after.desc(), MessageRow.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return None, None
        return (row.sent_at or row.send_after), row.window_end

    def supersede_held(self, ticket_id: int, channel: str, recipient: str, now: datetime) -> int:
        """Change messages still waiting for their moment give way to newer news."""
        result = self.session.execute(
            update(MessageRow)
            .where(MessageRow.ticket_id == ticket_id, MessageRow.channel == channel)
            .where(MessageRow.recipient == recipient)
            .where(MessageRow.kind.in_(CHANGE_KINDS))
            .where(MessageRow.status == MessageStatus.PENDING.value)
            .where(MessageRow.send_after > now)  # held or waiting for a retry
            .where((MessageRow.lease_until.is_(None)) | (MessageRow.lease_until < now))
            .values(status=MessageStatus.SUPERSEDED.value, why="newer news went out instead")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Message]:
        """Due messages nobody else holds, leased to this sender until ``lease_until``."""
        stmt = (
            select(MessageRow, WebhookEndpointRow.secret)
            .outerjoin(WebhookEndpointRow, WebhookEndpointRow.id == MessageRow.endpoint_id)
            .where(MessageRow.status == MessageStatus.PENDING.value)
            .where(MessageRow.send_after <= now)
            .where((MessageRow.lease_until.is_(None)) | (MessageRow.lease_until < now))
            .order_by(MessageRow.send_after, MessageRow.id)
            .limit(limit)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True, of=MessageRow)
        rows = self.session.execute(stmt).all()
        for row, _ in rows:
            row.lease_until = lease_until
        return [_message(row, secret) for row, secret in rows]

    def release(self, ids: Sequence[int]) -> None:
        """Hand claimed messages back unsent, for the next claim to take at once."""
        if ids:
            self.session.execute(
                update(MessageRow)
                .where(MessageRow.id.in_(list(ids)))
                .where(MessageRow.status == MessageStatus.PENDING.value)
                .values(lease_until=None)
            )

    def record(
        self, message: int, at: datetime, ok: bool, detail: str,
        status: MessageStatus, retry_at: datetime | None = None,
    ) -> None:  # fmt: skip
        row = self.session.get(MessageRow, message)
        if row is None:
            return
        self.session.add(MessageAttemptRow(message_id=message, at=at, ok=ok, detail=detail))
        if row.status != MessageStatus.PENDING.value:
            return  # settled meanwhile (another sender, after this one's lease ran out)
        row.attempts += 1
        row.lease_until = None
        if row.status == MessageStatus.SUPPRESSED.value and not ok:
            return  # the customer opted out while this attempt was under way: no retry
        row.status = status.value
        if ok:
            row.sent_at, row.why = at, None
        else:
            row.why = detail
        if retry_at is not None:
            row.send_after = retry_at

    def for_ticket(self, ticket_id: int) -> list[Message]:
        rows = list(
            self.session.scalars(
                select(MessageRow).where(MessageRow.ticket_id == ticket_id).order_by(MessageRow.id)
            )
        )
        return self._with_log(rows)

    def dead(self, limit: int = 100) -> list[Message]:
        rows = list(
            self.session.scalars(
                select(MessageRow)
                .where(MessageRow.status == MessageStatus.DEAD.value)
                .order_by(MessageRow.id.desc())
                .limit(limit)
            )
        )
        return self._with_log(rows)

    def _with_log(self, rows: Sequence[MessageRow]) -> list[Message]:
        logs: dict[int, list[tuple[datetime, bool, str]]] = {r.id: [] for r in rows}
        if rows:
            for a in self.session.scalars(
                select(MessageAttemptRow)
                .where(MessageAttemptRow.message_id.in_(list(logs)))
                .order_by(MessageAttemptRow.id)
            ):
                logs[a.message_id].append((a.at, a.ok, a.detail))
        return [replace(_message(r), log=logs[r.id]) for r in rows]

    def opted_out(self, channel: str, address: str) -> bool:
        return (
            self.session.scalar(
                select(OptOutRow.id).where(
                    OptOutRow.channel == channel, OptOutRow.address == address.lower()
                )
            )
            is not None
        )

    def opt_out(self, channel: str, address: str, now: datetime) -> None:
        """Idempotent, also when two requests race: the second finds the unique key taken."""
        if self.opted_out(channel, address):
            return
        try:
            with self.session.begin_nested():  # added inside: a clash undoes only this row
                self.session.add(
                    OptOutRow(channel=channel, address=address.lower(), created_at=now)
                )
        except IntegrityError:
            pass  # opted out by a concurrent request: the same outcome

    def opt_in(self, channel: str, address: str) -> bool:
        """Undo an opt-out; False if the address had not opted out."""
        result = self.session.execute(
            delete(OptOutRow).where(
                OptOutRow.channel == channel, OptOutRow.address == address.lower()
            )
        )
        return bool(getattr(result, "rowcount", 0))

    def suppress_pending(self, channel: str, address: str, why: str) -> int:
        """Messages to this address on this channel not sent yet (waiting for their moment
        or a retry) are suppressed: an opt-out takes effect at once. Returns how many."""
        result = self.session.execute(
            update(MessageRow)
            .where(MessageRow.channel == channel)
            .where(func.lower(MessageRow.recipient) == address.lower())
            .where(MessageRow.status == MessageStatus.PENDING.value)
            .values(status=MessageStatus.SUPPRESSED.value, why=why, lease_until=None)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
