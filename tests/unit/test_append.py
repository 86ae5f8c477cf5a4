from datetime import UTC, datetime, timedelta

from solver.append import Job, NoPlacement, Placement, RouteEnd, place_nearest
from solver.traveltime.haversine import Haversine

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
PUURS = (51.0750, 4.2890)
NEAR = (51.0800, 4.2900)  # about 0.6 km from Puurs
FAR = (51.1250, 4.2500)  # about 6 km away
TRAVEL = Haversine(speed_kmh=36.0, detour_factor=1.0)


def end(vid: int, where, free_in_min: int = 0, shift_left_h: float = 8) -> RouteEnd:
    return RouteEnd(
        vid, where, NOW + timedelta(minutes=free_in_min), NOW + timedelta(hours=shift_left_h)
    )


def job(**kw) -> Job:
    return Job(location=PUURS, service=timedelta(minutes=30), **kw)


def test_picks_the_route_end_nearest_by_travel_time():
    placed = place_nearest(job(), [end(1, FAR), end(2, NEAR)], TRAVEL)
    assert isinstance(placed, Placement)
    assert placed.vehicle_id == 2
    # 36 km/h = 10 m/s; ~560 m -> ~56 s
    assert timedelta(seconds=30) < placed.travel < timedelta(minutes=2)
    assert placed.eta == NOW + placed.travel


def test_eta_starts_when_the_technician_is_free():
    placed = place_nearest(job(), [end(1, NEAR, free_in_min=45)], TRAVEL)
    assert isinstance(placed, Placement)
    assert placed.eta == NOW + timedelta(minutes=45) + placed.travel


def test_a_shift_that_cannot_fit_the_work_is_skipped():
    ends = [end(1, NEAR, shift_left_h=0.25), end(2, FAR)]
    placed = place_nearest(job(), ends, TRAVEL)
    assert isinstance(placed, Placement) and placed.vehicle_id == 2


def test_waits_for_the_customers_window_and_refuses_when_it_has_closed():
    opens = NOW + timedelta(hours=2)
    placed = place_nearest(job(earliest_start=opens), [end(1, NEAR)], TRAVEL)
    assert isinstance(placed, Placement) and placed.eta == opens
    closed = place_nearest(job(latest_start=NOW + timedelta(seconds=5)), [end(1, FAR)], TRAVEL)
    assert isinstance(closed, NoPlacement)
    assert "window closes" in closed.reason


def test_nobody_fits_gives_a_reason():
    placed = place_nearest(job(), [end(1, NEAR, shift_left_h=0.1)], TRAVEL)
    assert isinstance(placed, NoPlacement)
    assert "before their shift ends" in placed.reason
    assert isinstance(place_nearest(job(), [], TRAVEL), NoPlacement)


def test_a_neighbour_who_starts_tonight_loses_to_a_technician_free_now():
    tonight = end(1, NEAR, free_in_min=12 * 60, shift_left_h=22)
    placed = place_nearest(job(), [tonight, end(2, FAR)], TRAVEL)
    assert isinstance(placed, Placement) and placed.vehicle_id == 2


def test_among_similar_arrivals_the_shorter_drive_wins():
    # free 5 minutes later but next door: arrives within the tie margin, drives less
    placed = place_nearest(job(), [end(1, FAR), end(2, NEAR, free_in_min=5)], TRAVEL)
    assert isinstance(placed, Placement) and placed.vehicle_id == 2
