"""The simulator's yardstick (``simulator.metrics``), each KPI on a tiny hand-made day
whose right value is worked out in a comment: a wrong yardstick would measure nothing."""

import json
from datetime import UTC, datetime, timedelta

from simulator.metrics import TARGETS, compare, counts, metrics, verdicts
from simulator.record import (
    Arrival,
    DayRecord,
    Disruption,
    Outcome,
    Prediction,
    Shift,
    Told,
    Window,
)

KEYS = {
    "on_time_rate",
    "first_promise_kept_rate",
    "late_announced_rate",
    "announce_lead_min_median",
    "false_alarm_rate",
    "eta_mae_min_by_horizon",
    "window_width_min_by_horizon",
    "interval_coverage_by_horizon",
    "disruption_to_message_s_max",
    "rebook_offered_rate",
    "messages_per_customer_max",
    "where_is_my_technician_contacts",
    "travel_km",
    "travel_share",
    "overtime_min",
    "unassigned_tickets",
    "first_time_fix_rate",
    "customer_speed_index_min_median",
    "nps",
}
NINE_TO_TEN = (9, 0, 10, 0)


def at(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2026, 11, 24, hh, mm, ss, tzinfo=UTC)


def win(h1: int, m1: int, h2: int, m2: int) -> Window:
    return Window(at(h1, m1), at(h2, m2))


def told(ticket: int, sent: datetime, kind: str, window: Window | None = None) -> Told:
    return Told(ticket, sent, kind, window)


def booked(ticket: int, window: Window, sent: datetime | None = None) -> Told:
    return told(ticket, sent or at(7, 0), "booking_confirmation", window)


def arrived(**by_ticket: datetime) -> dict[int, Arrival]:
    """arrived(t1=at(9, 30)) -> {1: Arrival(1, 1, 09:30)}."""
    return {int(k[1:]): Arrival(int(k[1:]), 1, v) for k, v in by_ticket.items()}


def day(**fields: object) -> DayRecord:
    d = DayRecord(scenario="test", seed=0, start=at(7, 0), end=at(18, 0))
    for name, value in fields.items():
        setattr(d, name, value)
    d.told.sort(key=lambda t: t.at)  # the contract: in time order
    return d


# --- promises -------------------------------------------------------------------------


def on_time_day() -> DayRecord:
    return day(
        told=[
            booked(1, win(*NINE_TO_TEN)),
            booked(2, win(*NINE_TO_TEN)),
            told(2, at(9, 50), "running_late", win(10, 0, 11, 0)),
            booked(3, win(*NINE_TO_TEN)),
            told(3, at(9, 0), "window_changed", win(11, 0, 12, 0)),
            booked(4, win(8, 0, 9, 0), sent=at(7, 45)),
            booked(5, win(8, 0, 8, 30)),
            told(5, at(9, 0), "on_the_way", win(9, 0, 9, 30)),
            told(6, at(7, 0), "on_the_way"),
        ],
        arrivals=arrived(
            t1=at(9, 30), t2=at(10, 10), t3=at(11, 30), t4=at(8, 0), t5=at(9, 30), t6=at(9, 0)
        ),
    )


def test_on_time_judges_the_last_window_told_at_least_30_minutes_ahead() -> None:
    # 1: 09-10 told 07:00, came 09:30: on time.
    # 2: 09-10 told 07:00, re-told 10-11 at 09:50 (20 min ahead: does not count), came
    #    10:10: late.
    # 3: 09-10, then 11-12 at 09:00 (150 min ahead), came 11:30: on time.
    # 4: its only window told at 07:45, came 08:00 (15 min later): not judged.
    # 5: 09:00-09:30 told at 09:00, exactly 30 min before arriving at 09:30 (the end,
    #    bounds included): on time.
    # 6: told no window: not judged.   -> 3 of 4 = 0.75
    d = on_time_day()
    assert metrics(d)["on_time_rate"] == 0.75
    assert counts(d)["on_time_rate"] == {"n": 3, "of": 4}


