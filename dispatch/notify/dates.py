"""Days and times as customers read them: Jinja filters formatting by Babel (CLDR) in
the customer's locale and zone, which they read from the template's context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from jinja2 import pass_context
from jinja2.runtime import Context


@dataclass(frozen=True)
class DateFormats:
    """How a locale writes a day and a time: its CLDR locale (day and month names come
    from Babel) and the order of the fields, as CLDR patterns."""

    babel_locale: str
    day: str
    short_day: str
    time: str


# British English: "Monday 30 November" and a 24-hour clock, as customers in Europe expect.
DATE_FORMATS = {
    "nl": DateFormats("nl", day="EEEE d MMMM", short_day="EEE d MMM", time="HH:mm"),
    "en": DateFormats("en_GB", day="EEEE d MMMM", short_day="EEE d MMM", time="HH:mm"),
}


# Jinja filters. Each reads the customer's zone and locale from the template context.


def _local(context: Context, moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(str(context["timezone"])))


def _format(context: Context, moment: datetime, field: str) -> str:
    formats = DATE_FORMATS[str(context["locale"])]
    local = _local(context, moment)
    return format_datetime(
        local, getattr(formats, field), tzinfo=local.tzinfo, locale=formats.babel_locale
    )


@pass_context
def _day(context: Context, moment: datetime) -> str:
    """maandag 30 november / Monday 30 November"""
    return _format(context, moment, "day")


@pass_context
def _short_day(context: Context, moment: datetime) -> str:
    """ma 30 nov / Mon 30 Nov"""
    return _format(context, moment, "short_day")


@pass_context
def _time(context: Context, moment: datetime) -> str:
    """15:25"""
    return _format(context, moment, "time")


def _same_day(context: Context, start: datetime, end: datetime) -> bool:
    return _local(context, start).date() == _local(context, end).date()


@pass_context
def _window(context: Context, start: datetime, end: datetime) -> str:
    """maandag 30 november, 15:25-16:35 (en dash); past midnight it names both days."""
    first, last = _day(context, start), _time(context, start)
    if _same_day(context, start, end):
        return f"{first}, {last}\u2013{_time(context, end)}"
    return f"{first}, {last} \u2013 {_day(context, end)}, {_time(context, end)}"


@pass_context
def _short_window(context: Context, start: datetime, end: datetime) -> str:
    """ma 30 nov 15:25-16:35, for SMS: short, and ASCII hyphens keep it GSM-7."""
    first, last = _short_day(context, start), _time(context, start)
    if _same_day(context, start, end):
        return f"{first} {last}-{_time(context, end)}"
    return f"{first} {last} - {_short_day(context, end)} {_time(context, end)}"


@pass_context
def _iso(context: Context, moment: datetime | None) -> str | None:
    """ISO 8601 with the offset of the customer's zone; ``None`` stays ``None``."""
    return None if moment is None else _local(context, moment).isoformat()


@pass_context
def _window_json(context: Context, window: Any) -> dict[str, str | None]:
    """A window (anything with ``start`` and ``end``) for a JSON payload, in ISO 8601."""
    return {"start": _iso(context, window.start), "end": _iso(context, window.end)}


FILTERS: dict[str, Callable[..., Any]] = {
    "window_json": _window_json,
    "day": _day,
    "short_day": _short_day,
    "time": _time,
    "window": _window,
    "short_window": _short_window,
    "iso": _iso,
}
