"""Customer messages: every kind renders in every locale and channel, in the customer's
zone and language, short enough for one SMS, escaped in HTML, and no kind or locale
can ship without its templates. Pure: templates from disk, no network, no database.
"""

import ast
import json
import re
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from jinja2 import UndefinedError

from dispatch.domain.model import TimeWindow
from dispatch.notify import render as render_module
from dispatch.notify.render import (
    SUPPORTED_LOCALES,
    TEMPLATES,
    Channel,
    MessageContext,
    MessageContextError,
    MessageKind,
    MissingTemplateError,
    Reason,
    build_environment,
    reason_text,
    render,
    template_name,
    webhook_template_name,
)

# Monday 30 November 2026: 14:25Z is 15:25 in Brussels (CET, UTC+1).
START = datetime(2026, 11, 30, 14, 25, tzinfo=UTC)
END = START + timedelta(minutes=70)
BRUSSELS_WINDOW = ("15:25", "16:35")
DAY = {"nl": "maandag 30 november", "en": "Monday 30 November"}
DASH = "\u2013"  # an en dash between the times in e-mail; SMS has a plain hyphen
WINDOW = {
    "nl": f"maandag 30 november, 15:25{DASH}16:35",
    "en": f"Monday 30 November, 15:25{DASH}16:35",
}

DAY_LATER = timedelta(days=1)
NAME = "Marie-Louise Vanderhaegen"  # 25 characters
TRACKING = "https://dispatch.example.be/t/Ab12Cd34Ef"  # 40 characters
CONFIRM = "https://dispatch.example.be/c/Zy98Xw76Vu"  # 40 characters
PREFERENCES = f"{TRACKING}#messages"
STOP = {  # the last line of every e-mail: how to stop e-mails
    "nl": ("Liever geen e-mails meer? Zet ze hier uit: ", "Zet ze hier uit</a>"),
    "en": ("Rather not receive these e-mails? Stop them here: ", "Stop them here</a>"),
}
assert len(NAME) == 25 and len(TRACKING) == 40 and len(CONFIRM) == 40

MOVED = (MessageKind.RUNNING_LATE, MessageKind.WINDOW_CHANGED, MessageKind.REBOOKED,
         MessageKind.FORCE_MAJEURE)
WITH_WINDOW = tuple(
    k for k in MessageKind if k not in (MessageKind.ARRIVING_SOON, MessageKind.COMPLETED)
)
CASES = [
    pytest.param(kind, locale, reason, id=f"{kind.value}-{locale}-{reason or 'no_reason'}")
    for kind in MessageKind
    for locale in SUPPORTED_LOCALES
    for reason in ([*Reason] if kind == MessageKind.FORCE_MAJEURE
                   else [*Reason, None] if kind in MOVED else [None])
]


# a held window, two more offered, the repair's end, the dispatcher's words
FORCE_MAJEURE = {
    "hold_until": START - timedelta(hours=2), "back_at": START,
    "alternatives": (TimeWindow(START + DAY_LATER, END + DAY_LATER),
                     TimeWindow(START + 2 * DAY_LATER, END + 2 * DAY_LATER)),
    "note": "onze bestelwagen viel stil op de E40", "reschedule_url": f"{TRACKING}#reschedule",
}  # fmt: skip


def context(kind: MessageKind, locale: str = "nl", **changes) -> MessageContext:
    """A realistic message: a long name, a long first name, both links, an old window an
    hour earlier (so the new one is later) and the ETA mid-window."""
    base = MessageContext(
        kind=kind,
        locale=locale,
        timezone="Europe/Brussels",
        ticket_id=104217,
        customer_name=NAME,
        technician_first_name="Jean-Baptiste",
        window_start=START,
        window_end=END,
        old_window_start=START - timedelta(hours=1),
        old_window_end=END - timedelta(hours=1),
        eta=START + timedelta(minutes=35),
        reason=Reason.TRAFFIC if kind in MOVED else None,
        road="E40" if kind in MOVED else None,
        tracking_url=TRACKING,
        confirm_url=CONFIRM,
        preferences_url=PREFERENCES,
        **(FORCE_MAJEURE if kind == MessageKind.FORCE_MAJEURE else {}),
    )
    return replace(base, **changes)


