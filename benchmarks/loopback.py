"""Real receivers on 127.0.0.1 for the channel tests and the delivery benchmark.

Both sides are real: an ``aiosmtpd`` SMTP server and an HTTP endpoint that verifies
every webhook with the official ``standardwebhooks`` library, the way a customer's
system would. A test passes only if a third-party receiver accepts what we send.
``aiosmtpd`` is a dev dependency; import this module from tests and benchmarks only.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Delivery:
    peer: str  # the client's (host, port): one per kept-alive connection
    webhook_id: str
    body: bytes
    payload: Any
    at: float = 0.0  # time.monotonic() when it was accepted


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    receiver: WebhookReceiver

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a sender killed mid-request (the crash test does it on purpose)
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real receivers allow
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        if len(body) < length:  # the sender died mid-request: there is no request
            self.close_connection = True
            return
        headers = dict(self.headers.items())
        status = self.server.receiver.receive(str(self.client_address), self.path, body, headers)
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a benchmark sends thousands


class WebhookReceiver:
    """An endpoint that verifies EVERY request and answers 400 to a bad signature.

    After a valid signature, the path chooses the answer: ``/status/503`` answers
    503, ``/sleep/0.5`` waits half a second first; any other path records the
    delivery and answers 204. ``delay``, when given, is asked before every accepted
    delivery how many seconds to wait first (a receiver that is slow now and then).
    """

    def __init__(
        self, secret: str, port: int = 0, delay: Callable[[], float] | None = None
    ) -> None:
        self.secret = secret
        self._delay = delay
        self._verifier = Webhook(secret)
        self.deliveries: list[Delivery] = []
        self.rejected: list[str] = []
        self._lock = threading.Lock()
        self._server = _Server((HOST, port), _Handler)
        self._server.receiver = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}"

    def receive(self, peer: str, path: str, body: bytes, headers: dict[str, str]) -> int:
        try:
            payload = self._verifier.verify(body, headers)
        except (WebhookVerificationError, ValueError) as exc:  # ValueError: not UTF-8/JSON
            with self._lock:
                self.rejected.append(str(exc))
            return 400
        if path.startswith("/status/"):
            return int(path.removeprefix("/status/"))
        if path.startswith("/sleep/"):
            time.sleep(min(float(path.removeprefix("/sleep/")), 5.0))
        if self._delay is not None:
            time.sleep(min(self._delay(), 5.0))
        delivery = Delivery(peer, headers.get("webhook-id", ""), body, payload, time.monotonic())
        with self._lock:
            self.deliveries.append(delivery)
        return 204

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@dataclass(frozen=True)
class ReceivedMail:
    peer: str
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes

    def message(self) -> EmailMessage:
        parsed = BytesParser(policy=policy.default).parsebytes(self.content)
        assert isinstance(parsed, EmailMessage)
        return parsed


class MailCollector:
    """An ``aiosmtpd`` handler that keeps every mail, or answers ``reply`` to DATA
    instead (e.g. "550 mailbox unavailable") when it is not a 250."""

    def __init__(self) -> None:
        self.reply = "250 OK"
        self.mails: list[ReceivedMail] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if not self.reply.startswith("250"):
            return self.reply
        self.mails.append(
            ReceivedMail(
                str(session.peer),  # (host, port) of the client: one per SMTP session
                str(envelope.mail_from),
                tuple(envelope.rcpt_tos),
                envelope.original_content or b"",
            )
        )
        return "250 OK"


class SmtpServer:
    """``aiosmtpd``'s threaded controller on 127.0.0.1; ``restart`` takes the same port
    again, so a client's kept connection dies the way it does when a server restarts."""

    def __init__(
        self, collector: MailCollector | None = None, *, login: tuple[str, str] | None = None
    ) -> None:
        """With ``login`` the server demands AUTH (without TLS: loopback only)."""
        self.collector = collector or MailCollector()
        self.host, self.port = HOST, free_port()
        self.login = login
        self._controller: Controller | None = None

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        given = (data.login.decode(), data.password.decode()) if isinstance(
            data, LoginPassword
        ) else None  # fmt: skip
        return AuthResult(success=given == self.login, handled=False)  # False: answer 535

    def start(self) -> None:
        auth: dict[str, Any] = {}
        if self.login is not None:
            auth = {"authenticator": self._authenticate, "auth_required": True,
                    "auth_require_tls": False}  # fmt: skip
        self._controller = Controller(
            self.collector, hostname=self.host, port=self.port, ready_timeout=10.0, **auth
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
