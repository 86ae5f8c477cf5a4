"""The day optimiser on small hand-made problems; every solution is independently checked.

Locations lie on a line; one unit of distance is one minute of driving.
"""

from dataclasses import replace

import numpy as np
import pytest

from solver.checker import check
from solver.model import Break, Pins, Problem, ProblemError, Vehicle, Visit, Window
from solver.routing import SearchConfig, solve

MIN = 60
QUICK = SearchConfig(time_limit_s=1.0)
# The compiled ruin-and-recreate search first, guided local search after: every
# constraint must hold whichever search planned the day.
WITH_SISR = SearchConfig(time_limit_s=1.0, sisr_share=0.5, sisr_iterations=3000)


@pytest.fixture(params=[QUICK, WITH_SISR], ids=["gls", "sisr+gls"])
def config(request) -> SearchConfig:
    return request.param


def line(n: int) -> np.ndarray:
    x = np.arange(n)
    return (np.abs(x[:, None] - x[None, :]) * MIN).astype(np.int64)


def van(vid: str, skills=(), start=0, end=8 * 3600, home=0, **kw) -> Vehicle:
    return Vehicle(vid, home, home, start, end, skills=frozenset(skills), **kw)


def job(vid: str, at: int, minutes: int = 20, **kw) -> Visit:
    return Visit(vid, at, minutes * MIN, **kw)


def solved(problem: Problem, config: SearchConfig = QUICK):
    s = solve(problem, config)
    assert check(problem, s) == []
    return s


def test_a_missing_skill_sends_the_visit_to_another_technician(config):
    p = Problem(
        [van("near", skills={"ac"}), van("far", skills={"ac", "dc"}, home=9)],
        [job("dc-job", 1, skills=frozenset({"dc"})), job("ac-job", 2, skills=frozenset({"ac"}))],
        line(10),
    )
    s = solved(p, config)
    assert s.assignment()["dc-job"] == "far"
    assert not s.dropped


def test_a_window_too_early_for_everyone_is_dropped_with_the_reason(config):
    p = Problem(
        [van("a", start=8 * 3600, end=16 * 3600)],
        [job("dawn", 5, windows=(Window(0, 6 * 3600),)), job("ok", 3)],
        line(10),
    )
    s = solved(p, config)
    assert [d.visit for d in s.dropped] == ["dawn"]
    assert "inside its window" in s.dropped[0].reason
    assert s.assignment() == {"ok": "a"}


def test_the_break_is_taken_inside_its_window(config):
    brk = Break(30 * MIN, Window(2 * 3600, 3 * 3600))
    p = Problem(
        [van("a", breaks=(brk,))],
        [job(f"j{i}", i, 40) for i in range(1, 7)],
        line(8),
    )
    s = solved(p, config)
    (route,) = s.routes
    (start,) = route.breaks
    assert 2 * 3600 <= start <= 3 * 3600


def test_breaks_keep_clear_of_visits_when_technicians_leave_from_different_homes(config):
    """With several depots OR-Tools numbers its indices apart from the nodes; the
    service a break may not overlap must follow the index (it once followed the node:
    the first visits counted as zero minutes long, and lunch landed inside one). Homes
    apart and one shared end point make the two numberings differ."""
    brk = Break(30 * MIN, Window(2 * 3600, 2 * 3600 + 30 * MIN))
    # two homes, one shared end point (the nightly plan's "day over" point)
    vans = [Vehicle(v, home, 6, 0, 8 * 3600, breaks=(brk,)) for v, home in (("a", 0), ("b", 9))]
    spans_lunch = Visit("long", 3, 3 * 3600, pins=Pins(promise=Window(3600, 3600)))
    p = Problem(vans, [spans_lunch, job("short", 5)], line(10))
    s = solved(p, config)  # the checker finds any break inside a visit
    assert [d.visit for d in s.dropped] == ["long"]  # 01:00-04:00 on site: no lunch
    assert s.assignment() == {"short": s.assignment()["short"]}


def test_a_started_visit_stays_first_at_its_real_time(config):
    started = Visit("started", 6, 45 * MIN,
                    pins=Pins(started_on="a", started_at=3600))  # fmt: skip
    p = Problem(
        [van("a", start=2 * 3600, home=6), van("b", start=2 * 3600, home=6)],
        [job("x", 5), job("y", 7), started],
        line(10),
    )
    s = solved(p, config)
    route = s.route_of("a")
    assert route is not None and route.stops[0].visit == "started"
    assert route.stops[0].start == 3600


def test_a_soft_promise_is_served_late_and_the_lateness_reported(config):
    promise = Pins(promise=Window(0, 10 * MIN), promise_hard=False, lateness_cost_per_minute=1)
    p = Problem(
        [van("a")],
        [job("far-but-promised", 30, 10, pins=promise)],
        line(31),
    )
    s = solved(p, config)
    (stop,) = s.routes[0].stops
    assert stop.start == 30 * MIN
    assert stop.lateness == 20 * MIN


