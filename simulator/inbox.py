"""What the customers received, caught where the messages leave the system.

The simulator plugs two channels into the real delivery job: an e-mail box (the
customer's inbox: what was sent, when) and the webhook receiver of a CRM subscribed
to every message (its JSON payload carries the window or ETA the message gave). An
e-mail and the webhook of the same outbox event share the event's number in their
message ids (``msg_<outbox>_email``, ``msg_<outbox>_w<endpoint>``), which pairs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dispatch.clock import Clock
from dispatch.notify.channels.base import Outgoing, SendResult
from simulator.record import Told, Window


def _outbox(message_id: str) -> int:
    return int(message_id.split("_")[1])


def _window(payload: dict[str, Any]) -> Window | None:
    w, eta = payload.get("window"), payload.get("eta")
    if payload.get("kind") == "arriving_soon" and eta:  # "around 10:42": an instant
        t = datetime.fromisoformat(eta)
        return Window(t, t)
    if isinstance(w, dict) and w.get("start") and w.get("end"):
        return Window(datetime.fromisoformat(w["start"]), datetime.fromisoformat(w["end"]))
    return None


@dataclass
class Inbox:
    clock: Clock
    on_news: Callable[[int, str, dict[str, Any]], None] | None = None  # ticket, kind, body
    mails: dict[int, datetime] = field(default_factory=dict)  # outbox event -> sent at
    hooks: dict[int, dict[str, Any]] = field(default_factory=dict)  # outbox -> payload
    first: dict[int, Window] = field(default_factory=dict)  # ticket -> first window told
    last: dict[int, Window] = field(default_factory=dict)  # ticket -> latest window told

    def email(self) -> _Box:
        return _Box(self._mail)

    def webhook(self) -> _Box:
        return _Box(self._hook)

    def _mail(self, m: Outgoing) -> None:
        self.mails.setdefault(_outbox(m.message_id), self.clock.now())

    def _hook(self, m: Outgoing) -> None:
        payload = dict(m.payload or {})
        number = _outbox(m.message_id)
        if number in self.hooks:
            return
        self.hooks[number] = payload
        told = _window(payload)
        if told is not None and isinstance(payload.get("ticket_id"), int):
            self.first.setdefault(payload["ticket_id"], told)
            self.last[payload["ticket_id"]] = told
        if self.on_news is not None and isinstance(payload.get("ticket_id"), int):
            self.on_news(payload["ticket_id"], str(payload.get("kind")), payload)

    def told(self) -> list[Told]:
        """Every e-mail a customer received, with the time its event gave, in order."""
        out = []
        for number, at in self.mails.items():
            p = self.hooks.get(number)
            if p is None or not isinstance(p.get("ticket_id"), int):
                continue
            out.append(Told(p["ticket_id"], at, str(p.get("kind")), _window(p)))
        return sorted(out, key=lambda t: (t.at, t.ticket_id))


@dataclass(frozen=True)
class _Box:
    take: Callable[[Outgoing], None]

    def send(self, message: Outgoing) -> SendResult:
        self.take(message)
        return SendResult.delivered("simulator")
