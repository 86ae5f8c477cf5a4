"""The day simulator's HTML report on a tiny hand-made day: every section and picture is
there, nothing is fetched from the network, the same day gives the same bytes, and an
empty day still renders."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from simulator import plots, report
from simulator.record import Arrival, DayRecord, Disruption, Prediction, Shift, Told, Window

DASH = "\u2013"  # no value
SECTIONS = ("kpis", "eta", "windows", "gantt", "messages")
H = 3600


def at(hour: float) -> datetime:
    """A moment of 2 June 2025 in UTC: 06:00 UTC is 08:00 in Brussels (summer time)."""
    return datetime(2025, 6, 2, tzinfo=UTC) + timedelta(seconds=hour * H)


def window(start: float, end: float) -> Window:
    return Window(at(start), at(end))


def small_day() -> DayRecord:
    """Two technicians, five visits; technician 2's van breaks down at 10:00 UTC, so
    ticket 14 arrives outside its first window (told late) and 15 is moved."""
    visits = [(11, 1, 7.0, 8.0), (12, 1, 8.5, 9.5), (13, 2, 7.0, 8.0), (14, 2, 11.5, 12.5),
              (15, 1, 10.0, 11.0)]  # fmt: skip
    first = {11: window(6.5, 8.5), 12: window(8, 10), 13: window(6.5, 8.5), 14: window(9, 11),
             15: window(9.5, 11.5)}  # fmt: skip
    told = [Told(t, at(5), "booking_confirmation", w) for t, w in first.items()]
    told += [Told(14, at(10.1), "running_late", window(11, 13)),
             Told(15, at(10.1), "window_changed", window(9.5, 11.5)),
             Told(11, at(6.8), "on_the_way", None)]  # fmt: skip
    predictions = [Prediction(t, at(h), at(h + 1.5), timedelta(minutes=15), first[t])
                   for h in (5.0, 6.0, 7.0, 8.0, 9.0) for t in (12, 14, 15)]  # fmt: skip
    return DayRecord(
        scenario="breakdown", seed=7, start=at(5), end=at(16),
        created={t: at(4) for t in first},
        told=sorted(told, key=lambda t: t.at), predictions=predictions,
        arrivals={t: Arrival(t, tech, at(s)) for t, tech, s, _ in visits},
        disruptions=[Disruption("breakdown", at(10), 2, affected=(14,)),
                     Disruption("slowdown", at(12), None)],
        shifts=[Shift(1, at(6), at(14), at(11)), Shift(2, at(6), at(14), at(12.5))],
        worked=[(t, tech, at(s), at(e)) for t, tech, s, e in visits],
    )  # fmt: skip


KPIS: dict[str, object] = {
    "on_time_rate": 0.8,
    "announce_lead_min_median": 25.0,
    "eta_mae_min_by_horizon": {"120": 14.0, "60": 9.5, "30": 5.0, "10": 2.0},
    "interval_coverage_by_horizon": {"120": 0.7, "60": 0.78, "30": 0.81, "10": None},
    "disruption_to_message_s_max": 42.0,
    "unassigned_tickets": 0,
    "nps": None,
}
TARGETS = {"on_time_rate": "≥ 90 %", "disruption_to_message_s_max": "≤ 60 s"}
VERDICTS: dict[str, bool | None] = {"on_time_rate": False, "disruption_to_message_s_max": True,
                                    "nps": None}  # fmt: skip


@pytest.fixture(scope="module")
def page() -> str:
    return report.render(small_day(), KPIS, TARGETS, VERDICTS)


def assert_offline(html: str) -> None:
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    for ref in re.findall(r"""\b(?:src|href)\s*=\s*["']([^"']*)""", html):
        assert ref.startswith(("#", "data:")), ref
    without_namespaces = re.sub(r"""\bxmlns(?::\w+)?=["'][^"']*["']""", "", html)
    assert "http://" not in without_namespaces and "https://" not in without_namespaces


def test_every_section_and_figure_is_there_in_order(page: str) -> None:
    places = [page.index(f'<section id="{s}">') for s in SECTIONS]
    assert places == sorted(places)
    for s in SECTIONS[1:]:
        figure = re.search(rf'<figure id="plot-{s}">(.*?)</figure>', page, re.DOTALL)
        assert figure and "<svg" in figure.group(1) and "<figcaption>" in figure.group(1)
    assert page.count("<h2>") == len(SECTIONS)
    assert "<title>breakdown · seed 7 · 2025-06-02 (Europe/Brussels)</title>" in page


def test_page_is_self_contained_with_unique_ids(page: str) -> None:
    assert_offline(page)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'(?:url\(#|href="#)([^)"]+)', page):
        assert ref in ids  # every clip path and marker still points at its own plot


