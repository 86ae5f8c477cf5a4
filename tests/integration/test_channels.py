"""The delivery channels against real receivers on 127.0.0.1.

An ``aiosmtpd`` server takes the mail; an HTTP endpoint verifies every webhook with
the official ``standardwebhooks`` library. Servers are started and stopped by the
fixtures; no test waits on an unbounded loop.
"""

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from standardwebhooks.webhooks import Webhook

from benchmarks.loopback import SmtpServer, WebhookReceiver, free_port
from dispatch.notify.channels import (
    FileSink,
    Outgoing,
    SendResult,
    SmtpChannel,
    WebhookChannel,
    new_webhook_secret,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
CREATED = datetime(2026, 11, 24, 9, 30, 15, tzinfo=BRUSSELS)
SENDER = "Field Dispatch <planning@example.be>"


def mail(message_id: str = "visit-42.promise-v2", **changes: Any) -> Outgoing:
    fields: dict[str, Any] = {
        "message_id": message_id,
        "channel": "email",
        "recipient": "Zoë Peeters <zoe@example.be>",
        "subject": "Uw technieker komt tussen 10:00 en 12:00 — Zoë",
        "text": "Beste Zoë,\n\nOnze technieker komt tussen 10:00 en 12:00.\n",
        "html": "<p>Beste Zoë,</p><p>Tussen <b>10:00 en 12:00</b>.</p>",
        "created_at": CREATED,
    }
    return Outgoing(**{**fields, **changes})


def hook(
    url: str, secret: str, message_id: str = "visit-42.promise-v2", **changes: Any
) -> Outgoing:
    fields: dict[str, Any] = {
        "message_id": message_id,
        "channel": "webhook",
        "recipient": url,
        "payload": {"type": "visit.promise_changed", "ticket": "T-42", "customer": "Zoë"},
        "secret": secret,
        "created_at": CREATED,
    }
    return Outgoing(**{**fields, **changes})


def body_of(msg: EmailMessage, subtype: str) -> str:
    part = msg.get_body((subtype,))
    assert part is not None, f"no text/{subtype} part"
    return str(part.get_content())


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def mailer(smtp: SmtpServer) -> Iterator[SmtpChannel]:
    channel = SmtpChannel(smtp.host, smtp.port, SENDER, timeout=5.0)
    yield channel
    channel.close()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(new_webhook_secret()) as r:
        yield r


@pytest.fixture
def poster() -> Iterator[WebhookChannel]:
    channel = WebhookChannel(timeout=2.0)
    yield channel
    channel.close()


# --- e-mail over SMTP ---------------------------------------------------------------


def test_a_mail_arrives_with_subject_both_parts_and_its_message_id(
    smtp: SmtpServer, mailer: SmtpChannel
) -> None:
    result = mailer.send(mail())

    assert result.ok and not result.retry, result.detail
    [received] = smtp.collector.mails
    assert received.rcpt_tos == ("zoe@example.be",)
    assert received.mail_from == "planning@example.be"
    msg = received.message()
    assert msg["Message-ID"] == "<visit-42.promise-v2@field-dispatch>"
    assert msg["Subject"] == "Uw technieker komt tussen 10:00 en 12:00 — Zoë"
    assert msg["To"] == "Zoë Peeters <zoe@example.be>"
    assert parsedate_to_datetime(msg["Date"]) == CREATED
    assert msg.get_content_type() == "multipart/alternative"
    text = body_of(msg, "plain")
    assert text.replace("\r\n", "\n") == mail().text  # SMTP carries CRLF line ends
    assert "<b>10:00 en 12:00</b>" in body_of(msg, "html")


def test_a_resend_carries_the_same_message_id_over_the_kept_connection(
    smtp: SmtpServer, mailer: SmtpChannel
) -> None:
    first, again = mailer.send(mail()), mailer.send(mail())

    assert first.ok and again.ok
    one, two = smtp.collector.mails
    assert one.message()["Message-ID"] == two.message()["Message-ID"]
    assert one.peer == two.peer  # same client port: one SMTP session for both


def test_a_connection_dropped_by_a_server_restart_is_reopened(
    smtp: SmtpServer, mailer: SmtpChannel
) -> None:
    assert mailer.send(mail("before-restart")).ok
    smtp.restart()

    result = mailer.send(mail("after-restart"))

    assert result.ok, result.detail
    assert [m.message()["Message-ID"] for m in smtp.collector.mails] == [
        "<before-restart@field-dispatch>",
        "<after-restart@field-dispatch>",
    ]


def test_no_smtp_server_is_worth_a_retry() -> None:
    channel = SmtpChannel("127.0.0.1", free_port(), SENDER, timeout=2.0)

    result = channel.send(mail())

    assert (result.ok, result.retry, result.gone) == (False, True, False)
    assert "unreachable" in result.detail


def test_a_550_is_permanent_and_the_next_mail_still_goes(
    smtp: SmtpServer, mailer: SmtpChannel
) -> None:
    smtp.collector.reply = "550 mailbox unavailable"

    result = mailer.send(mail())

    assert (result.ok, result.retry) == (False, False)
    assert result.detail.startswith("SMTP 550 mailbox unavailable")
    smtp.collector.reply = "250 OK"
    assert mailer.send(mail("next")).ok
    assert len(smtp.collector.mails) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_login_goes_through_and_a_wrong_password_waits_for_the_settings() -> None:
    """A rotated password fails every message alike: retried, never dead-lettered."""
    with SmtpServer(login=("planning", "geheim-42")) as server:
        good = SmtpChannel(server.host, server.port, SENDER, user="planning", password="geheim-42")
        wrong = SmtpChannel(server.host, server.port, SENDER, user="planning", password="raden")
        try:
            accepted, refused = good.send(mail()), wrong.send(mail())
        finally:
            good.close()
            wrong.close()

    assert accepted.ok, accepted.detail
    assert (refused.ok, refused.retry) == (False, True)
    assert refused.detail.startswith("SMTP 535") and "SMTP settings" in refused.detail
    assert len(server.collector.mails) == 1


def test_a_password_smtplib_cannot_send_is_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="ASCII"):
        SmtpChannel("127.0.0.1", 25, SENDER, user="zoë", password="geheim")


