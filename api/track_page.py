"""The tracking page's content for a browser that runs no JavaScript (or a text
browser, or a link preview), rendered on the server inside ``<noscript>``: the status,
the window, why it changed, where the technician roughly is when they come next, what
we told the customer, and every answer as a plain form that posts and comes back
(``api.routers.track_forms``). The script takes over where it runs
(``api/web/track.js``); both word the page from ``api/web/track-words.json``, so the
two can never tell a customer different things."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment

from api.message_schemas import TrackingOut
from api.offer_schemas import OfferOut

WEB = Path(__file__).resolve().parent / "web"
WORDS: dict[str, dict[str, Any]] = json.loads((WEB / "track-words.json").read_text("utf-8"))
TEMPLATE = Environment(autoescape=True).from_string(
    (WEB / "track-noscript.html").read_text("utf-8"))  # fmt: skip
NOTES = ("thanks", "again", "already", "taken", "moved", "noneFree", "badDate", "cancelled",
         "cannot", "offerDone", "mailFailed")  # fmt: skip
BABEL = {"nl": "nl_BE", "en": "en_GB"}
COMING = ("scheduled", "assigned", "en_route")
MOVABLE = ("scheduled", "assigned", "unassigned", "open")  # not once the van is on its way
FURTHEST = 31  # days ahead a customer may move to (``services.reschedule``)


@dataclass(frozen=True)
class Page:
    token: str
    view: TrackingOut | None  # None: the link is unknown or expired
    offer: OfferOut | None
    today: date
    note: str | None = None  # what the last form post did, one of ``NOTES``


def language(view: TrackingOut | None) -> str:
    return view.locale if view is not None and view.locale in WORDS else "nl"


def said(v: TrackingOut, t: dict[str, Any]) -> str:
    """The one sentence under the window: the same rules as ``track.js``."""
    name = v.technician_first_name or t["someone"]
    coming = v.status in COMING
    if v.situation == "choose":
        return str(t["choose"]).format(reason=v.reason or t["problem"])
    if v.situation == "disrupted":
        return str(t["disrupted"]).format(name=name, reason=v.reason or t["problem"])
    if v.situation == "delayed" and coming:
        return str(t["delayed"]).format(name=name, reason=t["reasons"].get(v.reason, t["delay"]))
    if coming and v.technician_first_name:
        return str(t["arriving"]).format(name=name)
    other = {"completed": "done", "failed": "notDone", "cancelled": "cancelledNow",
             "unassigned": "looking", "open": "looking"}  # fmt: skip
    return str(t[other[v.status]]) if v.status in other else ""


def noscript(p: Page) -> str:
    lang = language(p.view)
    t, v = WORDS[lang], p.view
    if v is None:
        return TEMPLATE.render(t=t, title=t["title"]["_"], status=t["unknown"], token=p.token)

    def day(d: date) -> str:
        return format_date(d, "EEEE d MMMM", locale=BABEL[lang])

    name = v.technician_first_name or t["someone"]
    km = format_decimal(v.technician_km or 0, locale=BABEL[lang])
    offer = p.offer if p.offer is not None and p.offer.status == "held" else None
    slots = [{"slot": s.slot, "held": s.held, "label": f"{day(s.window.start)}, "
              f"{s.window.start:%H:%M} \u2013 {s.window.end:%H:%M}"}
             for s in (offer.slots if offer else [])]  # fmt: skip
    return TEMPLATE.render(
        t=t, token=p.token, title=t["title"].get(v.kind, t["title"]["_"]),
        status=t["status"].get(v.status, v.status), message=said(v, t),
        window=f"{v.window.start:%H:%M} \u2013 {v.window.end:%H:%M}" if v.window else "",
        day=day(v.window.start) if v.window else "",
        near=str(t["near"]).format(name=name, km=km) if v.technician_near is not None else "",
        map_alt=str(t["mapAlt"]).format(name=name),
        note=t[p.note] if p.note in NOTES else "",
        offer=slots, hold=str(t["hold"]).format(time=f"{offer.hold_until:%H:%M}") if offer else "",
        confirm=v.status == "completed",
        change=v.status in MOVABLE and v.situation != "choose",
        first_day=p.today + timedelta(days=1), last_day=p.today + timedelta(days=FURTHEST),
        told=[(f"{m.sent_at:%H:%M}", m.subject) for m in v.messages],
        email=("off" if "email" in v.opted_out else "on") if "email" in v.channels else "",
    )  # fmt: skip