def test_same_day_gives_the_same_bytes(page: str) -> None:
    assert report.render(small_day(), KPIS, TARGETS, VERDICTS) == page


def test_kpi_table_formats_values_and_marks(page: str) -> None:
    def row(key: str) -> str:
        found = re.search(rf'<tr data-metric="{key}">(.*?)</tr>', page, re.DOTALL)
        assert found, key
        return found.group(1)

    assert "80.0 %" in row("on_time_rate") and 'class="missed">✗' in row("on_time_rate")
    lag = row("disruption_to_message_s_max")
    assert "42 s" in lag and 'class="met">✓' in lag
    assert "14.0 / 9.5 / 5.0 / 2.0 min" in row("eta_mae_min_by_horizon")
    assert f"70.0 / 78.0 / 81.0 / {DASH} %" in row("interval_coverage_by_horizon")
    assert "25.0 min" in row("announce_lead_min_median")
    assert '<td class="num">0</td>' in row("unassigned_tickets")
    assert f'<td class="num">{DASH}</td>' in row("nps") and f'class="na">{DASH}' in row("nps")


def test_gantt_shows_broken_promise_disruptions_and_local_times() -> None:
    svg = plots.gantt(small_day())
    assert svg is not None
    assert plots.MISSED in svg and plots.KEPT in svg  # ticket 14 late, the others kept
    assert "breakdown" in svg and "slowdown" in svg
    assert "08:00" in svg  # 06:00 UTC on the Brussels clock
    assert ">technician 2<" in svg


def test_value_text_signs_differences_in_points() -> None:
    assert report.value_text("on_time_rate", 0.05, signed=True) == "+5.0 pp"
    assert report.value_text("overtime_min", -12.0, signed=True) == "-12.0 min"
    assert report.value_text("travel_km", None, signed=True) == DASH
    assert report.value_text("eta_mae_min_by_horizon", {"120": None}) == DASH


def test_an_empty_day_renders_with_notes() -> None:
    empty = DayRecord(scenario="calm", seed=1, start=at(5), end=at(16))
    html = report.render(empty, {}, {}, {})
    for s in SECTIONS:
        assert f'<section id="{s}">' in html
    for s in SECTIONS[1:]:
        assert f'<figure id="plot-{s}">' in html
    assert html.count("Nothing to draw") == 4 and "<svg" not in html
    assert_offline(html)


def test_a_busy_day_is_thinned_to_a_small_svg() -> None:
    day = small_day()
    w = window(9, 11)
    day.predictions = [Prediction(1, at(5 + i / 1000), at(9), timedelta(minutes=10), w)
                       for i in range(9000)]  # fmt: skip
    svg = plots.windows(day)
    assert svg is not None and svg.count("<use ") <= plots.MAX_POINTS + 50


def test_compare_page_puts_both_scenarios_side_by_side() -> None:
    a, b = small_day(), small_day()
    b.disruptions = []
    better = {**KPIS, "on_time_rate": 0.95}
    html = report.render_compare(a, KPIS, b, better, {"on_time_rate": 0.15}, ("today", "spare van"),
                                 TARGETS, VERDICTS, {"on_time_rate": True})  # fmt: skip
    for s in ("kpis", "eta", "gantt-a", "gantt-b"):
        assert f'<section id="{s}">' in html
    for f in ("eta", "gantt-a", "gantt-b"):
        assert f'<figure id="plot-{f}">' in html
    row = re.search(r'<tr data-metric="on_time_rate">(.*?)</tr>', html, re.DOTALL)
    assert row and "80.0 %" in row.group(1) and "95.0 %" in row.group(1)
    assert "+15.0 pp" in row.group(1)
    assert "<th>spare van \u2212 today</th>" in html and ">today<" in html
    assert_offline(html)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_write_makes_the_folder(tmp_path: Path) -> None:
    out = report.write(tmp_path / "reports" / "day.html", "<p>✓</p>")
    assert out.read_text(encoding="utf-8") == "<p>✓</p>"