def test_a_451_is_worth_a_retry(smtp: SmtpServer, mailer: SmtpChannel) -> None:
    smtp.collector.reply = "451 try again later"

    result = mailer.send(mail())

    assert (result.ok, result.retry) == (False, True)
    assert result.detail.startswith("SMTP 451 try again later")


# --- signed webhooks ----------------------------------------------------------------


def test_a_webhook_verifies_at_the_receiver_and_carries_the_message_id(
    receiver: WebhookReceiver, poster: WebhookChannel
) -> None:
    result = poster.send(hook(f"{receiver.url}/hooks", receiver.secret))

    assert result.ok, result.detail
    assert receiver.rejected == []
    [delivery] = receiver.deliveries
    assert delivery.webhook_id == "visit-42.promise-v2"
    assert delivery.payload == {
        "type": "visit.promise_changed", "ticket": "T-42", "customer": "Zoë"
    }  # fmt: skip


def test_a_retry_hours_later_keeps_its_id_and_still_verifies(
    receiver: WebhookReceiver, poster: WebhookChannel
) -> None:
    """Signed at the attempt, not at created_at: receivers allow five minutes."""
    stale = datetime.now(UTC) - timedelta(hours=3)
    url = f"{receiver.url}/hooks"

    results = [poster.send(hook(url, receiver.secret, created_at=stale)) for _ in range(2)]

    assert all(r.ok for r in results), [r.detail for r in results]
    first, again = receiver.deliveries
    assert first.webhook_id == again.webhook_id == "visit-42.promise-v2"
    assert first.peer == again.peer  # one kept-alive connection for both


def test_a_clock_with_an_offset_signs_the_same_instant(receiver: WebhookReceiver) -> None:
    channel = WebhookChannel(now=lambda: datetime.now(BRUSSELS))
    try:
        result = channel.send(hook(f"{receiver.url}/hooks", receiver.secret))
    finally:
        channel.close()

    assert result.ok, (result.detail, receiver.rejected)


