"""How fast the channels deliver to real receivers on loopback; behind
``dispatch bench deliveries``.

The receivers run in this process (threads), so every figure includes their work
too: the webhook receiver's signature check, the SMTP server's protocol (it keeps the
bytes; nothing parses the MIME). A delivery counts only when our channel said ok AND
the receiver holds it (a webhook only once verified), so a fast but broken channel
cannot post a good figure.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from benchmarks.loopback import SmtpServer, WebhookReceiver
from dispatch.notify.channels import (
    Channel,
    Outgoing,
    SmtpChannel,
    WebhookChannel,
    new_webhook_secret,
)

TARGETS_PER_S = {"webhook": 200.0, "email": 50.0}


@dataclass(frozen=True)
class Figures:
    channel: str
    sent: int
    ok: int
    received: int
    seconds: float
    per_s: float
    p50_ms: float
    p95_ms: float
    target_per_s: float
    failures: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(samples: Sequence[float], q: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def sample_webhook(k: int, url: str, secret: str, at: datetime) -> Outgoing:
    payload = {
        "type": "visit.promise_changed",
        "ticket": f"T-{k:06d}",
        "customer": "Zoë Peeters",
        "window": {"from": "2026-11-24T10:00:00+01:00", "to": "2026-11-24T12:00:00+01:00"},
        "promise_version": 2,
    }
    return Outgoing(
        message_id=f"bench-wh-{k}", channel="webhook", recipient=url,
        payload=payload, secret=secret, created_at=at,
    )  # fmt: skip


def sample_mail(k: int, at: datetime) -> Outgoing:
    text = (
        "Beste Zoë,\n\nOnze technieker komt morgen tussen 10:00 en 12:00 "
        f"(ticket T-{k:06d}).\n\nDear Zoë, our technician arrives between 10:00 and 12:00.\n"
    )
    html = f"<p>Beste Zoë,</p><p>Onze technieker komt tussen <b>10:00 en 12:00</b> (T-{k:06d}).</p>"
    return Outgoing(
        message_id=f"bench-mail-{k}", channel="email", recipient="Zoë Peeters <zoe@example.be>",
        subject=f"Uw afspraak: tussen 10:00 en 12:00 (T-{k:06d})", text=text, html=html,
        created_at=at,
    )  # fmt: skip


@dataclass
class _Run:
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


def _timed(channel: Channel, messages: Sequence[Outgoing]) -> _Run:
    """One send after the other, as one dispatcher thread works through its queue."""
    run = _Run()
    began = time.perf_counter()
    for message in messages:
        t0 = time.perf_counter()
        result = channel.send(message)
        run.latencies.append(time.perf_counter() - t0)
        if result.ok:
            run.ok += 1
        elif len(run.failures) < 5:
            run.failures.append(result.detail)
    run.seconds = time.perf_counter() - began
    return run


def _figures(kind: str, n: int, received: int, run: _Run) -> Figures:
    delivered = min(run.ok, received)
    return Figures(
        channel=kind, sent=n, ok=run.ok, received=received, seconds=round(run.seconds, 3),
        per_s=round(delivered / run.seconds, 1) if run.seconds > 0 else float("nan"),
        p50_ms=round(1000 * percentile(run.latencies, 50), 3),
        p95_ms=round(1000 * percentile(run.latencies, 95), 3),
        target_per_s=TARGETS_PER_S[kind], failures=tuple(run.failures),
    )  # fmt: skip


def bench_webhooks(n: int) -> Figures:
    secret = new_webhook_secret()
    at = datetime.now(UTC)
    with WebhookReceiver(secret) as receiver:
        messages = [sample_webhook(k, f"{receiver.url}/hooks", secret, at) for k in range(n)]
        channel = WebhookChannel()
        try:
            timed = _timed(channel, messages)
        finally:
            channel.close()
        received = len({d.webhook_id for d in receiver.deliveries})
    return _figures("webhook", n, received, timed)


def bench_mails(n: int) -> Figures:
    at = datetime.now(UTC)
    messages = [sample_mail(k, at) for k in range(n)]
    with SmtpServer() as server:
        channel = SmtpChannel(server.host, server.port, "Field Dispatch <planning@example.be>")
        try:
            timed = _timed(channel, messages)
        finally:
            channel.close()
        deadline = time.monotonic() + 5  # the server thread may still be storing the last
        while len(server.collector.mails) < timed.ok and time.monotonic() < deadline:
            time.sleep(0.01)
        received = len(server.collector.mails)
    return _figures("email", n, received, timed)


def run(webhooks: int, mails: int) -> list[Figures]:
    """Webhooks then mails, each against its own fresh receiver."""
    return [bench_webhooks(webhooks), bench_mails(mails)]