def test_first_promise_kept_judges_the_first_window_whenever_told() -> None:
    # first windows: 1 09-10 (09:30 in), 2 09-10 (10:10 out), 3 09-10 (11:30 out),
    # 4 08-09 (08:00 in), 5 08:00-08:30 (09:30 out: the later 09:00-09:30 is not the
    # first), 6 none: not judged.   -> 2 of 5 = 0.4
    d = on_time_day()
    assert metrics(d)["first_promise_kept_rate"] == 0.4
    assert counts(d)["first_promise_kept_rate"] == {"n": 2, "of": 5}


def late_day() -> DayRecord:
    return day(
        told=[
            # 1: warned at 09:20 (40 min before 10:00), again at 09:40; came 10:30
            booked(1, win(*NINE_TO_TEN)),
            told(1, at(9, 20), "running_late", win(10, 0, 11, 0)),
            told(1, at(9, 40), "running_late", win(10, 15, 11, 0)),
            # 2: warned at 10:05, after the window ended; came 10:15
            booked(2, win(*NINE_TO_TEN)),
            told(2, at(10, 5), "running_late", win(10, 0, 10, 30)),
            # 3: a change that ends no later, and an on_the_way (not a change); came 10:20
            booked(3, win(*NINE_TO_TEN)),
            told(3, at(9, 0), "window_changed", win(8, 30, 9, 45)),
            told(3, at(9, 30), "on_the_way", win(10, 0, 10, 30)),
            # 4: force majeure without a time at 12:00 (120 min before 14:00); came 15:00
            booked(4, win(13, 0, 14, 0)),
            told(4, at(12, 0), "force_majeure"),
            # 5: warned, yet came inside: not a late arrival
            booked(5, win(*NINE_TO_TEN)),
            told(5, at(9, 10), "running_late", win(9, 30, 10, 30)),
        ],
        arrivals=arrived(t1=at(10, 30), t2=at(10, 15), t3=at(10, 20), t4=at(15, 0), t5=at(9, 50)),
    )


def test_late_arrivals_announced_by_a_change_message_before_the_window_ended() -> None:
    # late: 1, 2, 3, 4 (5 came inside). announced: 1 (09:20), 4 (force majeure, no
    # window). not: 2 (too late), 3 (earlier end; on_the_way is no change kind).
    # -> 2 of 4 = 0.5
    d = late_day()
    assert metrics(d)["late_announced_rate"] == 0.5
    assert counts(d)["late_announced_rate"] == {"n": 2, "of": 4}


def test_announce_lead_is_the_median_from_the_first_announcement() -> None:
    # 1: first announcement 09:20 -> 40 min before 10:00 (not the 09:40 one: 20);
    # 4: 12:00 -> 120 min before 14:00.   median(40, 120) = 80.0
    assert metrics(late_day())["announce_lead_min_median"] == 80.0


def test_three_visits_one_late_and_announced_40_minutes_ahead() -> None:
    d = day(
        told=[booked(t, win(*NINE_TO_TEN)) for t in (1, 2, 3)]
        + [told(2, at(9, 20), "rebooked", win(10, 30, 11, 30))],
        arrivals=arrived(t1=at(9, 10), t2=at(10, 45), t3=at(9, 55)),
    )
    m = metrics(d)
    assert (m["late_announced_rate"], m["announce_lead_min_median"]) == (1.0, 40.0)


def test_an_announcement_at_the_very_end_of_the_window_still_counts() -> None:
    d = day(
        told=[booked(1, win(*NINE_TO_TEN)), told(1, at(10, 0), "running_late", None)],
        arrivals=arrived(t1=at(10, 20)),
    )
    m = metrics(d)
    assert (m["late_announced_rate"], m["announce_lead_min_median"]) == (1.0, 0.0)


def test_a_weather_notice_with_a_later_window_announces_the_late_arrival() -> None:
    """Snow: "on our way, but no guarantee in this weather, now 10:30-11:30" told at
    09:20 is the announcement (an on-the-way message with a later window is not)."""
    d = day(
        told=[booked(1, win(*NINE_TO_TEN)), told(1, at(9, 20), "weather_notice",
                                                 win(10, 30, 11, 30)),
              booked(2, win(*NINE_TO_TEN)), told(2, at(9, 20), "on_the_way",
                                                 win(10, 30, 11, 30))],
        arrivals=arrived(t1=at(10, 45), t2=at(10, 45)),
    )  # fmt: skip
    assert counts(d)["late_announced_rate"] == {"n": 1, "of": 2}
    assert metrics(d)["announce_lead_min_median"] == 40.0
    assert counts(d)["false_alarm_rate"] == {"n": 0, "of": 0}  # weather is no alarm


