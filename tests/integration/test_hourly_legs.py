"""Each fresh leg at the traffic of its own departure hour, on the tiny road network's
default profile (09-16 h x1.10, 16-18 h x1.30): the quote, the ETA refresh's first leg,
a reordered route, and the replan's and the nightly plan's matrices."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dispatch.domain.day_plan import Appointment, DayPlan
from dispatch.domain.model import GeoPoint, Technician, TimeWindow, Visit, VisitStatus
from dispatch.domain.workdays import Workday
from dispatch.services.eta import Start, retime_from
from dispatch.services.nightly_problem import DateState
from dispatch.services.nightly_problem import to_problem as nightly_problem
from dispatch.services.replan_problem import LiveState, to_problem
from solver.insertion import LiveRoute, NewJob, Stop, insertions_for_route
from solver.roadnet.network import RoadNetwork
from solver.traveltime.hourly import at_hour, hour_factor, unix_factor

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny.osm"
A, D = (51.0, 4.0), (51.002, 4.004)
BXL = ZoneInfo("Europe/Brussels")
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=BXL)
RUSH = datetime(2026, 11, 24, 16, 30, tzinfo=BXL)
HOUR = 3600


@pytest.fixture(scope="module")
def net(tmp_path_factory) -> RoadNetwork:
    return RoadNetwork.from_file(TINY, cache_dir=tmp_path_factory.mktemp("tiny"))


def test_the_network_answers_its_own_hourly_factor(net):
    factor = hour_factor(net, A)
    free = float(net.matrix([A], [D])[0, 0])
    assert at_hour(free, NOON, factor) == round(float(net.matrix([A], [D], NOON)[0, 0]))
    assert at_hour(free, RUSH, factor) == round(float(net.matrix([A], [D], RUSH)[0, 0]))
    assert (factor(NOON), factor(RUSH)) == (1.10, 1.30)


def stop(ticket_id: int, eta: datetime, leg_s: int) -> Visit:
    window = TimeWindow(eta - timedelta(minutes=30), eta + timedelta(minutes=30))
    return Visit(ticket_id, 1, ticket_id, GeoPoint(51.0, 4.0), eta, timedelta(minutes=30),
                 window, VisitStatus.PLANNED, leg_s, 1)  # fmt: skip


def test_a_reordered_route_drives_each_fresh_leg_at_its_own_hour(net):
    # two 20-minute legs (free of the hour) and 30 minutes' work at the first stop: from
    # noon the second leg leaves at 12:52 (x1.10); from 15:40 it leaves at 16:32 (x1.30)
    factor = hour_factor(net, A)
    planned = [stop(1, NOON, 0), stop(2, NOON, 0)]
    for begin, second in ((NOON, 1.10), (RUSH - timedelta(minutes=50), 1.30)):
        first = at_hour(1200, begin, factor)
        out = retime_from(Start(GeoPoint(*A), begin, None, planned), first, factor, [1200, 1200])
        assert out[0].leg_s == first == round(1200 * factor(begin))
        assert out[1].leg_s == round(1200 * second)
        assert out[1].eta == out[0].eta + timedelta(minutes=30, seconds=out[1].leg_s)


def test_a_stored_leg_is_kept_as_its_writer_timed_it(net):
    planned = [stop(1, NOON, 1320), stop(2, NOON, 1320)]
    late = retime_from(Start(GeoPoint(*A), RUSH, None, planned), 1320, hour_factor(net, A))
    assert late[1].leg_s == 1320


def test_the_quote_drives_a_late_afternoon_leg_at_rush_hour_and_a_midday_one_not(net):
    # a route with one 5-hour job from noon: inserting before it leaves at noon, after
    # it at 17:00 (plus the drive); the job's rows are free of the hour (1200 s each)
    noon = int(NOON.astimezone(UTC).timestamp())
    route = LiveRoute(1, A, noon, noon + 8 * HOUR,
                      [Stop(id=9, location=D, service_s=5 * HOUR)], [600])  # fmt: skip
    hour = unix_factor(hour_factor(net, A))
    by_pos = {o.position: o for o in insertions_for_route(
        route, NewJob(A, 600), [1200, 1200], [1200], hour)}  # fmt: skip
    assert by_pos[0].travel_s == round(1200 * 1.10)  # leaves at noon
    assert by_pos[1].travel_s == round(1200 * 1.30)  # leaves at 17:10: the rush


def test_the_replan_drives_a_late_afternoon_leg_at_rush_hour_and_a_midday_one_not(net):
    # home A; a noon visit at D (left 12:30, x1.10) and a 16:20 one at E (left 16:50,
    # x1.30): the replan's one matrix holds each leg at the hour its origin is left
    e = (51.002, 4.0)
    tech = Technician(1, "t1", "Tech One", GeoPoint(*A),
                      TimeWindow(NOON - 4 * timedelta(hours=1), RUSH + timedelta(hours=2)),
                      frozenset())  # fmt: skip
    noon, late = stop(1, NOON, 0), stop(2, RUSH - timedelta(minutes=10), 0)
    noon, late = replace(noon, location=GeoPoint(*D)), replace(late, location=GeoPoint(*e))
    live = LiveState([tech], {1: 0}, {1: [noon, late]}, {}, {1: frozenset(), 2: frozenset()})
    problem = to_problem(live, NOON - timedelta(hours=1), net).problem
    m, at = problem.durations, {v.id: v.location for v in problem.visits}
    free = net.matrix([D, e], [D, e, A])
    assert m[at["1"], at["2"]] == round(free[0, 1] * 1.10)  # leaves D at 12:30
    assert m[at["2"], at["1"]] == round(free[1, 0] * 1.30)  # leaves E at 16:50: the rush
    assert m[at["2"], problem.vehicles[0].end_location] == round(free[1, 2] * 1.30)


def test_the_nightly_plan_drives_each_leg_at_the_hour_its_origin_is_left(net):
    # a booked date: half-hour jobs told 11:30-12:30 (left at 12:30, the window's middle
    # plus the work: x1.10) and 16:00-17:00 (left at 17:00: x1.30); home at 10:00, x1.10
    day = NOON.date()
    tech = Technician(1, "t1", "Tech One", GeoPoint(*A),
                      TimeWindow(NOON - timedelta(hours=2), NOON + timedelta(hours=7)),
                      frozenset())  # fmt: skip
    half = timedelta(minutes=30)

    def appointment(ticket_id: int, where: tuple[float, float], middle: datetime) -> Appointment:
        told = TimeWindow(middle - half, middle + half)
        return Appointment(ticket_id, 1, day, GeoPoint(*where), half, told, middle, 0, ticket_id)

    plan = DayPlan(1, day, 1, [appointment(1, D, NOON), appointment(2, (51.002, 4.0), RUSH)])
    state = DateState(day, {1: tech}, {1: Workday(day, tech.shift, None, "pattern")}, {1: plan},
                      {1: frozenset(), 2: frozenset()})  # fmt: skip
    problem = nightly_problem(state, net).problem
    m, at = problem.durations, {v.id: v.location for v in problem.visits}
    free = net.matrix([A, D, (51.002, 4.0)], [A, D, (51.002, 4.0)])
    assert m[at["1"], at["2"]] == round(free[1, 2] * 1.10)  # leaves D at 12:30
    assert m[at["2"], at["1"]] == round(free[2, 1] * 1.30)  # leaves E at 17:00: the rush
    assert m[0, at["1"]] == round(free[0, 1] * 1.10)  # leaves home at 10:00