def test_the_wrong_secret_is_rejected_by_the_receiver_and_not_retried(
    receiver: WebhookReceiver, poster: WebhookChannel
) -> None:
    result = poster.send(hook(f"{receiver.url}/hooks", new_webhook_secret()))

    assert receiver.rejected == ["No matching signature found"]
    assert receiver.deliveries == []
    assert (result.ok, result.retry, result.gone) == (False, False, False)
    assert result.detail == f"HTTP 400 from {receiver.url}/hooks"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (503, SendResult(ok=False, retry=True)),
        (429, SendResult(ok=False, retry=True)),
        (410, SendResult(ok=False, retry=False, gone=True)),
        (404, SendResult(ok=False, retry=False)),
    ],
)
def test_the_receivers_answer_decides_retry_or_gone(
    receiver: WebhookReceiver, poster: WebhookChannel, status: int, expected: SendResult
) -> None:
    url = f"{receiver.url}/status/{status}"

    result = poster.send(hook(url, receiver.secret))

    assert (result.ok, result.retry, result.gone) == (expected.ok, expected.retry, expected.gone)
    assert result.detail == f"HTTP {status} from {url}"
    assert receiver.rejected == []  # it verified, then chose to answer so


def test_a_refused_connection_is_worth_a_retry(poster: WebhookChannel) -> None:
    result = poster.send(hook(f"http://127.0.0.1:{free_port()}/hooks", new_webhook_secret()))

    assert (result.ok, result.retry) == (False, True)
    assert "ConnectError" in result.detail


def test_a_receiver_too_slow_to_answer_is_worth_a_retry(receiver: WebhookReceiver) -> None:
    channel = WebhookChannel(timeout=0.2)
    try:
        result = channel.send(hook(f"{receiver.url}/sleep/1", receiver.secret))
    finally:
        channel.close()

    assert (result.ok, result.retry) == (False, True)
    assert result.detail.startswith("no answer within 0.2 s")


def test_the_detail_leaves_out_a_token_in_the_query(poster: WebhookChannel) -> None:
    url = f"http://user:pw@127.0.0.1:{free_port()}/hooks?token=s3cret"

    result = poster.send(hook(url, new_webhook_secret()))

    assert "s3cret" not in result.detail and "pw" not in result.detail


def test_a_message_for_another_channel_is_refused_for_good(
    poster: WebhookChannel, mailer: SmtpChannel
) -> None:
    assert poster.send(mail()) == SendResult(
        ok=False, retry=False, detail="email message given to the webhook channel"
    )
    assert not mailer.send(hook("http://127.0.0.1:9/", new_webhook_secret())).retry


# --- the demo's file sink -----------------------------------------------------------


def test_the_file_sink_writes_a_readable_eml_and_a_resend_replaces_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "outbox"
    sink = FileSink(folder)

    with caplog.at_level(logging.INFO, logger="dispatch.notify.channels.filesink"):
        first = sink.send(mail())
        again = sink.send(mail())

    assert first.ok and again.ok
    [path] = folder.iterdir()
    assert path.name == "20261124T083015-visit-42.promise-v2.eml"  # created_at in UTC
    raw = path.read_bytes()
    assert "Beste Zoë".encode() in raw  # 8-bit: readable in any editor
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert msg["Subject"] == "Uw technieker komt tussen 10:00 en 12:00 — Zoë"
    assert msg["Message-ID"] == "<visit-42.promise-v2@field-dispatch>"
    assert "10:00 en 12:00" in body_of(msg, "plain")
    assert f"mail to Zoë Peeters <zoe@example.be> saved as {path}" in caplog.messages


def test_the_file_sink_keeps_a_webhook_as_the_request_it_would_send(tmp_path: Path) -> None:
    secret = new_webhook_secret()
    sink = FileSink(tmp_path)

    assert sink.send(hook("https://example.be/hooks", secret)).ok

    [path] = tmp_path.glob("*.json")
    assert path.name == "20261124T083015-visit-42.promise-v2.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["url"] == "https://example.be/hooks"
    assert saved["headers"]["webhook-id"] == "visit-42.promise-v2"
    assert Webhook(secret).verify(saved["body"], saved["headers"])["customer"] == "Zoë"


# --- the message itself -------------------------------------------------------------


@pytest.mark.parametrize("bad", ["", "has space", "a/b", "visit:1", "a..b", "x" * 129])
def test_a_message_id_must_be_safe_as_message_id_and_file_name(bad: str) -> None:
    with pytest.raises(ValueError, match="message_id"):
        mail(bad)


def test_created_at_needs_an_offset() -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        mail(created_at=datetime(2026, 11, 24, 9, 30))


def test_a_new_webhook_secret_is_24_random_bytes_standard_webhooks_can_read() -> None:
    import base64

    secret = new_webhook_secret()

    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 24
    assert secret != new_webhook_secret()
    Webhook(secret)  # accepted by the official library
