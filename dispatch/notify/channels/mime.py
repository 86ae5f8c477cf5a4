"""One e-mail, built once for both the SMTP channel and the demo file sink.

Both must produce the same message, so a mail saved by the demo is exactly what a
customer would have received, Message-ID included.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

from dispatch.notify.channels.base import Outgoing

MESSAGE_ID_DOMAIN = "field-dispatch"


def message_id_header(message_id: str) -> str:
    """``<id@field-dispatch>``: derived from the outbox id alone, never generated, so a
    resend after a crash carries the same Message-ID and mail clients show it once."""
    return f"<{message_id}@{MESSAGE_ID_DOMAIN}>"


def compose(message: Outgoing, sender: str, *, eight_bit: bool = False) -> EmailMessage:
    """A multipart/alternative mail (plain text, and HTML when there is some).

    Over SMTP the body is quoted-printable, which every server relays unchanged
    without negotiating 8BITMIME; the file sink asks for 8-bit so "Zoë" stays
    readable in a text editor. Headers with non-ASCII text are encoded (RFC 2047) by
    the standard library either way.
    """
    cte = "8bit" if eight_bit else "quoted-printable"
    mail = EmailMessage()
    mail["Message-ID"] = message_id_header(message.message_id)
    mail["Date"] = format_datetime(message.created_at)
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail.set_content(message.text, cte=cte)
    if message.html:
        mail.add_alternative(message.html, subtype="html", cte=cte)
    return mail