# GSM 03.38: what one SMS segment of 160 characters may hold; the extension table
# costs two. Any other character (an en dash, "ë") turns the SMS into UCS-2, 70 a part.
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


def gsm7_length(sms: str) -> int:
    outside = sorted({c for c in sms if c not in GSM7_BASIC | GSM7_EXTENDED})
    assert not outside, f"not GSM-7, the SMS would be UCS-2: {outside} in {sms!r}"
    return sum(2 if c in GSM7_EXTENDED else 1 for c in sms)


def strings(value) -> list[str]:
    """Every string in a decoded JSON value."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    return [value] if isinstance(value, str) else []


def all_channels(r) -> dict[str, str]:
    return {
        "subject": r.subject,
        "text": r.text,
        "html": r.html,
        "sms": r.sms,
        "webhook": "\n".join(strings(r.webhook)),
    }


@pytest.mark.parametrize(("kind", "locale", "reason"), CASES)
def test_every_kind_renders_in_every_locale_and_channel(kind, locale, reason):
    ctx = context(kind, locale, reason=reason)
    r = render(ctx)

    for channel, body in all_channels(r).items():
        assert body.strip(), channel
        for leftover in ("{{", "}}", "{%", "%}", "{#", "None", "Undefined"):
            assert leftover not in body, f"{leftover!r} left in the {channel}: {body}"
    assert "\n" not in r.subject and "\n" not in r.sms
    for channel in ("subject", "text", "sms"):  # no sentence glued to the next one
        assert not re.search(r"[a-z)]\.[A-Z]", all_channels(r)[channel]), channel
    assert r.text.startswith(("Beste " if locale == "nl" else "Dear ") + NAME)
    assert r.html.startswith("<!DOCTYPE html>") and f'<html lang="{locale}">' in r.html
    if kind in WITH_WINDOW:
        for channel in ("subject", "text", "html", "sms"):
            body = all_channels(r)[channel]
            assert all(t in body for t in BRUSSELS_WINDOW), f"window not in the {channel}"
        assert WINDOW[locale] in r.text
    if reason is not None:
        words = reason_text(reason, locale, ctx.road)
        for channel in ("text", "html", "sms"):
            assert words in all_channels(r)[channel], f"reason not in the {channel}"
        assert r.webhook["reason"] == {"code": reason.value, "text": words, "road": "E40"}


@pytest.mark.parametrize("kind", list(MessageKind))
@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_email_ends_with_a_link_to_stop_emails_and_the_sms_does_not(kind, locale):
    r = render(context(kind, locale))
    text_line, link_words = STOP[locale]
    assert r.text.splitlines()[-1] == text_line + PREFERENCES
    last_paragraph = r.html.split("<p")[-1]
    assert f'href="{PREFERENCES}"' in last_paragraph and link_words in last_paragraph
    assert PREFERENCES not in r.sms
    assert "preferences_url" not in r.webhook  # integrators get no customer settings link


@pytest.mark.parametrize(("kind", "locale", "reason"), CASES)
def test_the_sms_fits_one_gsm7_segment_with_realistic_values(kind, locale, reason):
    ctx = context(kind, locale, reason=reason, road="E313")
    overnight = replace(  # the longest window: two days, 23:30-00:40 local
        ctx, window_start=START + timedelta(hours=8, minutes=5), window_end=END + timedelta(hours=8)
    )
    nobody = replace(ctx, technician_first_name=None)
    for variant in (ctx, overnight, nobody):
        sms = render(variant).sms
        assert gsm7_length(sms) <= 160, f"{gsm7_length(sms)} characters: {sms}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_windows_show_in_the_customers_zone(locale):
    r = render(context(MessageKind.BOOKED, locale))
    assert "15:25" in r.sms and "14:25" not in r.sms
    assert r.webhook["window"] == {
        "start": "2026-11-30T15:25:00+01:00",
        "end": "2026-11-30T16:35:00+01:00",
    }
    lisbon = render(context(MessageKind.BOOKED, locale, timezone="Europe/Lisbon"))
    assert "14:25" in lisbon.sms and lisbon.webhook["window"]["start"].endswith("+00:00")
    summer = render(
        context(
            MessageKind.BOOKED,
            locale,
            window_start=START.replace(month=6, day=29),
            window_end=END.replace(month=6, day=29),
        )
    )
    assert f"16:25{DASH}17:35" in summer.subject  # CEST, UTC+2


def test_dutch_and_english_name_the_day_in_their_own_words():
    nl = render(context(MessageKind.BOOKED, "nl"))
    en = render(context(MessageKind.BOOKED, "en"))
    assert nl.subject == f"Uw afspraak: {WINDOW['nl']}"
    assert en.subject == f"Your appointment: {WINDOW['en']}"
    assert DAY["nl"] in nl.text and DAY["nl"] in nl.html and "Monday" not in nl.text
    assert DAY["en"] in en.text and DAY["en"] in en.html and "maandag" not in en.text
    assert "ma 30 nov 15:25-16:35" in nl.sms
    assert "Mon 30 Nov 15:25-16:35" in en.sms


def test_a_window_past_midnight_names_both_days():
    r = render(
        context(
            MessageKind.RUNNING_LATE,
            "en",
            window_start=datetime(2026, 11, 30, 22, 30, tzinfo=UTC),
            window_end=datetime(2026, 11, 30, 23, 40, tzinfo=UTC),
        )
    )
    assert f"Monday 30 November, 23:30 {DASH} Tuesday 1 December, 00:40" in r.text


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_booking_confirmation_carries_the_tracking_link(locale):
    r = render(context(MessageKind.BOOKED, locale))
    assert TRACKING in r.text and TRACKING in r.sms
    assert f'href="{TRACKING}"' in r.html
    assert r.webhook["tracking_url"] == TRACKING
    assert "Jean-Baptiste" in r.text and "Jean-Baptiste" in r.sms


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_completed_visit_asks_for_confirmation_by_link(locale):
    r = render(context(MessageKind.COMPLETED, locale))
    assert CONFIRM in r.text and CONFIRM in r.sms
    assert f'href="{CONFIRM}"' in r.html
    assert r.webhook["confirm_url"] == CONFIRM


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_html_escapes_what_customers_and_roads_say_and_text_keeps_it(locale):
    r = render(
        context(
            MessageKind.RUNNING_LATE,
            locale,
            customer_name="<script>alert(1)</script>",
            road="<b>A12</b>",
        )
    )
    assert "<script>" not in r.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.html
    assert "<b>" not in r.html and "&lt;b&gt;A12&lt;/b&gt;" in r.html
    assert "<script>alert(1)</script>" in r.text  # plain text is not HTML
    assert "<b>A12</b>" in r.sms


def test_the_webhook_payload_is_json_with_times_in_the_customers_zone():
    r = render(context(MessageKind.RUNNING_LATE, "nl", reason=Reason.TRAFFIC, road="A12"))
    payload = json.loads(json.dumps(r.webhook))
    assert payload == {
        "type": "message.running_late",
        "kind": "running_late",
        "ticket_id": 104217,
        "locale": "nl",
        "timezone": "Europe/Brussels",
        "window": {"start": "2026-11-30T15:25:00+01:00", "end": "2026-11-30T16:35:00+01:00"},
        "old_window": {
            "start": "2026-11-30T14:25:00+01:00",
            "end": "2026-11-30T15:35:00+01:00",
        },
        "eta": "2026-11-30T16:00:00+01:00",
        "reason": {"code": "traffic", "text": "file op de A12", "road": "A12"},
        "technician_first_name": "Jean-Baptiste",
        "tracking_url": TRACKING,
        "confirm_url": CONFIRM,
        "note": None,
        "back_at": None,
        "hold_until": None,
        "alternatives": [],
        "reschedule_url": None,
        "subject": r.subject,
    }


def test_a_force_majeure_webhook_carries_the_held_window_the_alternatives_and_the_link():
    r = render(context(MessageKind.FORCE_MAJEURE, "en", reason=Reason.BREAKDOWN))
    p = r.webhook
    assert p["window"]["start"] == "2026-11-30T15:25:00+01:00"  # the held one
    assert p["hold_until"] == "2026-11-30T13:25:00+01:00"
    assert [a["start"] for a in p["alternatives"]] == ["2026-12-01T15:25:00+01:00",
                                                       "2026-12-02T15:25:00+01:00"]  # fmt: skip
    assert p["reschedule_url"] == f"{TRACKING}#reschedule" and p["reason"]["code"] == "breakdown"
    assert "Tuesday 1 December" in r.text and "#reschedule" in r.sms


def test_a_force_majeure_without_a_held_window_tells_the_repair_estimate():
    """A started visit: nothing is offered; the customer hears when the van is back."""
    ctx = context(MessageKind.FORCE_MAJEURE, "nl", reason=Reason.BREAKDOWN, window_start=None,
                  window_end=None, hold_until=None, alternatives=(),
                  reschedule_url=None)  # fmt: skip
    r = render(ctx)
    assert "rond 15:25 weer op de baan" in r.text and "planner" in r.text
    assert "vastgehouden" not in r.sms and "15:25" in r.sms


@pytest.mark.parametrize("kind", [k for k in MessageKind if k != MessageKind.FORCE_MAJEURE])
def test_every_webhook_names_its_kind_and_leaves_absent_values_null(kind):
    ctx = context(
        kind,
        "en",
        old_window_start=None,
        old_window_end=None,
        eta=None,
        reason=None,
        road=None,
        technician_first_name=None,
        tracking_url=TRACKING if kind == MessageKind.BOOKED else "",
    )
    payload = render(ctx).webhook
    assert payload["type"] == f"message.{kind.value}"
    assert payload["old_window"] is None and payload["eta"] is None
    assert payload["reason"] is None and payload["technician_first_name"] is None
    assert set(payload) >= {"window", "tracking_url", "ticket_id", "locale"}


def test_every_kind_has_every_channel_in_every_locale_and_nothing_else():
    """Adding a MessageKind, a locale or a Reason without its templates fails here."""
    locale_dirs = {p.name for p in TEMPLATES.iterdir() if p.is_dir()}
    assert locale_dirs == {*SUPPORTED_LOCALES, "webhook"}
    for locale in SUPPORTED_LOCALES:
        found = {p.name for p in (TEMPLATES / locale).iterdir() if not p.name.startswith("_")}
        expected = {
            template_name(locale, kind, channel).split("/", 1)[1]
            for kind in MessageKind
            for channel in Channel
        }
        assert found == expected, f"{locale}: missing {expected - found}, stray {found - expected}"
        assert (TEMPLATES / locale / "_reasons.j2").is_file()
    webhooks = {
        f"webhook/{p.name}" for p in (TEMPLATES / "webhook").iterdir() if not p.name.startswith("_")
    }
    assert webhooks == {webhook_template_name(kind) for kind in MessageKind}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_reason_has_plain_words_in_every_locale(locale):
    module = render_module.environment().get_template(f"{locale}/_reasons.j2").module
    macros = {name for name in dir(module) if not name.startswith("_")}
    assert macros == {r.value for r in Reason}
    words = {r: reason_text(r, locale) for r in Reason}
    assert all(words.values()) and len(set(words.values())) == len(Reason)
    assert max(map(len, words.values())) <= 30, "reasons go into the SMS: keep them short"
    on_the_a12 = {"nl": "file op de A12", "en": "traffic on the A12"}[locale]
    assert reason_text(Reason.TRAFFIC, locale, "A12") == on_the_a12


def test_a_missing_template_is_a_clear_error(tmp_path, monkeypatch):
    root = tmp_path / "templates"
    shutil.copytree(TEMPLATES, root)
    (root / "nl" / "rebooked.sms.j2").unlink()
    (root / "en" / "_layout.txt.j2").unlink()
    monkeypatch.setattr(render_module, "environment", lambda: build_environment(root))

    with pytest.raises(MissingTemplateError, match=r"nl/rebooked\.sms\.j2"):
        render(context(MessageKind.REBOOKED, "nl"))
    with pytest.raises(MissingTemplateError, match=r"en/_layout\.txt\.j2"):
        render(context(MessageKind.REBOOKED, "en"))
    render(context(MessageKind.BOOKED, "nl"))  # the rest still renders


def test_a_missing_variable_fails_instead_of_printing_nothing():
    template = render_module.environment().from_string("Hallo {{ nobody }}")
    with pytest.raises(UndefinedError, match="nobody"):
        template.render()


@pytest.mark.parametrize(
    ("given", "used"),
    [("nl", "nl"), ("nl-BE", "nl"), ("NL_nl", "nl"), ("en_GB", "en"), ("fr", "en"), ("", "en")],
)
def test_unknown_locales_fall_back_to_english(given, used):
    r = render(context(MessageKind.BOOKED, given))
    assert r.webhook["locale"] == used
    assert r.subject.startswith({"nl": "Uw afspraak", "en": "Your appointment"}[used])


@pytest.mark.parametrize(
    ("kind", "changes", "complaint"),
    [
        (MessageKind.BOOKED, {"tracking_url": ""}, "tracking_url"),
        (MessageKind.RUNNING_LATE, {"window_start": None, "window_end": None}, "window_start"),
        (MessageKind.COMPLETED, {"confirm_url": None}, "confirm_url"),
        (MessageKind.ARRIVING_SOON, {"window_end": None}, "together"),
        (MessageKind.RUNNING_LATE, {"old_window_start": None}, "together"),
        (MessageKind.BOOKED, {"window_end": START - timedelta(minutes=1)}, "before"),
        (MessageKind.BOOKED, {"eta": datetime(2026, 11, 30, 15, 0)}, "timezone-aware"),
        (MessageKind.BOOKED, {"timezone": "Europe/Atlantis"}, "time zone"),
        (MessageKind.BOOKED, {"tracking_url": "javascript:alert(1)"}, "http"),
        (MessageKind.ARRIVING_SOON, {"preferences_url": ""}, "preferences_url"),
        (MessageKind.BOOKED, {"preferences_url": "mailto:x@example.org"}, "http"),
    ],
)
def test_a_context_that_cannot_make_its_message_is_refused(kind, changes, complaint):
    with pytest.raises(MessageContextError, match=complaint):
        context(kind, **changes)


def test_kind_and_reason_may_arrive_as_their_string_values():
    ctx = context("running_late", "en", reason="weather")  # e.g. from an outbox payload
    assert ctx.kind is MessageKind.RUNNING_LATE and ctx.reason is Reason.WEATHER
    assert "Reason: bad weather." in render(ctx).sms
    with pytest.raises(ValueError, match="'snow'"):
        context("running_late", "en", reason="snow")


def test_without_a_technician_or_eta_the_messages_still_read():
    r = render(context(MessageKind.ARRIVING_SOON, "nl", technician_first_name=None, eta=None))
    assert r.sms.startswith("Onze technicus is er over ongeveer 10 minuten.")
    booked = render(context(MessageKind.BOOKED, "en", technician_first_name=None))
    assert "One of our technicians will come by" in booked.text


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_an_earlier_window_says_so(locale):
    earlier = context(
        MessageKind.WINDOW_CHANGED,
        locale,
        old_window_start=START + timedelta(hours=1),
        old_window_end=END + timedelta(hours=1),
        reason=Reason.RUNNING_EARLY,
    )
    later = context(MessageKind.WINDOW_CHANGED, locale)
    assert render(earlier).subject != render(later).subject
    assert {"nl": "eerder", "en": "earlier"}[locale] in render(earlier).sms


def test_the_renderer_is_pure():
    """No database, no network, no web framework: only templates, Babel and the domain."""
    allowed = ("__future__", "babel", "jinja2", "dispatch.domain", "dispatch.notify")
    stdlib = ("collections", "dataclasses", "datetime", "enum", "functools", "json", "pathlib")
    stdlib = (*stdlib, "typing")
    for path in sorted((TEMPLATES.parent).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert name.startswith(allowed) or top in (*stdlib, "zoneinfo"), (path, name)
