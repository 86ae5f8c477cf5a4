"""The report's pictures: matplotlib draws each into an SVG string that the page inlines,
because the page must open offline (a CI artifact, a mail attachment) and fetch nothing.
Each drawing returns None when the day holds nothing for it, so the page can say so
instead of showing empty axes. Times on the axes are the scenario's wall clock."""

from __future__ import annotations

import io
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from statistics import fmean
from typing import Any
from zoneinfo import ZoneInfo

import matplotlib
import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

from simulator.record import DayRecord, Window

matplotlib.use("Agg")  # never a display, even if someone imports pyplot later

HORIZONS = ("120", "60", "30", "10")  # minutes before arrival, as the metrics key them
MAX_POINTS = 2000  # markers per plot: enough to see the spread, small enough to mail
RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",  # text stays text: smaller, searchable, no glyph paths
    "svg.hashsalt": "field-dispatch-report",  # same ids every run: the page is diffable
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
KEPT, MISSED, UNKNOWN = "#16a34a", "#dc2626", "#2563eb"
DISRUPTED = "#7c3aed"
SHIFT = "#e5e7eb"
DATES: Any = mdates  # matplotlib.dates ships no annotations: say so once, not per call

# a horizon's value per scenario: (name, kpis, stated level of the intervals)
Series = tuple[str, Mapping[str, object], float]


def _svg(fig: Figure, name: str) -> str:
    """Inlinable SVG: the prolog and DOCTYPE go (they name w3.org), the metadata goes
    (creator URL, date), and every id gets the plot's name in front, so two plots on one
    page never share an id (matplotlib numbers its groups the same in every figure)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    for old in (' id="', "url(#", 'href="#'):
        text = text.replace(old, f"{old}{name}-")
    return text


def _d(at: datetime) -> float:
    return float(DATES.date2num(at))


def _time_axis(ax: Axes, zone: str) -> None:
    """HH:MM in the scenario's zone: people read a day by its wall clock, not UTC."""
    tz = ZoneInfo(zone)
    ax.xaxis.set_major_locator(DATES.AutoDateLocator(tz=tz, minticks=4, maxticks=12))
    ax.xaxis.set_major_formatter(DATES.DateFormatter("%H:%M", tz=tz))


def _thin(n: int, most: int = MAX_POINTS) -> list[int]:
    """Indices of at most ``most`` of ``n`` points, evenly spread: a busy day keeps its
    shape, the SVG stays small, and the same day always keeps the same points."""
    if n <= most:
        return list(range(n))
    return [i * n // most for i in range(most)]


def _mark_disruptions(ax: Axes, day: DayRecord, row: Mapping[int, int] | None) -> None:
    """A technician's disruption on their own row; a global one (or any, when there are
    no rows) as a dashed line across the whole plot, labelled at the top."""
    for d in day.disruptions:
        x = _d(d.at)
        if row is not None and d.technician_id is not None:
            y = row[d.technician_id]
            ax.vlines(x, y - 0.45, y + 0.45, color=DISRUPTED, linewidth=2)
            ax.text(x, y + 0.4, f" {d.kind}", color=DISRUPTED, fontsize=7, va="bottom")
            continue
        ax.axvline(x, color=DISRUPTED, linestyle="--", linewidth=1)
        who = "" if d.technician_id is None else f" (#{d.technician_id})"
        ax.text(x, 1.0, f" {d.kind}{who}", color=DISRUPTED, fontsize=7, va="bottom",
                transform=ax.get_xaxis_transform())  # fmt: skip


def _by_horizon(kpis: Mapping[str, object], key: str) -> list[float]:
    raw = kpis.get(key)
    known = {str(k): v for k, v in raw.items()} if isinstance(raw, Mapping) else {}
    values = (known.get(h) for h in HORIZONS)
    return [float(v) if isinstance(v, int | float) else math.nan for v in values]


def eta(series: Sequence[Series], name: str = "eta") -> str | None:
    """Error and coverage side by side, because a small error with intervals that miss
    (or wide intervals that always hit) are both failures the other panel would hide."""
    mae = [(label, _by_horizon(k, "eta_mae_min_by_horizon")) for label, k, _ in series]
    cover = [(label, [v * 100 for v in _by_horizon(k, "interval_coverage_by_horizon")])
             for label, k, _ in series]  # fmt: skip
    if all(math.isnan(v) for _, values in mae + cover for v in values):
        return None
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(9, 3.2), layout="constrained")
        left, right = fig.subplots(1, 2)
        x = list(range(len(HORIZONS)))
        for label, values in mae:
            left.plot(x, values, marker="o", label=label)
        for label, values in cover:
            right.plot(x, values, marker="o", label=label)
        for level in sorted({level for *_, level in series}):
            right.axhline(level * 100, color="0.4", linestyle="--", linewidth=1,
                          label=f"stated level {level:.0%}")  # fmt: skip
        for ax, title in ((left, "ETA error, MAE (min)"), (right, "interval coverage (%)")):
            ax.set_xticks(x, [f"{h} min" for h in HORIZONS])
            ax.set_xlabel("time before arrival")
            ax.set_title(title)
        left.set_ylim(bottom=0)
        right.set_ylim(0, 105)
        right.legend(loc="lower right", fontsize=7)
        return _svg(fig, name)