def test_false_alarms_are_change_messages_after_which_the_old_window_held() -> None:
    # 1: running_late at 09:30 (before: 09-10), came 09:55 -> false.
    # 2: running_late 10-11 at 09:30 (before: 09-10; came 10:50, outside) -> true;
    #    window_changed 11-12 at 10:30 (before: 10-11, holds 10:50) -> false.
    # 3: force majeure and rebooked are not alarms, though it came inside 09-10.
    # 4: running_late with no window told before it: counted, cannot be false.
    # -> 2 false of 4 = 0.5
    d = day(
        told=[
            booked(1, win(*NINE_TO_TEN)),
            told(1, at(9, 30), "running_late", win(10, 0, 11, 0)),
            booked(2, win(*NINE_TO_TEN)),
            told(2, at(9, 30), "running_late", win(10, 0, 11, 0)),
            told(2, at(10, 30), "window_changed", win(11, 0, 12, 0)),
            booked(3, win(*NINE_TO_TEN)),
            told(3, at(8, 0), "force_majeure"),
            told(3, at(8, 30), "rebooked", win(*NINE_TO_TEN)),
            told(4, at(9, 0), "running_late", win(10, 0, 11, 0)),
        ],
        arrivals=arrived(t1=at(9, 55), t2=at(10, 50), t3=at(9, 15), t4=at(10, 30)),
    )
    assert metrics(d)["false_alarm_rate"] == 0.5
    assert counts(d)["false_alarm_rate"] == {"n": 2, "of": 4}


# --- the ETA engine by horizon ----------------------------------------------------------


def predicted(ticket: int, made: datetime, eta: datetime, hw: int, window: Window) -> Prediction:
    return Prediction(ticket, made, eta, timedelta(minutes=hw), window)


def horizon_day() -> DayRecord:
    w60, w30 = win(9, 30, 10, 30), win(9, 30, 10, 0)
    return day(
        predictions=[
            # 1: came 10:00
            predicted(1, at(7, 0), at(9, 30), 15, w60),  # 150 ahead
            predicted(1, at(8, 0), at(9, 50), 15, w60),  # 110: first <= 120; err 10, in
            predicted(1, at(8, 30), at(9, 50), 15, w60),  # 80
            predicted(1, at(9, 0), at(9, 55), 4, w30),  # 55: first <= 60; err 5, out
            predicted(1, at(9, 30), at(10, 0), 5, w30),  # 30: first <= 30; err 0, in
            predicted(1, at(9, 55), at(10, 2), 2, w30),  # 7: first <= 10; err 2, in (bound)
            # 2: came 11:00; never more than 120 ahead
            predicted(2, at(9, 30), at(11, 20), 10, win(10, 30, 11, 30)),  # 110
            predicted(2, at(10, 0), at(10, 40), 10, win(10, 30, 11, 30)),  # 40: <= 60; err 20
            predicted(2, at(10, 20), at(10, 50), 9, win(10, 30, 11, 30)),  # 30: <= 30; err 10
            # 3: never came; 4: came, but only ever predicted 5 min ahead
            predicted(3, at(7, 0), at(10, 0), 10, w60),
            predicted(4, at(8, 0), at(8, 5), 10, w60),
        ],
        arrivals=arrived(t1=at(10, 0), t2=at(11, 0), t4=at(8, 6)),
    )


def test_eta_error_by_horizon() -> None:
    # 120: 1 (10) -> 10.0;  60: 1 (5), 2 (20) -> 12.5;  30: 1 (0), 2 (10) -> 5.0;
    # 10: 1 (2) -> 2.0  (2 never came within 10 min ahead)
    m = metrics(horizon_day())
    assert m["eta_mae_min_by_horizon"] == {"120": 10.0, "60": 12.5, "30": 5.0, "10": 2.0}


