"""A planned day's timing with lunch: exact, checked against trying every place for it."""

import random

from solver.day_schedule import LunchRule, schedule_with_lunch
from solver.day_slots import Booked

H, M = 3600, 60
LUNCH = LunchRule(12 * H, 13 * H + 30 * M, 30 * M)


def brute(start: int, end: int, lunch: LunchRule, legs: list[int],
          stops: list[Booked]) -> bool:  # fmt: skip
    """Every place for lunch, one by one: before stop k's drive, at stop k's door, or
    after the last stop. True when one keeps every window, lunch and the shift end."""
    places = [(k, door) for k in range(len(stops)) for door in (False, True)]
    for k, door in [*places, (len(stops), False)]:
        t, ok = start, True
        for i, (leg, stop) in enumerate(zip(legs, stops, strict=True)):
            if i == k and not door:
                begin = max(t, lunch.earliest_s)
                ok &= begin + lunch.duration_s <= lunch.latest_s
                t = begin + lunch.duration_s
            arrive = t + leg
            if i == k and door:
                begin = max(arrive, lunch.earliest_s)
                ok &= begin + lunch.duration_s <= lunch.latest_s
                arrive = begin + lunch.duration_s
            ok &= arrive <= stop.close_s
            t = max(arrive, stop.open_s) + stop.service_s
        if k == len(stops):
            begin = max(t, lunch.earliest_s)
            ok &= begin + lunch.duration_s <= lunch.latest_s
            t = begin + lunch.duration_s
        if ok and t <= end:
            return True
    return False


def test_lunch_goes_wherever_the_day_holds_and_only_then() -> None:
    rng, held = random.Random(11), 0
    for _ in range(3000):
        n = rng.randint(0, 7)
        stops, t = [], 8 * H
        for k in range(n):
            t += rng.randint(10, 70) * M
            open_ = t - t % (2 * H)
            stops.append(Booked(k, rng.randint(15, 75) * M, open_, open_ + rng.choice([1, 2]) * H))
        legs = [rng.randint(3, 50) * M for _ in stops]
        got = schedule_with_lunch(8 * H, 17 * H, LUNCH, legs, stops, keep_windows=True)
        assert (got is not None) == brute(8 * H, 17 * H, LUNCH, legs, stops)
        if got is not None:
            held += 1
            assert all(a <= s.close_s for a, s in zip(got, stops, strict=True))
    assert 300 < held < 2700  # both answers were exercised


def test_lunch_at_the_door_keeps_a_slot_that_lunch_before_the_drive_loses() -> None:
    """Done at 11:50, 40 minutes to the next door, promised 12:00-13:00: drive, eat at
    the door, ring at 13:00. Lunch at 12:00 before the drive would arrive at 13:10, and
    after that visit it would end past 13:30."""
    first = Booked(1, 60 * M, 10 * H, 12 * H)
    second = Booked(2, 60 * M, 12 * H, 13 * H)  # then on site until past 13:30
    got = schedule_with_lunch(10 * H + 50 * M, 17 * H, LUNCH, [0, 40 * M], [first, second], True)
    assert got == [10 * H + 50 * M, 12 * H + 30 * M + 30 * M]  # arrive 12:30, lunch, 13:00
