"""Cheapest insertion on a road that is a straight line: 1 unit = 60 s of driving."""

from solver.insertion import LiveRoute, NewJob, Stop, best_insertions, insertions_for_route

MIN = 60


def at(x: float):
    return (0.0, float(x))


def drive(a, b) -> int:
    return int(abs(a[1] - b[1]) * MIN)


def route(start_x, xs, vid=1, start_s=0, shift_end_s=10 * 3600, per_stop=None) -> LiveRoute:
    per_stop = per_stop or {}
    stops = [
        Stop(id=100 * vid + i, location=at(x), service_s=30 * MIN, **per_stop.get(i, {}))
        for i, x in enumerate(xs)
    ]
    points = [at(start_x)] + [s.location for s in stops]
    legs = [drive(points[i], points[i + 1]) for i in range(len(stops))]
    return LiveRoute(vid, at(start_x), start_s, shift_end_s, stops, legs)


def rows(r: LiveRoute, job: NewJob):
    points = [r.start] + [s.location for s in r.stops]
    to_job = [drive(p, job.location) for p in points]
    from_job = [drive(job.location, s.location) for s in r.stops]
    return to_job, from_job


def options(r: LiveRoute, job: NewJob):
    return insertions_for_route(r, job, *rows(r, job))


def best(routes, job, urgent=False):
    tj, fj = zip(*(rows(r, job) for r in routes), strict=True)
    return best_insertions(routes, job, tj, fj, urgent=urgent)


def test_the_job_goes_where_it_adds_least_driving():
    r = route(0, [10, 20])
    job = NewJob(at(15), 20 * MIN)
    (choice,) = best([r], job)
    assert choice.position == 1  # between 10 and 20: no detour at all
    assert choice.added_travel_s == 0
    # the stop after it moves by the job's service time, and nobody was promised anything
    assert [s.stop_id for s in choice.shifted] == [101]
    assert choice.shifted[0].new_arrival_s - choice.shifted[0].old_arrival_s == 20 * MIN
    assert choice.keeps_promises


def test_a_broken_promise_is_flagged_and_the_promise_keeping_option_preferred():
    promised = {1: {"promise_end_s": 20 * MIN + 30 * MIN + 10 * MIN + 5 * MIN}}
    r = route(0, [10, 20], per_stop=promised)
    job = NewJob(at(15), 20 * MIN)
    all_options = options(r, job)
    before_second = next(o for o in all_options if o.position == 1)
    assert not before_second.keeps_promises
    assert before_second.broken_promises[0].stop_id == 101
    (choice,) = best([r], job)
    assert choice.keeps_promises and choice.position == 2


def test_shift_end_is_hard_and_started_work_stays_first():
    r = route(0, [10], shift_end_s=10 * MIN + 30 * MIN + 10 * MIN)
    assert options(r, NewJob(at(30), 30 * MIN)) == []
    locked = route(0, [10, 20], per_stop={0: {"locked": True}})
    assert min(o.position for o in options(locked, NewJob(at(1), 10 * MIN))) == 1


def test_the_customers_window_is_waited_for_and_a_closed_one_refused():
    r = route(0, [])
    (o,) = options(r, NewJob(at(5), 10 * MIN, earliest_s=3600))
    assert o.arrival_s == 5 * MIN and o.start_s == 3600
    assert options(r, NewJob(at(5), 10 * MIN, latest_s=4 * MIN)) == []


def test_a_technician_arriving_between_two_windows_waits_for_the_second():
    # "before 00:10 or from 01:00": the job is 5 minutes' drive from a route that is busy
    # until 00:30 (a 30-minute stop at 1), so it starts at the second window's opening
    r = route(0, [1])
    job = NewJob(at(5), 10 * MIN, windows=((0, 10 * MIN), (3600, 2 * 3600)))
    by_position = {o.position: o for o in options(r, job)}
    assert by_position[0].start_s == 5 * MIN  # before the stop: inside the first window
    assert by_position[1].arrival_s == 31 * MIN + 4 * MIN and by_position[1].start_s == 3600
    # first window shut on arrival (00:05 > 00:04): wait for the second; after the stop
    # (00:35) both have closed, so that position is not offered at all
    closed = NewJob(at(5), 10 * MIN, windows=((0, 4 * MIN), (10 * MIN, 20 * MIN)))
    (only,) = options(r, closed)
    assert only.position == 0 and only.start_s == 10 * MIN


def test_an_urgent_job_pushes_a_normal_promise_but_never_an_urgent_one():
    tight = {0: {"promise_end_s": 10 * MIN + 1}}
    normal = route(0, [10], per_stop=tight)
    job = NewJob(at(5), 60 * MIN, latest_s=10 * MIN)  # must start within 10 minutes
    (pushed,) = best([normal], job, urgent=True)
    assert pushed.position == 0 and not pushed.keeps_promises
    guarded = route(0, [10], per_stop={0: {"promise_end_s": 10 * MIN + 1, "pushable": False}})
    assert best([guarded], job, urgent=True) == []


def test_each_route_offers_its_best_option():
    near = route(4, [], vid=1)
    far = route(40, [], vid=2)
    result = best([near, far], NewJob(at(5), 10 * MIN))
    assert {o.vehicle_id for o in result} == {1, 2}
    by_vehicle = {o.vehicle_id: o for o in result}
    assert by_vehicle[1].travel_s < by_vehicle[2].travel_s


def test_a_booking_pays_for_the_margin_it_takes_from_another_customers_window():
    """Between 10 and 20 adds no driving but pushes the customer at 20 by the job's 20
    minutes, 15 of them past the end of the margin kept in their window (their promise
    still holds); after 20 costs 5 minutes of driving and squeezes nobody."""
    arrive_second = (10 + 30 + 10) * MIN
    margin = {1: {"promise_end_s": arrive_second + 60 * MIN,
                  "comfort_end_s": arrive_second + 5 * MIN}}  # fmt: skip
    job = NewJob(at(15), 20 * MIN)
    (free,) = best([route(0, [10, 20])], job)
    assert (free.position, free.added_travel_s, free.squeezed_s) == (1, 0, 0)
    (kept,) = best([route(0, [10, 20], per_stop=margin)], job)
    assert (kept.position, kept.added_travel_s, kept.squeezed_s) == (2, 5 * MIN, 0)
    between = next(o for o in options(route(0, [10, 20], per_stop=margin), job)
                   if o.position == 1)  # fmt: skip
    assert between.squeezed_s == 15 * MIN and between.keeps_promises


def test_a_push_that_only_eats_a_wait_for_the_told_window_moves_nobody():
    """The customer at 20 was told 'from 3 h': the technician waits at their door, so a
    20-minute job before them changes nothing they were told, and the quote says so."""
    waits = {1: {"earliest_s": 3 * 3600, "promise_end_s": 4 * 3600}}
    job = NewJob(at(15), 20 * MIN)
    between = next(o for o in options(route(0, [10, 20], per_stop=waits), job)
                   if o.position == 1)  # fmt: skip
    assert between.shifted == ()
    pushed = next(o for o in options(route(0, [10, 20]), job) if o.position == 1)
    assert [s.stop_id for s in pushed.shifted] == [101]  # without the wait it moves
