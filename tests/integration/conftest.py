"""Real receivers on 127.0.0.1 for the message tests: an SMTP server (aiosmtpd) and a
webhook receiver that verifies every signature with ``standardwebhooks``."""

from collections.abc import Iterator

import pytest

from benchmarks.loopback import SmtpServer, WebhookReceiver
from dispatch.notify.channels import SmtpChannel, WebhookChannel, new_webhook_secret


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(new_webhook_secret()) as r:
        yield r


@pytest.fixture
def channels(smtp: SmtpServer) -> Iterator[dict[str, SmtpChannel | WebhookChannel]]:
    mail = SmtpChannel(smtp.host, smtp.port, "Dispatch <planning@example.org>", timeout=5.0)
    hook = WebhookChannel(timeout=2.0)
    yield {"email": mail, "webhook": hook}
    mail.close()
    hook.close()