def test_window_width_by_horizon() -> None:
    # 120: 60;  60: 30 and 60 -> 45;  30: 30 and 60 -> 45;  10: 30
    m = metrics(horizon_day())
    assert m["window_width_min_by_horizon"] == {"120": 60.0, "60": 45.0, "30": 45.0, "10": 30.0}


def test_interval_coverage_by_horizon() -> None:
    # 120: 1/1;  60: 1 out (5 > 4), 2 out (20 > 10) -> 0;  30: 1 in, 2 out (10 > 9)
    # -> 0.5;  10: 1 in (2 <= 2) -> 1
    d = horizon_day()
    assert metrics(d)["interval_coverage_by_horizon"] == {
        "120": 1.0,
        "60": 0.0,
        "30": 0.5,
        "10": 1.0,
    }
    assert counts(d)["interval_coverage_by_horizon"] == {
        "120": {"n": 1, "of": 1},
        "60": {"n": 0, "of": 2},
        "30": {"n": 1, "of": 2},
        "10": {"n": 1, "of": 1},
    }


def test_a_horizon_without_samples_is_none() -> None:
    d = day(
        predictions=[
            predicted(1, at(9, 0), at(9, 40), 5, win(*NINE_TO_TEN)),  # 40 ahead
            predicted(1, at(9, 20), at(9, 40), 5, win(*NINE_TO_TEN)),  # 20 ahead
        ],
        arrivals=arrived(t1=at(9, 45)),
    )
    # never more than 60 ahead: no 120, no 60; never 10 or less ahead: no 10.
    # 30: the 09:20 one, err 5 -> covered (5 <= 5)
    assert metrics(d)["eta_mae_min_by_horizon"] == {"120": None, "60": None, "30": 5.0, "10": None}
    assert metrics(d)["interval_coverage_by_horizon"]["30"] == 1.0


# --- disruptions --------------------------------------------------------------------------


def disrupted_day() -> DayRecord:
    return day(
        disruptions=[
            Disruption("breakdown", at(9, 0), 1, affected=(1, 2), offered=(1, 2), unplaced=(3,)),
            Disruption("sick", at(10, 0), 2, affected=(1, 3), offered=(4,)),
        ],
        told=[
            booked(1, win(*NINE_TO_TEN)),  # before the disruption: not an answer to it
            told(1, at(9, 1, 30), "force_majeure"),  # 90 s after 09:00
            told(2, at(9, 0, 45), "force_majeure"),  # 45 s
            told(1, at(10, 0), "rebooked", win(13, 0, 14, 0)),  # 0 s after 10:00
            # 3 is never told
        ],
    )


def test_disruption_to_message_is_the_slowest_first_message() -> None:
    # pairs: (09:00, 1) 90 s, (09:00, 2) 45 s, (10:00, 1) 0 s, (10:00, 3) none -> max 90
    d = disrupted_day()
    assert metrics(d)["disruption_to_message_s_max"] == 90.0
    c = counts(d)
    assert (c["disruption_to_message_s_max"], c["untold_affected"]) == ({"n": 3, "of": 4}, 1)


def test_disruption_to_message_is_none_without_affected_or_without_any_message() -> None:
    nobody = day(disruptions=[Disruption("slowdown", at(9, 0), None)])
    untold = day(disruptions=[Disruption("sick", at(9, 0), 1, affected=(5,))])
    assert metrics(nobody)["disruption_to_message_s_max"] is None
    assert metrics(untold)["disruption_to_message_s_max"] is None
    assert counts(untold)["untold_affected"] == 1


def test_rebook_offered_rate() -> None:
    # offered 2 + 1, unplaced 1 -> 3 / 4
    assert metrics(disrupted_day())["rebook_offered_rate"] == 0.75


# --- customers ----------------------------------------------------------------------------


def test_messages_per_customer_max() -> None:
    # ticket 1 got the booking, the force majeure and the rebooked message
    assert metrics(disrupted_day())["messages_per_customer_max"] == 3


