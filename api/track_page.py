"""The tracking page's first content, rendered on the server inside ``<noscript>``: a
customer whose browser runs no JavaScript (or a text browser, or a preview) still reads
the truth: the status, the window, why it changed, and what we told them. The script
takes over where it runs (``api/web/track.js``, which words the same states)."""

from __future__ import annotations

from jinja2 import Environment

from api.message_schemas import TrackingOut

REASONS = {
    "nl": {"traffic": "er is veel verkeer", "previous_job_longer": "het vorige bezoek duurt langer",
           "urgent_case": "er kwam een dringend geval tussen", "weather": "het weer",
           "breakdown": "pech onderweg"},
    "en": {"traffic": "heavy traffic", "previous_job_longer": "the previous visit is taking longer",
           "urgent_case": "an urgent case came first", "weather": "the weather",
           "breakdown": "a breakdown on the way"},
}  # fmt: skip
STATUS = {
    "nl": {"scheduled": "Ingepland", "assigned": "Ingepland", "en_route": "Onderweg",
           "arrived": "Ter plaatse", "started": "Bezig", "completed": "Afgerond",
           "failed": "Niet gelukt", "unassigned": "We zoeken een technieker",
           "done": "Afgesloten", "cancelled": "Geannuleerd", "open": "Ontvangen"},
    "en": {"scheduled": "Scheduled", "assigned": "Scheduled", "en_route": "On the way",
           "arrived": "Arrived", "started": "In progress", "completed": "Done",
           "failed": "Not completed", "unassigned": "Finding a technician",
           "done": "Closed", "cancelled": "Cancelled", "open": "Received"},
}  # fmt: skip
TEXT = {
    "nl": {"between": "Verwacht tussen", "told": "Wat we u lieten weten",
           "unknown": "Deze link is niet (meer) geldig.",
           "reload": "Herlaad deze pagina voor het laatste nieuws.",
           "coming": "{name} komt langs binnen dit tijdvak.",
           "disrupted": "{name} is opgehouden: {reason}. We passen uw afspraak aan.",
           "choose": "Uw afspraak kan niet doorgaan zoals gepland: {reason}. "
                     "Bel ons of open deze pagina met JavaScript om een nieuw moment te kiezen.",
           "delayed": "{name} komt later dan eerst gezegd: {reason}.",
           "completed": "Het bezoek is afgerond. Bedankt!",
           "failed": "Het is niet gelukt. We nemen contact met u op."},
    "en": {"between": "Expected between", "told": "What we told you",
           "unknown": "This link is not (or no longer) valid.",
           "reload": "Reload this page for the latest news.",
           "coming": "{name} will come by within this window.",
           "disrupted": "{name} has been held up: {reason}. We are changing your appointment.",
           "choose": "Your appointment cannot go ahead as planned: {reason}. Call us, or "
                     "open this page with JavaScript to choose a new time.",
           "delayed": "{name} will be later than we said: {reason}.",
           "completed": "The visit is done. Thank you!",
           "failed": "It did not work out. We will contact you."},
}  # fmt: skip
FRAGMENT = Environment(autoescape=True).from_string("""<noscript><div class="card">
<p class="status">{{ status }}</p>
{% if window %}<p>{{ t.between }} <strong>{{ window }}</strong> ({{ day }})</p>{% endif %}
<p class="who">{{ message }}</p>
{% if told %}<h2>{{ t.told }}</h2><ul>{% for when, subject in told %}
<li>{{ when }} {{ subject }}</li>{% endfor %}</ul>{% endif %}
<p class="muted">{{ t.reload }}</p></div></noscript>""")


def _message(v: TrackingOut, t: dict[str, str], lang: str) -> str:
    name = v.technician_first_name or ("Uw technieker" if lang == "nl" else "Your technician")
    reason = REASONS[lang].get(v.reason or "", v.reason or "")
    if v.situation in ("disrupted", "choose", "delayed"):
        return t[str(v.situation)].format(name=name, reason=reason)
    if v.status in ("completed", "failed"):
        return t[v.status]
    if v.status in ("scheduled", "assigned", "en_route") and v.technician_first_name:
        return t["coming"].format(name=name)
    return ""


def noscript(view: TrackingOut | None) -> str:
    """The fragment for this visit, or for a link that is unknown or expired."""
    lang = view.locale if view is not None and view.locale in TEXT else "nl"
    t = TEXT[lang]
    if view is None:
        return FRAGMENT.render(t=t, status=t["unknown"], message="", told=[])
    status = STATUS[lang].get(view.status, view.status)
    window = day = ""
    if view.window is not None:
        window = f"{view.window.start:%H:%M} \u2013 {view.window.end:%H:%M}"
        day = f"{view.window.start:%Y-%m-%d}"
    told = [(f"{m.sent_at:%H:%M}", m.subject) for m in view.messages]
    return FRAGMENT.render(t=t, status=status, window=window, day=day,
                           message=_message(view, t, lang), told=told)  # fmt: skip
