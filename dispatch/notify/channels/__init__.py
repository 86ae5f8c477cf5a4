"""Delivery channels: e-mail over SMTP, signed webhooks, and a file sink for the demo.

They know nothing of the database: the outbox dispatcher hands each an ``Outgoing``
and records the ``SendResult``. One module per channel; ``base`` holds what they share.
"""

from dispatch.notify.channels.base import (
    Channel,
    Outgoing,
    SendResult,
    new_webhook_secret,
)
from dispatch.notify.channels.filesink import FileSink
from dispatch.notify.channels.smtp import SmtpChannel
from dispatch.notify.channels.webhook import WebhookChannel

__all__ = [
    "Channel",
    "FileSink",
    "Outgoing",
    "SendResult",
    "SmtpChannel",
    "WebhookChannel",
    "new_webhook_secret",
]
