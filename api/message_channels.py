"""The channels the settings ask for: SMTP when a host is set, else the demo's file
sink under var/outbox, so a newcomer can read what customers would receive."""

from __future__ import annotations

from dispatch.config import Settings
from dispatch.notify.channels import Channel, FileSink, SmtpChannel, WebhookChannel


def message_channels(settings: Settings) -> dict[str, Channel]:
    email: Channel
    if settings.smtp_host:
        email = SmtpChannel(
            settings.smtp_host,
            settings.smtp_port,
            settings.mail_from,
            starttls=settings.smtp_starttls,
            use_tls=settings.smtp_tls,
            user=settings.smtp_user,
            password=settings.smtp_password,
        )
    else:
        email = FileSink(settings.outbox_dir)
    return {"email": email, "webhook": WebhookChannel()}
