"""Re-optimising the live day keeps every promise and only applies real gains."""

from datetime import timedelta

from dispatch.domain.model import Customer, GeoPoint, TimeWindow
from dispatch.domain.stability import Stability
from dispatch.services.bookings import book
from dispatch.services.replan import replan
from dispatch.services.routes import get_route
from dispatch.services.tickets import NewTicket, create_ticket

# Jan's and Fatima's homes are a few minutes apart: handing Jan the visits next to his
# home saves minutes, not the quarter of an hour per told name the default asks (and
# three visits are far more than the default's 5 % of the told names per replan).
CHEAP_NAMES = Stability(told_move=timedelta(minutes=1), most_share=1.0)


def only(uow, clock, codes):
    with uow:
        for t in uow.technicians.all():
            if t.code not in codes:
                uow.technicians.update_shift(
                    t.id, TimeWindow(clock.now() - timedelta(hours=9), clock.now())
                )
        uow.commit()
        return {t.code: t for t in uow.technicians.all() if t.code in codes}


def book_next_to(fleet, clock, travel, near, booked_with, n=3):
    """n cable releases next to one technician's home, booked with another on purpose."""
    ids = []
    for k in range(n):
        spot = GeoPoint(near.home.lat + 0.003 * (k + 1), near.home.lon)
        t = create_ticket(
            fleet, clock, travel,
            NewTicket(Customer(f"C{k}", email=f"c{k}@example.org"), spot, "cable_stuck",
                      frozenset({"cable_release"}),
                      timedelta(minutes=20)),
            quote_only=True,
        )  # fmt: skip
        book(fleet, clock, travel, t.ticket.id, booked_with.id)
        ids.append(t.ticket.id)
    return ids


def test_a_visit_booked_far_away_moves_to_the_nearby_technician(fleet, clock, travel, backend):
    techs = only(fleet, clock, {"cpo-jan", "cpo-fatima"})
    jan, fatima = techs["cpo-jan"], techs["cpo-fatima"]
    ids = book_next_to(fleet, clock, travel, jan, fatima)
    promised = {v.ticket_id: v.window for v in get_route(fleet, fatima.id).stops}

    report = replan(fleet, clock, travel, time_limit_s=1.0, stability=CHEAP_NAMES)
    assert report.applied, report.reason
    assert report.travel_after_s < report.travel_before_s
    assert report.moved >= 1
    on_jan = {v.ticket_id: v for v in get_route(fleet, jan.id).stops}
    assert set(on_jan) & set(ids)
    for tid in ids:  # wherever each visit went, its customer's promise holds
        v = on_jan.get(tid) or next(
            s for s in get_route(fleet, fatima.id).stops if s.ticket_id == tid
        )
        assert v.window == promised[tid]
        assert v.window.start <= v.eta <= v.window.end

    again = replan(fleet, clock, travel, time_limit_s=1.0, stability=CHEAP_NAMES)
    assert not again.applied  # nothing left to gain: the day is not reshuffled


def test_a_customer_told_a_name_keeps_it_when_the_gain_is_under_the_threshold(
    fleet, clock, travel, backend
):
    """The same day as above: moving the visits saves a few minutes of driving, under
    the 15 minutes per told name, so nobody is handed to Jan and nobody hears a word."""
    techs = only(fleet, clock, {"cpo-jan", "cpo-fatima"})
    jan, fatima = techs["cpo-jan"], techs["cpo-fatima"]
    ids = book_next_to(fleet, clock, travel, jan, fatima)

    report = replan(fleet, clock, travel, time_limit_s=1.0)

    assert report.moved == 0 and report.told == len(ids)
    assert {v.ticket_id for v in get_route(fleet, fatima.id).stops} == set(ids)
    with fleet:
        assert all(k == "VisitBooked" for t in ids for k, _ in fleet.outbox.for_ticket(t))


