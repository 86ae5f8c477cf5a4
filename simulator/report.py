"""A simulated day as ONE HTML file: the key figures against their targets, then the
pictures (``simulator.plots``) inlined as SVG. It fetches nothing, so it opens from a CI
artifact or a mail attachment, offline, years later; and the same day gives the same
bytes, so two reports can be diffed. The figures come in as plain dicts (from
``simulator.metrics``), which keeps this testable on a hand-made day."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment

from simulator import plots
from simulator.record import DayRecord

DASH = "\u2013"  # en dash: a time range, or no value / target / verdict in a cell
MINUS = "\u2212"  # B minus A, in the compare table's heading
Kpis = Mapping[str, object]
Verdicts = Mapping[str, bool | None]

LABELS = {
    "on_time_rate": "Arrived on time",
    "first_promise_kept_rate": "First promise kept",
    "late_announced_rate": "Lateness announced beforehand",
    "announce_lead_min_median": "Notice before a late arrival (median)",
    "false_alarm_rate": "False alarms",
    "eta_mae_min_by_horizon": "ETA error, MAE",
    "window_width_min_by_horizon": "Window width",
    "interval_coverage_by_horizon": "Interval coverage",
    "disruption_to_message_s_max": "Disruption to message (max)",
    "rebook_offered_rate": "New appointment offered",
    "messages_per_customer_max": "Messages per customer (max)",
    "where_is_my_technician_contacts": "“Where is my technician?” contacts",
    "travel_km": "Distance driven",
    "travel_share": "Share of the day driving",
    "overtime_min": "Overtime",
    "unassigned_tickets": "Tickets left unassigned",
    "first_time_fix_rate": "Fixed at the first visit",
    "customer_speed_index_min_median": "Customer speed index (median)",
    "nps": "NPS",
}
# plot id -> (heading, how to read it, what is missing when there is nothing to draw)
FIGURES = {
    "eta": ("ETA error and coverage by horizon",
            "Left: mean absolute ETA error in minutes at each time before arrival (lower is "
            "better); right: share of arrivals inside the stated interval, which should sit "
            "on the dashed stated level.",
            "no ETA error or coverage was measured"),
    "windows": ("Window width through the day",
                "Each light dot is the width of the window promised at one prediction, at the "
                "time it was made; the line is the hourly mean.",
                "no predictions were made"),
    "gantt": ("The day per technician",
              "One row per technician: grey is the planned shift ending at the black tick, bars "
              "are visits (red: arrived outside the first window told), purple marks are "
              "disruptions.",
              "no technician worked or had a shift"),
    "messages": ("Messages sent",
                 "Each dot is one message at the time it was sent, one row per kind; dashed "
                 "purple lines are disruptions.",
                 "no message was sent and nothing was disrupted"),
}  # fmt: skip
CSS = """body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;
max-width:1000px;margin:2rem auto;padding:0 1rem}h1{font-size:1.4rem;margin-bottom:.2rem}
.lead{color:#4b5563;margin:.1rem 0}h2{font-size:1.1rem;border-bottom:1px solid #e5e7eb;
padding-bottom:.2rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{padding:.3rem .5rem;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.met{color:#15803d;font-weight:700}.missed{color:#b91c1c;font-weight:700}.na{color:#9ca3af}
figure{margin:0}figure svg{max-width:100%;height:auto}figcaption{color:#4b5563;font-size:.9rem}
.empty{color:#6b7280;font-style:italic;padding:1rem;border:1px dashed #d1d5db}"""
PAGE = Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title><style>{{ css | safe }}</style></head><body>
<header><h1>{{ title }}</h1>{% for line in lead %}<p class="lead">{{ line }}</p>{% endfor %}
</header>
{% for s in sections %}<section id="{{ s.id }}"><h2>{{ s.heading }}</h2>
{% if s.head %}<table><thead><tr>{% for h in s.head %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for r in s.rows %}<tr data-metric="{{ r.key }}">{% for c in r.cells %}\
<td{% if c.cls %} class="{{ c.cls }}"{% endif %}>{{ c.text }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>{% endif %}
{% if s.figure %}<figure id="plot-{{ s.figure }}">
{% if s.svg %}{{ s.svg | safe }}{% else %}<p class="empty">Nothing to draw: {{ s.empty }}.</p>\
{% endif %}
<figcaption>{{ s.caption }}</figcaption></figure>{% endif %}
</section>
{% endfor %}</body></html>
""")


@dataclass(frozen=True)
class Cell:
    text: str
    cls: str = ""


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    head: tuple[str, ...] = ()  # a table when set
    rows: tuple[Row, ...] = ()
    figure: str = ""  # a figure when set: its id without "plot-"
    svg: str | None = None
    caption: str = ""
    empty: str = ""


MARKS: dict[bool | None, Cell] = {True: Cell("✓", "met"), False: Cell("✗", "missed"),
                                  None: Cell(DASH, "na")}  # fmt: skip


def _unit(key: str) -> str:
    """The unit from the metric's name, so a metric added later still reads right."""
    if "coverage" in key or key.endswith(("_rate", "_share")):
        return "%"
    if "_min" in key:
        return "min"
    if key.endswith("_s") or "_s_" in key:
        return "s"
    return "km" if key.endswith("_km") else ""


def _number(value: object, unit: str, signed: bool) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
        return DASH
    sign = "+" if signed else ""
    if unit == "%":
        return f"{value * 100:{sign}.1f}"
    if unit == "s" or (unit == "" and float(value).is_integer()):
        return f"{value:{sign}.0f}"
    return f"{value:{sign}.1f}"


def value_text(key: str, value: object, signed: bool = False) -> str:
    """A metric's value for people: rates as %, differences of rates in points (pp),
    by-horizon dicts as "120 / 60 / 30 / 10" with the unit once; a dash when unknown."""
    unit = _unit(key)
    suffix = {"%": " pp" if signed else " %", "": ""}.get(unit, f" {unit}")
    if isinstance(value, Mapping):
        known = {str(k): v for k, v in value.items()}
        parts = [_number(known.get(h), unit, signed) for h in plots.HORIZONS]
        return DASH if all(p == DASH for p in parts) else " / ".join(parts) + suffix
    text = _number(value, unit, signed)
    return text if text == DASH else text + suffix


def _label(key: str) -> str:
    label = LABELS.get(key, key.replace("_", " ").capitalize())
    return f"{label} ({' / '.join(plots.HORIZONS)} min ahead)" if "by_horizon" in key else label


def _kpi_section(kpis: Kpis, targets: Mapping[str, str], verdicts: Verdicts) -> Section:
    rows = tuple(Row(key, (Cell(_label(key)), Cell(value_text(key, value), "num"),
                           Cell(targets.get(key, DASH)), MARKS[verdicts.get(key)]))
                 for key, value in kpis.items())  # fmt: skip
    return Section("kpis", "Key figures", ("Metric", "Value", "Target", "Met"), rows)


def _plot(figure: str, svg: str | None, section: str = "", suffix: str = "") -> Section:
    heading, caption, empty = FIGURES[figure]
    name = section or figure
    return Section(name, heading + suffix, figure=name, svg=svg, caption=caption, empty=empty)


def _title(day: DayRecord) -> str:
    date = day.start.astimezone(ZoneInfo(day.zone)).date().isoformat()
    return f"{day.scenario} · seed {day.seed} · {date} ({day.zone})"


def _lead(day: DayRecord) -> str:
    tz = ZoneInfo(day.zone)
    start, end = day.start.astimezone(tz), day.end.astimezone(tz)
    return (f"{day.scenario}: {start:%H:%M}{DASH}{end:%H:%M}, {len(day.worked)} visits by "
            f"{len({s.technician_id for s in day.shifts})} technicians, {len(day.told)} "
            f"messages, {len(day.disruptions)} disruptions; intervals stated at "
            f"{day.level:.0%}.")  # fmt: skip


def _page(title: str, lead: Sequence[str], sections: Sequence[Section]) -> str:
    return PAGE.render(title=title, lead=lead, css=CSS, sections=sections)


def render(day: DayRecord, kpis: Kpis, targets: Mapping[str, str], verdicts: Verdicts) -> str:
    """The day's page: the figures first (is it good?), then the pictures (why?)."""
    return _page(_title(day), [_lead(day)], [
        _kpi_section(kpis, targets, verdicts),
        _plot("eta", plots.eta([(day.scenario, kpis, day.level)])),
        _plot("windows", plots.windows(day)),
        _plot("gantt", plots.gantt(day)),
        _plot("messages", plots.messages(day)),
    ])  # fmt: skip


def _compare_section(a: Kpis, b: Kpis, diff: Mapping[str, object], names: tuple[str, str],
                     targets: Mapping[str, str], verdicts: tuple[Verdicts, Verdicts],
                     ) -> Section:  # fmt: skip
    rows = tuple(Row(key, (
        Cell(_label(key)), Cell(targets.get(key, DASH)),
        Cell(value_text(key, a.get(key)), "num"), MARKS[verdicts[0].get(key)],
        Cell(value_text(key, b.get(key)), "num"), MARKS[verdicts[1].get(key)],
        Cell(value_text(key, diff.get(key), signed=True), "num"),
    )) for key in dict.fromkeys([*a, *b]))  # fmt: skip
    head = ("Metric", "Target", names[0], "", names[1], "", f"{names[1]} {MINUS} {names[0]}")
    return Section("kpis", "Key figures", head, rows)


def render_compare(a_day: DayRecord, a_kpis: Kpis, b_day: DayRecord, b_kpis: Kpis,
                   diff: Mapping[str, object], names: tuple[str, str],
                   targets: Mapping[str, str], verdicts_a: Verdicts,
                   verdicts_b: Verdicts) -> str:  # fmt: skip
    """A what-if on one page: the same figures for A and B with B minus A, both scenarios'
    ETA curves on the same axes, and each day's Gantt to see where they parted."""
    eta = plots.eta([(names[0], a_kpis, a_day.level), (names[1], b_kpis, b_day.level)])
    return _page(f"What-if: {names[0]} vs {names[1]}", [_lead(a_day), _lead(b_day)], [
        _compare_section(a_kpis, b_kpis, diff, names, targets, (verdicts_a, verdicts_b)),
        _plot("eta", eta),
        _plot("gantt", plots.gantt(a_day, "gantt-a"), "gantt-a", f": {names[0]}"),
        _plot("gantt", plots.gantt(b_day, "gantt-b"), "gantt-b", f": {names[1]}"),
    ])  # fmt: skip


def write(path: str | Path, html: str) -> Path:
    """Write the page (making its folder): UTF-8 always, the marks and dashes need it."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out