def test_a_late_customer_is_still_not_served_before_the_window_told(config):
    """Already late (soft), but not before its start either: he would wait at the door
    (the ETA refresh's rule), so a plan that serves it sooner is a plan nobody drives."""
    told = Pins(promise=Window(60 * MIN, 70 * MIN), promise_hard=False,
                lateness_cost_per_minute=1)  # fmt: skip
    p = Problem([van("a")], [job("told", 2, 10, pins=told), job("other", 4, 10)], line(5))
    s = solved(p, config)
    starts = {st.visit: st.start for st in s.routes[0].stops}
    assert starts["told"] >= 60 * MIN
    early = replace(s.routes[0], stops=tuple(
        replace(st, start=2 * MIN, arrival=2 * MIN) if st.visit == "told" else st
        for st in s.routes[0].stops))  # fmt: skip
    assert any("before the window told" in e
               for e in check(p, replace(s, routes=(early,))))  # fmt: skip


def test_overtime_is_used_only_when_it_pays(config):
    def day(penalty: int, overtime_cost: int):
        return Problem(
            [van("a", end=2 * 3600, overtime=3600, overtime_cost_per_hour=overtime_cost)],
            [job("one", 10, 60), job("two", 20, 40, penalty=penalty)],
            line(21),
        )

    cheap_overtime = solved(day(penalty=10**6, overtime_cost=3600), config)
    assert not cheap_overtime.dropped and cheap_overtime.routes[0].overtime > 0
    dear_overtime = solved(day(penalty=100, overtime_cost=3600 * 1000), config)
    assert [d.visit for d in dear_overtime.dropped] == ["two"]
    assert dear_overtime.routes[0].overtime == 0


def test_a_day_without_technicians_drops_every_visit_with_the_reason(config):
    p = Problem([], [job("a", 1), job("b", 2)], line(3))
    s = solve(p, config)
    assert [d.visit for d in s.dropped] == ["a", "b"]
    assert all("no technician" in d.reason for d in s.dropped)
    assert s.routes == ()


def test_warm_start_moves_little():
    p = Problem(
        [van("a", home=0), van("b", home=9)],
        [job(f"j{i}", i, 15) for i in range(1, 9)],
        line(10),
    )
    first = solved(p)
    previous = {r.vehicle: [s.visit for s in r.stops] for r in first.routes}
    again = solve(p, SearchConfig(time_limit_s=1.0, move_cost=10_000), previous)
    assert check(p, again) == []
    assert again.assignment() == first.assignment()


def test_the_day_setup_never_moves_started_or_pinned_work():
    # Ruin-and-recreate takes strings of visits out and puts them back thousands of
    # times; started work must stay first on its van at its real time, and a pin
    # must hold, whatever it tried.
    fleet = [van(f"v{k}") for k in range(4)]
    jobs = [job(f"j{i}", i, 30, windows=(Window(0, 6 * 3600),)) for i in range(1, 9)]
    jobs.append(job("pinned", 9, 30, pins=Pins(vehicle="v3")))
    jobs.append(job("started", 5, 30, pins=Pins(started_on="v2", started_at=600)))
    p = Problem(fleet, jobs, line(10))
    s = solved(p, SearchConfig.for_budget(1.5))
    assert not s.dropped
    assert s.assignment()["pinned"] == "v3"
    first = s.route_of("v2").stops[0]
    assert (first.visit, first.start) == ("started", 600)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"durations": -line(3)}, "negative"),
        ({"durations": line(2)}, "outside the matrix"),
        ({"durations": np.zeros((3, 2), dtype=np.int64)}, "square"),
        ({"visits": [Visit("v", 1, -5)]}, "negative service"),
        ({"visits": [Visit("v", 1, 60, windows=(Window(100, 50),))]}, "ends before it starts"),
        (
            {"visits": [Visit("v", 1, 60, windows=(Window(0, 50), Window(200, 300)),
                              pins=Pins(promise=Window(80, 150)))]},
            "hard promise lies outside every window",
        ),
        (
            {"visits": [Visit("v", 1, 60, pins=Pins(vehicle="ghost"))]},
            "'ghost', which does not exist",
        ),
    ],
)
def test_bad_problems_are_refused_before_any_solve(change, message):
    base = {"vehicles": [van("a")], "visits": [job("v", 2)], "durations": line(3)}
    with pytest.raises(ProblemError, match=message):
        solve(Problem(**{**base, **change}))


