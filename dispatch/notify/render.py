"""One customer message, rendered for every channel: subject, text, HTML, SMS, webhook.

Pure: no database, no network, no clock. Every word a customer reads lives in a
template beside this module, never in Python:

- ``templates/<locale>/<kind>.<channel>.j2`` for the channels ``subject``, ``txt``,
  ``html`` and ``sms`` (``<kind>`` is the ``MessageKind`` value, e.g. ``running_late``);
- ``templates/<locale>/_reasons.j2``: one macro per ``Reason`` value, its plain words;
- ``templates/webhook/<kind>.json.j2``: the webhook payload, the same for every locale.

HTML templates (``*.html.j2``) are autoescaped, the others are not; an undefined
variable is an error (``StrictUndefined``), never an empty gap. Dates and times are
formatted by Babel (CLDR) in the customer's locale and time zone through the filters of ``dates``:
``day``, ``short_day``, ``time``, ``window``, ``short_window`` and ``iso``.

Locales: ``SUPPORTED_LOCALES``. A regional tag uses its language ("nl-BE" -> "nl",
"en_GB" -> "en"); any other language falls back to ``FALLBACK_LOCALE`` ("en"), so a
customer always gets a message. A kind, channel or reason without its template in a
supported locale raises ``MissingTemplateError`` naming the file.
"""

from __future__ import annotations

import enum
import functools
import json
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    select_autoescape,
)

from dispatch.domain.message_kinds import MessageKind, Reason
from dispatch.domain.model import TimeWindow
from dispatch.notify.dates import FILTERS

__all__ = [
    "FALLBACK_LOCALE",
    "SUPPORTED_LOCALES",
    "TEMPLATES",
    "Channel",
    "MessageContext",
    "MessageContextError",
    "MessageKind",
    "MissingTemplateError",
    "Reason",
    "Rendered",
    "build_environment",
    "environment",
    "reason_text",
    "render",
    "resolve_locale",
    "template_name",
    "webhook_template_name",
]

SUPPORTED_LOCALES: tuple[str, ...] = ("nl", "en")
FALLBACK_LOCALE = "en"
TEMPLATES = Path(__file__).resolve().parent / "templates"

_URL_SCHEMES = ("https://", "http://")


class Channel(enum.StrEnum):
    """The per-locale template files of one kind: ``<kind>.<channel>.j2``."""

    SUBJECT = "subject"
    TEXT = "txt"
    HTML = "html"
    SMS = "sms"


class MessageContextError(ValueError):
    """The context cannot make this message; the text names the field and the kind."""


class MissingTemplateError(LookupError):
    """A kind, channel or reason has no template in a locale; the text names the file."""


