"""E-mail over SMTP with the standard library, one connection kept across sends.

Opening an SMTP session costs several round trips (greeting, EHLO, maybe STARTTLS
and AUTH); reusing it is what lets a burst of promise changes go out at tens of mails
per second. A kept connection can be closed by the server at any time, so a send that
finds it dead reconnects once and tries again. That may deliver a mail twice if the
server dropped us after accepting it; the stable Message-ID lets the receiver tell.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import threading

from dispatch.notify.channels.base import Outgoing, SendResult, wrong_channel
from dispatch.notify.channels.mime import compose


def smtp_result(code: int, reply: bytes | str, where: str) -> SendResult:
    """5xx is final for this message (no such mailbox, rejected content). 4xx is the
    server saying "not now" (greylisting, full queue, 421 closing): retry, and so for
    a reply too garbled to have a code, rather than lose the message."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    detail = f"SMTP {code} {' '.join(text.split())} ({where})"
    return SendResult.permanent(detail) if 500 <= code < 600 else SendResult.temporary(detail)


class SmtpChannel:
    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        starttls: bool = False,
        use_tls: bool = False,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        if starttls and use_tls:
            raise ValueError("choose STARTTLS or implicit TLS (use_tls), not both")
        if (user is None) != (password is None):
            raise ValueError("SMTP login needs both user and password")
        if not f"{user or ''}{password or ''}".isascii():
            # smtplib encodes AUTH as ASCII: fail at start-up, not on the first mail
            raise ValueError("SMTP user and password must be ASCII")
        self.host, self.port, self.sender = host, port, sender
        self._starttls, self._use_tls = starttls, use_tls
        self._user, self._password = user, password
        self._timeout = timeout
        self._smtp: smtplib.SMTP | None = None
        # smtplib keeps one conversation per object: sends from several threads queue.
        self._lock = threading.Lock()

    @property
    def _where(self) -> str:
        return f"{self.host}:{self.port}"

    def send(self, message: Outgoing) -> SendResult:
        if (wrong := wrong_channel("email", message)) is not None:
            return wrong
        mail = compose(message, self.sender)
        with self._lock:
            for attempt in (1, 2):
                fresh = self._smtp is None
                try:
                    smtp = self._connected()
                    smtp.send_message(mail)
                except smtplib.SMTPServerDisconnected as exc:
                    self._drop()
                    if attempt == 1 and not fresh:
                        continue  # the kept connection had died while idle: reconnect once
                    return SendResult.temporary(f"SMTP server {self._where} hung up: {exc}")
                except (smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused) as exc:
                    # our own configuration (a rotated password, a refused sender), not this
                    # recipient: every message would fail alike, so none is dead-lettered
                    self._drop()
                    return SendResult.temporary(
                        f"SMTP {exc.smtp_code} from {self._where}: it refused us, not the "
                        "recipient; check the SMTP settings"
                    )
                except smtplib.SMTPRecipientsRefused as exc:
                    code, reply = next(iter(exc.recipients.values()))  # the one recipient
                    return smtp_result(code, reply, f"recipient {message.recipient}")
                except smtplib.SMTPResponseException as exc:
                    if exc.smtp_code == 421 or isinstance(exc, smtplib.SMTPConnectError):
                        self._drop()
                    return smtp_result(exc.smtp_code, exc.smtp_error, self._where)
                except smtplib.SMTPNotSupportedError as exc:
                    return SendResult.permanent(f"SMTP {self._where}: {exc}")
                except OSError as exc:  # SMTPException included: it is an OSError
                    self._drop()
                    return SendResult.temporary(
                        f"SMTP server {self._where} unreachable: {type(exc).__name__}: {exc}"
                    )
                return SendResult.delivered(f"SMTP {self._where} accepted {message.message_id}")
        raise AssertionError("unreachable: the loop returns on its last attempt")

    def close(self) -> None:
        """Say QUIT politely; a server that already left is fine too."""
        with self._lock:
            if self._smtp is not None:
                with contextlib.suppress(OSError):  # SMTPException is an OSError
                    self._smtp.quit()
                self._drop()

    def _connected(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        smtp: smtplib.SMTP
        if self._use_tls:
            context = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self._timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self._timeout)
        try:
            smtp.ehlo()
            if self._starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if self._user is not None and self._password is not None:
                smtp.login(self._user, self._password)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
        self._smtp = None