def test_contacts_and_unassigned_are_counted() -> None:
    d = day(contacts=[(1, at(9, 30)), (1, at(9, 45)), (2, at(10, 0))], unassigned=(7, 8))
    m = metrics(d)
    assert (m["where_is_my_technician_contacts"], m["unassigned_tickets"]) == (3, 2)


def test_first_time_fix_leaves_repeat_visits_out() -> None:
    # first visits 1 fixed, 2 failed, 5 fixed -> 2 of 3; repeats 3 and 4 left out
    d = day(
        outcomes={
            1: Outcome(1, at(10, 0), fixed=True),
            2: Outcome(2, at(10, 0), fixed=False, why="wrong_part"),
            3: Outcome(3, at(11, 0), fixed=True, repeat=True),
            4: Outcome(4, at(11, 0), fixed=False, repeat=True),
            5: Outcome(5, at(12, 0), fixed=True),
        }
    )
    assert metrics(d)["first_time_fix_rate"] == 0.6667
    assert counts(d)["first_time_fix_rate"] == {"n": 2, "of": 3}


def test_customer_speed_index_is_the_median_from_asking_to_the_door() -> None:
    # 1: 08:00 -> 08:20:20 = 20.33 min; 2: the day before 23:30 -> 01:00 = 90 min;
    # 3 never came, 4 has no created time.   median(20.33, 90) = 55.17 -> 55.2
    d = day(
        created={1: at(8, 0), 2: at(0, 0) - timedelta(minutes=30), 3: at(6, 0)},
        arrivals=arrived(t1=at(8, 20, 20), t2=at(1, 0), t4=at(9, 0)),
    )
    assert metrics(d)["customer_speed_index_min_median"] == 55.2


def test_nps_is_promoters_minus_detractors_in_percent() -> None:
    # promoters 10, 9, 10 (3); passives 8, 7; detractors 6, 0 (2); (3 - 2) / 7 = 14.29 %
    d = day(nps=[10, 9, 8, 7, 6, 0, 10])
    assert metrics(d)["nps"] == 14.3
    assert counts(d)["nps"] == {"promoters": 3, "detractors": 2, "scores": 7}


# --- the fleet ----------------------------------------------------------------------------


def test_travel_and_overtime_over_the_shifts() -> None:
    # km 52.34 + 20 = 72.3; drive 3600 + 1800 over drive + work 5400 + 18000 = 0.2308;
    # overtime: 1 ends 16:25:30 for 16:00 (25.5), 2 early (0), 3 did no work (0)
    d = day(
        shifts=[
            Shift(1, at(8, 0), at(16, 0), at(16, 25, 30), 3600, 10800, 52.34),
            Shift(2, at(8, 0), at(17, 0), at(16, 30), 1800, 7200, 20.0),
            Shift(3, at(8, 0), at(16, 0), None),
        ]
    )
    m = metrics(d)
    assert (m["travel_km"], m["travel_share"], m["overtime_min"]) == (72.3, 0.2308, 25.5)


# --- the whole dict -----------------------------------------------------------------------


def test_an_empty_day_has_no_rates_only_zero_counts() -> None:
    nothing = {"120": None, "60": None, "30": None, "10": None}
    assert metrics(day()) == {
        "on_time_rate": None,
        "first_promise_kept_rate": None,
        "late_announced_rate": None,
        "announce_lead_min_median": None,
        "false_alarm_rate": None,
        "eta_mae_min_by_horizon": nothing,
        "window_width_min_by_horizon": nothing,
        "interval_coverage_by_horizon": nothing,
        "disruption_to_message_s_max": None,
        "rebook_offered_rate": None,
        "messages_per_customer_max": 0,
        "where_is_my_technician_contacts": 0,
        "travel_km": 0.0,
        "travel_share": None,
        "overtime_min": 0.0,
        "unassigned_tickets": 0,
        "first_time_fix_rate": None,
        "customer_speed_index_min_median": None,
        "nps": None,
    }


def full_day() -> DayRecord:
    d = late_day()
    d.predictions = horizon_day().predictions
    d.disruptions = disrupted_day().disruptions
    d.nps = [9, 3]
    return d