def test_a_customer_already_late_does_not_block_the_rest_of_the_day(fleet, clock, travel, backend):
    # Three visits next to Jan, booked with Fatima; then the morning runs away from
    # the plan so that the first promise cannot be kept by anyone any more. The
    # replan may not refuse to improve anything ("would drop") because of that: the
    # late promise turns soft, the visits still move to Jan, and nobody waits longer.
    techs = only(fleet, clock, {"cpo-jan", "cpo-fatima"})
    jan, fatima = techs["cpo-jan"], techs["cpo-fatima"]
    ids = book_next_to(fleet, clock, travel, jan, fatima)
    first_end = min(v.window.end for v in get_route(fleet, fatima.id).stops)
    clock.set(first_end + timedelta(minutes=1))  # nobody can keep the first promise now
    assert clock.now() < min(jan.shift.end, fatima.shift.end)

    report = replan(fleet, clock, travel, time_limit_s=1.0, stability=CHEAP_NAMES)
    assert report.applied, report.reason
    assert report.moved >= 1
    assert set(ids) & {v.ticket_id for v in get_route(fleet, jan.id).stops}


def test_a_day_already_running_past_its_shift_end_can_still_be_improved(
    fleet, clock, travel, backend
):
    techs = only(fleet, clock, {"cpo-jan", "cpo-fatima"})
    jan, fatima = techs["cpo-jan"], techs["cpo-fatima"]
    # a fast-charger repair only Fatima can do, and three visits next to Jan on her day
    dc = create_ticket(
        fleet, clock, travel,
        NewTicket(Customer("DC"), GeoPoint(fatima.home.lat + 0.01, fatima.home.lon),
                  "dc_fault", frozenset({"dc_fast_charger"}), timedelta(minutes=60)),
        quote_only=True,
    )  # fmt: skip
    book(fleet, clock, travel, dc.ticket.id, fatima.id)
    ids = book_next_to(fleet, clock, travel, jan, fatima)
    with fleet:  # Fatima has to leave early: her booked day no longer fits
        fleet.technicians.update_shift(
            fatima.id, TimeWindow(fatima.shift.start, clock.now() + timedelta(minutes=30))
        )
        fleet.commit()

    # three of her four told visits to Jan: far above 5 % of the names (the cap's test is
    # in test_stability); here, that a day past its shift end is not refused outright
    report = replan(fleet, clock, travel, time_limit_s=1.0, stability=Stability(most_share=1.0))
    assert report.applied, report.reason  # not "would drop": she is already running over
    assert set(ids) & {v.ticket_id for v in get_route(fleet, jan.id).stops}
    assert dc.ticket.id in {v.ticket_id for v in get_route(fleet, fatima.id).stops}


def test_a_customer_whose_technician_changes_is_told_who_comes_once(
    fleet, clock, travel, backend, tmp_path
):
    from zoneinfo import ZoneInfo

    from dispatch.notify.channels import FileSink
    from dispatch.services.deliver import send_due
    from dispatch.services.message_log import ticket_messages
    from dispatch.services.messages import Links, plan_messages

    techs = only(fleet, clock, {"cpo-jan", "cpo-fatima"})
    jan, fatima = techs["cpo-jan"], techs["cpo-fatima"]
    ids = book_next_to(fleet, clock, travel, jan, fatima)
    assert replan(fleet, clock, travel, time_limit_s=1.0, stability=CHEAP_NAMES).applied
    moved = {v.ticket_id for v in get_route(fleet, jan.id).stops} & set(ids)
    assert moved
    with fleet:
        kinds = {tid: [k for k, _ in fleet.outbox.for_ticket(tid)] for tid in ids}
    for tid in ids:
        expected = ["VisitBooked", "VisitReassigned"] if tid in moved else ["VisitBooked"]
        assert kinds[tid] == expected
    links, zone = Links("http://x.example"), ZoneInfo("Europe/Brussels")
    plan_messages(fleet, clock, links, zone)
    send_due(fleet, clock, {"email": FileSink(tmp_path)})
    clock.advance(timedelta(minutes=16))  # past the rate limit after the confirmation
    plan_messages(fleet, clock, links, zone)
    send_due(fleet, clock, {"email": FileSink(tmp_path)})
    for tid in ids:
        told = [(m.kind, m.status.value) for m in ticket_messages(fleet, tid)]
        expected = [("booking_confirmation", "sent")]
        if tid in moved:
            expected.append(("technician_changed", "sent"))
        assert told == expected
    first = jan.name.split()[0]
    assert any(first in p.read_text(encoding="utf-8") for p in tmp_path.glob("*.eml"))