@dataclass(frozen=True)
class MessageContext:
    """Everything a message may say. Datetimes are timezone-aware (UTC by convention);
    they are shown in ``timezone``, the customer's IANA zone."""

    kind: MessageKind
    locale: str  # "nl" | "en"; anything else falls back to "en"
    timezone: str  # IANA, e.g. "Europe/Brussels"
    ticket_id: int
    customer_name: str
    technician_first_name: str | None
    window_start: datetime | None
    window_end: datetime | None
    old_window_start: datetime | None = None
    old_window_end: datetime | None = None
    eta: datetime | None = None
    reason: Reason | None = None
    road: str | None = None  # detail for Reason.TRAFFIC: "A12" -> "traffic on the A12"
    note: str | None = None  # a disruption's own words ("our van broke down on the A12")
    back_at: datetime | None = None  # force majeure: when the technician is expected back
    alternatives: tuple[TimeWindow, ...] = ()  # force majeure: offered besides the held one
    hold_until: datetime | None = None  # force majeure: the held window is theirs till then
    reschedule_url: str | None = None  # force majeure: where they choose another
    tracking_url: str = ""
    confirm_url: str | None = None
    # Where the customer stops e-mails (the tracking page's messages section); every
    # e-mail ends with it, so every kind needs it.
    preferences_url: str = ""

    def __post_init__(self) -> None:
        # Plain strings ("running_late", "traffic") become the enums, or fail here.
        object.__setattr__(self, "kind", MessageKind(self.kind))
        if self.reason is not None:
            object.__setattr__(self, "reason", Reason(self.reason))
        needs = (*_NEEDS[self.kind], *_EVERY_KIND_NEEDS)
        missing = [name for name in needs if getattr(self, name) in (None, "")]
        if missing:
            raise MessageContextError(f"a {self.kind} message needs {', '.join(missing)}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise MessageContextError(f"unknown time zone {self.timezone!r}") from exc
        for name in ("window_start", "window_end", "old_window_start", "old_window_end", "eta",
                     "back_at", "hold_until"):
            moment = getattr(self, name)
            if moment is not None and moment.utcoffset() is None:
                raise MessageContextError(f"{name} must be timezone-aware, got {moment!r}")
        for start, end in (("window_start", "window_end"), ("old_window_start", "old_window_end")):
            first, last = getattr(self, start), getattr(self, end)
            if (first is None) != (last is None):
                raise MessageContextError(f"{start} and {end} come together or not at all")
            if first is not None and last < first:
                raise MessageContextError(f"{end} ({last}) is before {start} ({first})")
        held = self.window_start is not None
        if self.kind == MessageKind.FORCE_MAJEURE and held != (self.hold_until is not None):
            raise MessageContextError("a held window comes with its hold_until, and back")
        for name in ("tracking_url", "confirm_url", "preferences_url", "reschedule_url"):
            url = getattr(self, name)
            if url and not url.startswith(_URL_SCHEMES):
                raise MessageContextError(f"{name} must be an http(s) URL, got {url!r}")


# What every kind cannot do without: the e-mail's last line links to it.
_EVERY_KIND_NEEDS: tuple[str, ...] = ("preferences_url",)
# What each kind cannot do without (beyond the fields every message has).
_NEEDS: dict[MessageKind, tuple[str, ...]] = {
    MessageKind.BOOKED: ("window_start", "window_end", "tracking_url"),
    MessageKind.ON_THE_WAY: ("window_start", "window_end"),
    MessageKind.RUNNING_LATE: ("window_start", "window_end"),
    MessageKind.WINDOW_CHANGED: ("window_start", "window_end"),
    MessageKind.ARRIVING_SOON: (),
    MessageKind.COMPLETED: ("confirm_url",),
    MessageKind.REBOOKED: ("window_start", "window_end"),
    MessageKind.TECHNICIAN_CHANGED: ("window_start", "window_end"),
    # with a held window it offers new appointments; without, it tells the repair estimate
    MessageKind.FORCE_MAJEURE: ("reason", "old_window_start", "old_window_end"),
    MessageKind.WEATHER_NOTICE: ("window_start", "window_end"),
    MessageKind.CANCELLED: ("window_start", "window_end"),
}


@dataclass(frozen=True)
class Rendered:
    subject: str  # one line
    text: str  # plain-text e-mail body
    html: str  # HTML e-mail body, values escaped
    sms: str  # one line, short (the tests hold it to 160 GSM-7 characters)
    webhook: dict[str, Any]  # the JSON payload, decoded


def resolve_locale(locale: str) -> str:
    """The supported locale for a customer's language tag; ``FALLBACK_LOCALE`` if none."""
    language = locale.strip().replace("_", "-").split("-", 1)[0].lower()
    return language if language in SUPPORTED_LOCALES else FALLBACK_LOCALE


def template_name(locale: str, kind: MessageKind, channel: Channel) -> str:
    return f"{locale}/{kind.value}.{channel.value}.j2"


def webhook_template_name(kind: MessageKind) -> str:
    return f"webhook/{kind.value}.json.j2"


def render(ctx: MessageContext) -> Rendered:
    """The message ``ctx`` describes, in every channel, in the customer's locale."""
    locale = resolve_locale(ctx.locale)
    values: dict[str, Any] = {f.name: getattr(ctx, f.name) for f in fields(ctx)}
    values.update(
        kind=ctx.kind.value,
        locale=locale,
        reason=ctx.reason.value if ctx.reason else None,
        reason_text=reason_text(ctx.reason, locale, ctx.road) if ctx.reason else None,
    )
    values["subject"] = _one_line(_render(template_name(locale, ctx.kind, Channel.SUBJECT), values))
    text = _paragraphs(_render(template_name(locale, ctx.kind, Channel.TEXT), values))
    html = _paragraphs(_render(template_name(locale, ctx.kind, Channel.HTML), values))
    sms = _one_line(_render(template_name(locale, ctx.kind, Channel.SMS), values))
    webhook = _render(webhook_template_name(ctx.kind), values)
    try:
        payload = json.loads(webhook)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{webhook_template_name(ctx.kind)} gave invalid JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise ValueError(f"{webhook_template_name(ctx.kind)} must give a JSON object")
    return Rendered(values["subject"], text, html, sms, payload)


def reason_text(reason: Reason, locale: str, road: str | None = None) -> str:
    """The plain words for ``reason`` in ``locale``: the macro named after its value in
    ``<locale>/_reasons.j2``. A macro with a ``road`` argument gets ``road``."""
    name = f"{resolve_locale(locale)}/_reasons.j2"
    macro = getattr(_template(name).module, Reason(reason).value, None)
    if macro is None:
        raise MissingTemplateError(f"{name} in {_root()} has no macro {reason.value!r}")
    kwargs = {"road": road} if "road" in macro.arguments else {}
    return " ".join(str(macro(**kwargs)).split())


@functools.cache
def environment() -> Environment:
    """The one Jinja2 environment of ``render``: the templates beside this module."""
    return build_environment(TEMPLATES)


def build_environment(root: Path) -> Environment:
    """Templates under ``root``: strict, autoescaped HTML, dates by Babel filters."""
    env = Environment(
        loader=FileSystemLoader(root),
        autoescape=select_autoescape(
            enabled_extensions=("html.j2",), default_for_string=False, default=False
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


def _template(name: str) -> Template:
    try:
        return environment().get_template(name)
    except TemplateNotFound as exc:
        raise MissingTemplateError(
            f"missing template {exc.name} in {_root()}: every kind needs one file per"
            " channel per locale (docs/messages.md)"
        ) from exc


def _render(name: str, values: dict[str, Any]) -> str:
    template = _template(name)
    try:
        return template.render(values)
    except TemplateNotFound as exc:  # a layout it extends
        raise MissingTemplateError(f"{name} needs {exc.name}, missing in {_root()}") from exc


def _root() -> str:
    loader = environment().loader
    return ", ".join(map(str, loader.searchpath)) if isinstance(loader, FileSystemLoader) else "?"


def _one_line(rendered: str) -> str:
    return " ".join(rendered.split())


def _paragraphs(rendered: str) -> str:
    """Trailing spaces off, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in rendered.strip().splitlines()]
    kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
    return "\n".join(kept) + "\n"