def test_the_metrics_have_exactly_the_agreed_keys_and_are_strict_json() -> None:
    m = metrics(full_day())
    assert set(m) == KEYS
    assert json.loads(json.dumps(m, allow_nan=False)) == m
    assert json.loads(json.dumps(counts(full_day()), allow_nan=False))


# --- verdicts and compare -------------------------------------------------------------------


def passing() -> dict[str, object]:
    return {
        "on_time_rate": 0.95,
        "late_announced_rate": 1.0,
        "announce_lead_min_median": 30.0,
        "false_alarm_rate": 0.05,
        "interval_coverage_by_horizon": {"120": 0.75, "60": 0.85, "30": None, "10": 0.8},
        "disruption_to_message_s_max": 120.0,
    }


def test_verdicts_pass_on_the_bounds() -> None:
    assert verdicts(passing(), level=0.80) == dict.fromkeys(TARGETS, True)


def test_verdicts_fail_just_past_the_bounds() -> None:
    m = {
        "on_time_rate": 0.9499,
        "late_announced_rate": 0.9999,
        "announce_lead_min_median": 29.9,
        "false_alarm_rate": 0.0501,
        "interval_coverage_by_horizon": {"120": 0.7499, "60": 0.8, "30": 0.8, "10": 0.8},
        "disruption_to_message_s_max": 120.1,
    }
    assert verdicts(m, level=0.80) == dict.fromkeys(TARGETS, False)


def test_verdicts_use_the_stated_level_and_say_none_without_data() -> None:
    m = passing() | {"interval_coverage_by_horizon": {"120": 0.9, "60": 0.9}}
    assert verdicts(m, level=0.90)["interval_coverage_by_horizon"] is True
    assert verdicts(m, level=0.80)["interval_coverage_by_horizon"] is False
    empty = verdicts(metrics(day()))
    assert empty == dict.fromkeys(TARGETS, None)


def test_compare_subtracts_numbers_into_the_horizons_and_gives_none_otherwise() -> None:
    a = {
        "on_time_rate": 0.9,
        "messages_per_customer_max": 3,
        "nps": None,
        "eta_mae_min_by_horizon": {"120": 10.1, "60": None},
        "travel_km": 100.0,
    }
    b = {
        "on_time_rate": 0.8,
        "messages_per_customer_max": 2,
        "nps": 20.0,
        "eta_mae_min_by_horizon": {"120": 12.3, "60": 4.0},
        "travel_km": 90.5,
    }
    assert compare(a, b) == {
        "on_time_rate": -0.1,
        "messages_per_customer_max": -1,
        "nps": None,
        "eta_mae_min_by_horizon": {"120": 2.2, "60": None},
        "travel_km": -9.5,
    }


def test_compare_of_two_real_days_keeps_every_key() -> None:
    base, what_if = metrics(late_day()), metrics(full_day())
    diff = compare(base, what_if)
    assert set(diff) == KEYS
    assert diff["nps"] is None  # the baseline has no scores
    assert diff["late_announced_rate"] == 0.0
    assert diff["interval_coverage_by_horizon"] == {"120": None, "60": None, "30": None, "10": None}


def test_told_before_window_counts_slowdown_customers_warned_before_their_window() -> None:
    from simulator.metrics import told_before_window

    # snow declared at 07:05 for customers 1, 2 and 3:
    # 1 hears at 07:10 of a 09:00-10:00 window: in time;
    # 2 held 08:00-09:00 (told 07:00) and hears only at 08:30: too late;
    # 3 is never told: counted, not in time. A breakdown's customers do not count.
    snow = Disruption("slowdown", at(7, 5), None, affected=(1, 2, 3))
    van = Disruption("breakdown", at(7, 5), 1, affected=(4,))
    d = day(disruptions=[snow, van], told=[
        told(1, at(7, 10), "weather_notice", win(*NINE_TO_TEN)),
        booked(2, win(8, 0, 9, 0), at(7, 0)), told(2, at(8, 30), "weather_notice"),
        told(4, at(7, 6), "force_majeure")])  # fmt: skip
    assert told_before_window(d) == {"n": 1, "of": 3}
