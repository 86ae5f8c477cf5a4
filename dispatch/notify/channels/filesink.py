"""The demo's stand-in for SMTP and webhook receivers: every message as a file.

A resend of the same message must not look like a second message, so the file name
is derived from the message alone (its ``created_at`` in UTC and its id) and a resend
replaces the file; the write goes through a temporary file so a crash never leaves
half a mail behind.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC
from pathlib import Path

from dispatch.notify.channels.base import Outgoing, SendResult
from dispatch.notify.channels.mime import compose
from dispatch.notify.channels.webhook import Now, signed_request, wall_clock

log = logging.getLogger(__name__)

DEMO_SENDER = "field-dispatch demo <noreply@field-dispatch.invalid>"


class FileSink:
    def __init__(self, folder: Path, *, sender: str = DEMO_SENDER, now: Now = wall_clock) -> None:
        self.folder = folder
        self._sender = sender
        self._now = now

    def path_for(self, message: Outgoing) -> Path:
        """UTC, not the offset ``created_at`` came with: a message read back from the
        database in another zone must still land on the same file."""
        stamp = message.created_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
        suffix = ".eml" if message.channel == "email" else ".json"
        return self.folder / f"{stamp}-{message.message_id}{suffix}"

    def send(self, message: Outgoing) -> SendResult:
        path = self.path_for(message)
        if message.channel == "email":
            content = compose(message, self._sender, eight_bit=True).as_bytes()
        else:
            try:
                headers, body = signed_request(message, self._now())
            except ValueError as exc:
                return SendResult.permanent(str(exc))
            record = {
                "url": message.recipient,
                "headers": headers,
                "body": body.decode("utf-8"),
            }
            content = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.partial")
            partial.write_bytes(content)
            os.replace(partial, path)
        except OSError as exc:  # a full disk may clear up; a read-only folder will not
            return SendResult.temporary(f"cannot write {path}: {exc}")
        what = "mail" if message.channel == "email" else "webhook"
        log.info("%s to %s saved as %s", what, message.recipient, path)
        return SendResult.delivered(f"saved as {path}")