def windows(day: DayRecord, name: str = "windows") -> str | None:
    """Each promised window's width at the moment it was predicted, with the hourly mean:
    shows whether the windows widen as the day's delays pile up."""
    preds = day.predictions
    if not preds:
        return None
    tz = ZoneInfo(day.zone)
    hourly: dict[datetime, list[float]] = defaultdict(list)
    for p in preds:
        hour = p.at.astimezone(tz).replace(minute=0, second=0, microsecond=0)
        hourly[hour].append(p.window.minutes)
    hours = sorted(hourly)
    keep = _thin(len(preds))
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(9, 3), layout="constrained")
        ax = fig.subplots()
        ax.plot([_d(preds[i].at) for i in keep], [preds[i].window.minutes for i in keep],
                linestyle="none", marker="o", markersize=4, alpha=0.35, color=UNKNOWN,
                markeredgewidth=0, label="one prediction")  # fmt: skip
        ax.plot([_d(h + timedelta(minutes=30)) for h in hours], [fmean(hourly[h]) for h in hours],
                marker="o", color="#111827", label="hourly mean")  # fmt: skip
        ax.set_ylabel("window width (min)")
        ax.set_ylim(bottom=0)
        _time_axis(ax, day.zone)
        ax.legend(loc="upper left", fontsize=7)
        return _svg(fig, name)


def _visit_kinds(day: DayRecord) -> list[str]:
    """Per worked visit: kept or missed against the FIRST window told to its ticket (the
    promise the customer planned around), unknown with no window told or no arrival."""
    first: dict[int, Window] = {}
    for told in day.told:
        if told.window is not None:
            first.setdefault(told.ticket_id, told.window)
    kinds: list[str] = []
    for ticket, *_ in day.worked:
        window, arrival = first.get(ticket), day.arrivals.get(ticket)
        if window is None or arrival is None:
            kinds.append("unknown")
        else:
            kinds.append("kept" if window.holds(arrival.at) else "missed")
    return kinds


VISITS = {
    "kept": (KEPT, "arrived in the first window told"),
    "missed": (MISSED, "arrived outside the first window told"),
    "unknown": (UNKNOWN, "no window told, or no arrival"),
}


def _gantt_rows(ax: Axes, day: DayRecord, row: Mapping[int, int]) -> None:
    if day.shifts:
        ys, starts = [row[s.technician_id] for s in day.shifts], [_d(s.start) for s in day.shifts]
        ax.barh(ys, [_d(s.end) - x for s, x in zip(day.shifts, starts, strict=True)],
                left=starts, height=0.8, color=SHIFT, label="planned shift")  # fmt: skip
        ax.plot([_d(s.end) for s in day.shifts], ys, linestyle="none", marker="|",
                markersize=16, markeredgewidth=2, color="#111827", label="shift end")  # fmt: skip
    kinds = _visit_kinds(day)
    for kind, (color, label) in VISITS.items():
        visits = [w for w, k in zip(day.worked, kinds, strict=True) if k == kind]
        if visits:
            ax.barh([row[w[1]] for w in visits], [_d(w[3]) - _d(w[2]) for w in visits],
                    left=[_d(w[2]) for w in visits], height=0.5, color=color,
                    label=label)  # fmt: skip


def gantt(day: DayRecord, name: str = "gantt") -> str | None:
    """Who did what when, against their shift: a red bar is a broken first promise, and
    the disruption just before it on the same row is usually why."""
    techs = sorted(
        {s.technician_id for s in day.shifts}
        | {w[1] for w in day.worked}
        | {d.technician_id for d in day.disruptions if d.technician_id is not None}
    )
    if not techs:
        return None
    row = {t: i for i, t in enumerate(techs)}
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(9, min(1.6 + 0.45 * len(techs), 24)), layout="constrained")
        ax = fig.subplots()
        _gantt_rows(ax, day, row)
        _mark_disruptions(ax, day, row)
        ax.set_yticks(list(range(len(techs))), [f"technician {t}" for t in techs])
        ax.set_ylim(len(techs) - 0.5, -0.7)  # first technician on top
        _time_axis(ax, day.zone)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3, fontsize=7,
                  frameon=False)  # fmt: skip
        return _svg(fig, name)


def messages(day: DayRecord, name: str = "messages") -> str | None:
    """Every message sent, one row per kind: a cluster of running-late notes right after
    a disruption line is the system doing its job; a disruption with none after is not."""
    if not day.told and not day.disruptions:
        return None
    by_kind: dict[str, list[datetime]] = defaultdict(list)
    for told in day.told:
        by_kind[told.kind].append(told.at)
    kinds = list(by_kind)  # in order of first use: the day's story, top to bottom
    most = MAX_POINTS // max(1, len(kinds))  # thinned per kind: rare kinds never vanish
    colors = matplotlib.colormaps["tab10"]
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(9, 1.6 + 0.35 * len(kinds)), layout="constrained")
        ax = fig.subplots()
        for i, kind in enumerate(kinds):
            times = by_kind[kind]
            xs = [_d(times[j]) for j in _thin(len(times), most)]
            ax.plot(xs, [i] * len(xs), linestyle="none", marker="o", markersize=4, alpha=0.6,
                    color=colors(i % 10))  # fmt: skip
        _mark_disruptions(ax, day, None)
        ax.set_yticks(list(range(len(kinds))), [k.replace("_", " ") for k in kinds])
        if kinds:
            ax.set_ylim(len(kinds) - 0.5, -0.5)
        else:
            ax.set_xlim(_d(day.start), _d(day.end))
        _time_axis(ax, day.zone)
        return _svg(fig, name)
