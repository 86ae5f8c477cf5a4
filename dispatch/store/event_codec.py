"""The one serializer between domain events and outbox rows.

A row keeps the event's ``kind`` and a payload that carries its schema version ``v``,
so a reader years from now can tell the kinds and their shapes apart. The dedupe key
is always ``<visit>/<kind>/v<promise version>``: a retried job raises the same event
under the same promise version and is refused by the unique key, while a real second
change has a higher version and can never be swallowed.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from typing import Any

from dispatch.domain.events import EVENT_TYPES, Event
from dispatch.domain.model import TimeWindow
from dispatch.store.ports import OutboxRecord

SCHEMA_VERSION = 1
_BY_KIND: dict[str, type[Event]] = {t.kind: t for t in EVENT_TYPES}


def dedupe_key(event: Event) -> str:
    """Visit, kind and promise version: the same slip seen twice is one message; plus the
    event's own ``detail`` (who took a handed-over visit and when; which disruption)."""
    return f"{event.subject}/{event.kind}/v{event.promise_version}{event.detail}"


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, TimeWindow):
        return [value.start.isoformat(), value.end.isoformat()]
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


def to_record(event: Event) -> OutboxRecord:
    payload: dict[str, Any] = {"v": SCHEMA_VERSION}
    for f in dataclasses.fields(event):
        payload[f.name] = _encode(getattr(event, f.name))
    return OutboxRecord(event.kind, event.ticket_id, dedupe_key(event), payload, event.at)


def _decode(hint: object, value: object) -> object:
    if value is None:
        return None
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        (hint,) = [a for a in typing.get_args(hint) if a is not type(None)]
    if hint is datetime:
        return datetime.fromisoformat(str(value))
    if hint is TimeWindow and isinstance(value, list):
        return TimeWindow(datetime.fromisoformat(value[0]), datetime.fromisoformat(value[1]))
    if typing.get_origin(hint) is tuple and isinstance(value, list):
        (item, _) = typing.get_args(hint)
        return tuple(_decode(item, v) for v in value)
    return value


def from_record(kind: str, payload: dict[str, Any]) -> Event:
    """The event an outbox row holds; refuses a kind or schema it does not know."""
    cls = _BY_KIND.get(kind)
    if cls is None:
        raise ValueError(f"unknown event kind {kind!r}")
    if payload.get("v") != SCHEMA_VERSION:
        raise ValueError(f"{kind} payload has schema {payload.get('v')!r}, not {SCHEMA_VERSION}")
    hints = typing.get_type_hints(cls)
    args: dict[str, Any] = {  # a field added later with a default: older rows lack it
        f.name: _decode(hints[f.name], payload[f.name])
        for f in dataclasses.fields(cls)
        if f.name in payload or f.default is dataclasses.MISSING
    }
    return cls(**args)
