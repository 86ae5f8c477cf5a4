"""Signed webhooks per the Standard Webhooks spec, over one kept-alive HTTP client.

The signature is made by the official ``standardwebhooks`` library rather than by
hand, so it is byte for byte what receivers using any Standard Webhooks library
verify. The ``webhook-id`` is the outbox message id: the same on every attempt, so a
receiver can drop a repeat. The ``webhook-timestamp`` is the time of the attempt, by
the wall clock: receivers reject signatures more than five minutes off their own
clock, so neither the message's ``created_at`` (a retry an hour later would always
fail) nor the simulated dispatch clock can stand in for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
from standardwebhooks.webhooks import EmptyWebhookSecretError, Webhook

from dispatch.notify.channels.base import Outgoing, SendResult, wrong_channel

Now = Callable[[], datetime]


def wall_clock() -> datetime:
    return datetime.now(UTC)


def signed_request(message: Outgoing, at: datetime) -> tuple[dict[str, str], bytes]:
    """Headers and body of one attempt, signed as of ``at``.

    Raises ValueError when the message cannot be signed (no payload, no or a garbled
    secret, a payload that is not JSON): no retry would change that.
    """
    if message.payload is None or not message.secret:
        raise ValueError("a webhook needs a payload and a signing secret")
    try:
        body = json.dumps(
            dict(message.payload), ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
        signer = Webhook(message.secret)
    except (TypeError, ValueError, EmptyWebhookSecretError) as exc:  # binascii.Error: ValueError
        raise ValueError(f"cannot sign the webhook: {exc}") from exc
    # The library reads the timestamp's wall time as UTC, so hand it UTC.
    at_utc = at.astimezone(UTC).replace(microsecond=0)
    headers = {
        "webhook-id": message.message_id,
        "webhook-timestamp": str(int(at_utc.timestamp())),
        "webhook-signature": signer.sign(message.message_id, at_utc, body),
        "content-type": "application/json",
    }
    return headers, body.encode("utf-8")


def endpoint(url: str) -> str:
    """The URL without query or credentials: endpoints often carry a token there, and
    the detail ends up in logs and on the dispatcher's screen."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


def http_result(status: int, where: str, retry_after: str | None = None) -> SendResult:
    """2xx delivered; 410 the endpoint is gone for good; 408, 429 and 5xx are the
    receiver being busy or broken for now; any other answer (a 400 for a signature it
    rejects, 404, a redirect we do not follow) will not change by sending again."""
    detail = f"HTTP {status} from {where}"
    if 200 <= status < 300:
        return SendResult.delivered(detail)
    if status == 410:
        return SendResult.endpoint_gone(detail)
    if status in (408, 429) or 500 <= status < 600:
        after = f" (Retry-After: {retry_after})" if retry_after else ""
        return SendResult.temporary(detail + after)
    return SendResult.permanent(detail)


class WebhookChannel:
    def __init__(
        self, client: httpx.Client | None = None, timeout: float = 5.0, *, now: Now = wall_clock
    ) -> None:
        """One ``httpx.Client`` for every send keeps connections alive per endpoint; a
        client passed in stays the caller's to close."""
        self._own = client is None
        self._client = client if client is not None else httpx.Client(follow_redirects=False)
        self._timeout = timeout
        self._now = now

    def send(self, message: Outgoing) -> SendResult:
        if (wrong := wrong_channel("webhook", message)) is not None:
            return wrong
        where = endpoint(message.recipient)
        try:
            headers, body = signed_request(message, self._now())
        except ValueError as exc:
            return SendResult.permanent(f"{exc} ({where})")
        try:
            response = self._client.post(
                message.recipient, content=body, headers=headers, timeout=self._timeout
            )
        except httpx.TimeoutException:
            return SendResult.temporary(f"no answer within {self._timeout:g} s from {where}")
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return SendResult.permanent(f"not a webhook URL: {where} ({exc})")
        except httpx.TransportError as exc:  # refused, reset, DNS: the network, for now
            return SendResult.temporary(f"{type(exc).__name__} posting to {where}: {exc}")
        return http_result(response.status_code, where, response.headers.get("retry-after"))

    def close(self) -> None:
        if self._own:
            self._client.close()