def test_the_kernel_gets_every_window_cut_by_the_hard_promise():
    from solver.routing.kernel_arrays import _kernel_windows

    two = (Window(14 * 3600, 15 * 3600), Window(8 * 3600, 12 * 3600))
    v = job("two-windows", 1, windows=two, pins=Pins(promise=Window(14 * 3600, 14 * 3600 + 1800)))
    assert _kernel_windows(v, 10**9) == [(14 * 3600, 14 * 3600 + 1800)]  # the morning is cut
    assert _kernel_windows(job("both", 1, windows=two), 10**9) == [
        (8 * 3600, 12 * 3600), (14 * 3600, 15 * 3600)]  # fmt: skip
    touching = (Window(8 * 3600, 10 * 3600), Window(9 * 3600, 11 * 3600))
    assert _kernel_windows(job("merged", 1, windows=touching), 10**9) == [(8 * 3600, 11 * 3600)]
    assert _kernel_windows(job("none", 1), 10**9) == [(0, 10**9)]


MORNING_OR_AFTERNOON = (Window(8 * 3600, 10 * 3600), Window(14 * 3600, 16 * 3600))


@pytest.mark.parametrize("setup", ["or-tools", "kernel"])
def test_a_customer_out_in_the_morning_is_served_in_the_afternoon_window(setup: str) -> None:
    # "before ten or after two": the van starts at eleven, so only the second window is
    # left; the other visit has no window and goes first, at 11:01
    config = QUICK if setup == "or-tools" else SearchConfig.for_budget(1.0)
    p = Problem([van("a", start=11 * 3600, end=18 * 3600)],
                [job("x", 3, windows=MORNING_OR_AFTERNOON), job("y", 1)], line(5))  # fmt: skip
    s = solved(p, config)
    stops = {st.visit: st.start for r in s.routes for st in r.stops}
    assert not s.dropped
    assert 14 * 3600 <= stops["x"] <= 16 * 3600


@pytest.mark.parametrize("setup", ["or-tools", "kernel"])
def test_a_wide_window_covers_the_gap_between_two_narrow_ones(setup: str) -> None:
    # open 08-16, and (redundantly) 09-10 and 12-14: 11:01 is inside the first, so
    # nobody waits for noon (OR-Tools once removed 10:00-12:00 as a "gap")
    config = QUICK if setup == "or-tools" else SearchConfig.for_budget(1.0)
    nested = (Window(8 * 3600, 16 * 3600), Window(9 * 3600, 10 * 3600),
              Window(12 * 3600, 14 * 3600))  # fmt: skip
    p = Problem([van("a", start=11 * 3600, end=18 * 3600)], [job("x", 1, windows=nested)],
                line(3))  # fmt: skip
    (route,) = solved(p, config).routes
    assert route.stops[0].start == 11 * 3600 + MIN


@pytest.mark.parametrize("setup", ["or-tools", "kernel"])
def test_two_windowed_visits_are_served_in_whichever_window_fits_the_route(setup: str) -> None:
    # twelve visits on one line, each open before ten or after two, for three vans that
    # work 08:00-17:00: both windows get used, and the checker finds nothing broken
    config = QUICK if setup == "or-tools" else SearchConfig.for_budget(2.0)
    jobs = [job(f"j{i}", i, 40, windows=MORNING_OR_AFTERNOON) for i in range(1, 13)]
    p = Problem([van(f"v{k}", start=8 * 3600, end=17 * 3600) for k in range(3)], jobs, line(13))
    s = solved(p, config)
    assert not s.dropped
    starts = [st.start for r in s.routes for st in r.stops]
    assert any(t <= 10 * 3600 for t in starts) and any(t >= 14 * 3600 for t in starts)
    assert not any(10 * 3600 < t < 14 * 3600 for t in starts)


@pytest.mark.parametrize("setup", ["or-tools", "kernel"])
@pytest.mark.parametrize(("own_cost_min", "moves"), [(15, False), (13, True), (None, True)])
def test_a_visit_priced_to_stay_moves_only_when_the_detour_saved_pays_its_price(
    setup: str, own_cost_min: int | None, moves: bool
) -> None:
    """x was planned on van a (home 0): 16 minutes there and back. Van b lives next to
    it (2 minutes), so moving saves 14 minutes; a visit's own price (a customer who was
    told a name) overrides the search's 3 minutes."""
    own = None if own_cost_min is None else own_cost_min * MIN
    p = Problem([van("a", home=0), van("b", home=9)],
                [job("x", 8, pins=Pins(move_cost=own))], line(10))  # fmt: skip
    config = SearchConfig(time_limit_s=1.0, move_cost=3 * MIN)
    if setup == "kernel":
        config = replace(SearchConfig.for_budget(1.0), move_cost=3 * MIN)
    again = solve(p, config, {"a": ["x"], "b": []})
    assert check(p, again) == []
    assert again.assignment() == {"x": "b" if moves else "a"}
