"""The KPIs of one simulated day (issue 18), computed from its ``DayRecord`` alone so a
tiny hand-made day can prove every definition (``tests/unit/test_sim_metrics.py``).
The definitions in words, for dispatchers: docs/simulator.md, "Metrics".

Everything returned is plain JSON: a rate whose denominator is empty is None, never
NaN, so a report written with ``json.dumps(..., allow_nan=False)`` never breaks and a
reader never mistakes "nothing to judge" for 0 %.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any, TypeGuard

from simulator import metrics_horizon as horizon
from simulator import metrics_promises as promises
from simulator.record import DayRecord

TARGETS: dict[str, str] = {
    "on_time_rate": ">= 0.95",
    "late_announced_rate": "= 1.0",
    "announce_lead_min_median": ">= 30",
    "false_alarm_rate": "<= 0.05",
    "interval_coverage_by_horizon": "within 0.05 of the stated level, at every horizon",
    "disruption_to_message_s_max": "<= 120",
}
COVERAGE_SLACK = 0.05


def _rate(n: int, of: int) -> float | None:
    return round(n / of, 4) if of else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _ratio(n: int, of: int) -> dict[str, int]:
    return {"n": n, "of": of}


def _first_visits(day: DayRecord) -> tuple[int, int]:
    """(fixed, first visits): a repeat visit is the cost of an earlier failure, so it
    is left out rather than counted as a second chance to fix first time."""
    first = [o for o in day.outcomes.values() if not o.repeat]
    return sum(o.fixed for o in first), len(first)


def _rebooks(day: DayRecord) -> tuple[int, int]:
    offered = sum(len(d.offered) for d in day.disruptions)
    unplaced = sum(len(d.unplaced) for d in day.disruptions)
    return offered, offered + unplaced


def _nps(scores: list[int]) -> float | None:
    if not scores:
        return None
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    return round(100 * (promoters - detractors) / len(scores), 1)


def _speed_index(day: DayRecord) -> list[float]:
    return [
        (a.at - day.created[t]).total_seconds() / 60
        for t, a in day.arrivals.items()
        if t in day.created
    ]


def _fleet(day: DayRecord) -> dict[str, Any]:
    drive = sum(s.drive_s for s in day.shifts)
    work = sum(s.work_s for s in day.shifts)
    overtime_s = sum(
        max(0.0, (s.done - s.end).total_seconds()) for s in day.shifts if s.done is not None
    )
    return {
        "travel_km": round(sum(s.km for s in day.shifts), 1),
        "travel_share": round(drive / (drive + work), 4) if drive + work else None,
        "overtime_min": round(overtime_s / 60, 1),
    }


def _horizon_metrics(day: DayRecord) -> dict[str, dict[str, float | None]]:
    samples = horizon.by_horizon(day)
    return {
        "eta_mae_min_by_horizon": {h: horizon.mae_min(s) for h, s in samples.items()},
        "window_width_min_by_horizon": {h: horizon.width_min(s) for h, s in samples.items()},
        "interval_coverage_by_horizon": {h: horizon.coverage(s) for h, s in samples.items()},
    }


def metrics(day: DayRecord) -> dict[str, Any]:
    """Every KPI of the day, keyed by the names the report, the verdicts and
    ``compare`` share."""
    leads = promises.late_announcements(day)
    told_leads = [lead for lead in leads if lead is not None]
    delays = [d for d in promises.disruption_delays(day) if d is not None]
    return {
        "on_time_rate": _rate(*promises.on_time(day)),
        "first_promise_kept_rate": _rate(*promises.first_promise_kept(day)),
        "late_announced_rate": _rate(len(told_leads), len(leads)),
        "announce_lead_min_median": _median(told_leads),
        "false_alarm_rate": _rate(*promises.false_alarms(day)),
        **_horizon_metrics(day),
        "disruption_to_message_s_max": round(max(delays), 1) if delays else None,
        "rebook_offered_rate": _rate(*_rebooks(day)),
        "messages_per_customer_max": promises.messages_per_customer_max(day),
        "where_is_my_technician_contacts": len(day.contacts),
        **_fleet(day),
        "unassigned_tickets": len(day.unassigned),
        "first_time_fix_rate": _rate(*_first_visits(day)),
        "customer_speed_index_min_median": _median(_speed_index(day)),
        "nps": _nps(day.nps),
    }


def counts(day: DayRecord) -> dict[str, Any]:
    """The numerators and denominators behind the rates, so the report can show "41 of
    43" and a reader can tell a rate over 3 customers from one over 300. Each ratio is
    {"n": ..., "of": ...}; ``untold_affected`` are the affected customers (counted per
    disruption) who got no message at all, which the maximum delay cannot show."""
    leads = promises.late_announcements(day)
    delays = promises.disruption_delays(day)
    told = sum(d is not None for d in delays)
    return {
        "on_time_rate": _ratio(*promises.on_time(day)),
        "first_promise_kept_rate": _ratio(*promises.first_promise_kept(day)),
        "late_announced_rate": _ratio(sum(lead is not None for lead in leads), len(leads)),
        "false_alarm_rate": _ratio(*promises.false_alarms(day)),
        "interval_coverage_by_horizon": {
            h: _ratio(sum(s.covered for s in samples), len(samples))
            for h, samples in horizon.by_horizon(day).items()
        },
        "disruption_to_message_s_max": _ratio(told, len(delays)),
        "untold_affected": len(delays) - told,
        "rebook_offered_rate": _ratio(*_rebooks(day)),
        "first_time_fix_rate": _ratio(*_first_visits(day)),
        "nps": {
            "promoters": sum(s >= 9 for s in day.nps),
            "detractors": sum(s <= 6 for s in day.nps),
            "scores": len(day.nps),
        },
    }


def _judge(value: Any, ok: Callable[[float], bool]) -> bool | None:
    return None if value is None else ok(value)


def _coverage_ok(by_h: dict[str, float | None], level: float) -> bool | None:
    """Judged on the horizons that had samples: a short day may have no 120-minute
    predictions, and that says nothing about the others. Rounded before comparing so
    0.75 against 0.80 passes, as it reads."""
    seen = [c for c in by_h.values() if c is not None]
    if not seen:
        return None
    return all(round(abs(c - level), 4) <= COVERAGE_SLACK for c in seen)


def verdicts(m: dict[str, Any], level: float = DayRecord.level) -> dict[str, bool | None]:
    """Pass or fail for each target that holds in every scenario (``TARGETS``); None
    where the day gave nothing to judge. ``level`` is the day's stated coverage
    (``DayRecord.level``), not in the metrics since it is an input, not a result."""
    return {
        "on_time_rate": _judge(m["on_time_rate"], lambda v: v >= 0.95),
        "late_announced_rate": _judge(m["late_announced_rate"], lambda v: v == 1.0),
        "announce_lead_min_median": _judge(m["announce_lead_min_median"], lambda v: v >= 30),
        "false_alarm_rate": _judge(m["false_alarm_rate"], lambda v: v <= 0.05),
        "interval_coverage_by_horizon": _coverage_ok(m["interval_coverage_by_horizon"], level),
        "disruption_to_message_s_max": _judge(m["disruption_to_message_s_max"], lambda v: v <= 120),
    }


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _difference(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        return compare(a, b)
    if _number(a) and _number(b):
        return b - a if isinstance(a, int) and isinstance(b, int) else round(b - a, 4)
    return None


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """b - a for every metric of either day (the what-if against the baseline), into the
    by-horizon dicts; None where either side has no number. Rounded to 4 decimals so
    float noise (0.30000000000000004) does not reach the report."""
    return {key: _difference(a.get(key), b.get(key)) for key in {**a, **b}}


def told_before_window(day: DayRecord) -> dict[str, int]:
    """Slowdowns (snow): of the customers the system chose to tell, how many heard
    before their window started ("n" of "of"); the window is the one the news gave,
    else the one they held."""
    n = of = 0
    for d in day.disruptions:
        for ticket in d.affected if d.kind == "slowdown" else ():
            told = day.told_to(ticket)
            news = next((t for t in told if t.at >= d.at), None)
            held = [t.window for t in told if t.at < d.at and t.window is not None]
            window = (news.window if news and news.window else None) or (
                held[-1] if held else None)  # fmt: skip
            of += 1
            n += news is not None and window is not None and news.at < window.start
    return {"n": n, "of": of}
