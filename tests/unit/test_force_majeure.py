"""Force majeure on a fixture day with an injected clock (issue 14, acceptance 1, 2, 4):
a breakdown at 11:00 with a two-hour repair; every affected customer moved with their
window kept, kept with Jan, or offered new appointments with the first held; the
started visit flagged; each customer told once; the customer's answer through the
tracking link; a hold that runs out; an absence over later dates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from builders import BRUSSELS, TRAVEL, demo_fleet, only_on_shift, quoted, technician
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.calendar import DayKind, Hours, WeeklyPattern
from dispatch.domain.disruption import DisruptionKind
from dispatch.domain.errors import Conflict
from dispatch.domain.events import ForceMajeure
from dispatch.domain.fieldstate import Activity, FieldState
from dispatch.domain.force_majeure import EffectKind, OfferStatus
from dispatch.domain.message_rules import kind_for
from dispatch.domain.model import GeoPoint, TicketStatus, TimeWindow, VisitStatus
from dispatch.services.bookings import book
from dispatch.services.disruptions import (
    NewDisruption,
    audit,
    end_disruption,
    record_disruption,
)
from dispatch.services.force_majeure import handle_pending
from dispatch.services.offers import OfferPolicy
from dispatch.services.quote import quote
from dispatch.services.refresh import refresh_etas
from dispatch.services.reschedule import StaleOffer, confirm_expired, reschedule
from dispatch.services.slot_booking import book_slot
from dispatch.store.event_codec import from_record

ZONE = "Europe/Brussels"
TUESDAY = date(2026, 11, 24)
H = timedelta(hours=1)
WEEK = WeeklyPattern(ZONE, {d: Hours(time(8, 0), time(17, 0)) for d in range(5)})
POLICY = OfferPolicy(ZONE, hold=timedelta(hours=2))


def at(hh: int, mm: int = 0, day: date = TUESDAY) -> datetime:
    return datetime.combine(day, time(hh, mm), BRUSSELS)


def appointment(uow: FakeUnitOfWork, ticket_id: int) -> TimeWindow | None:
    """The window the customer holds now: on a later date's plan, or on a live route."""
    with uow:
        planned = uow.day_plans.of_ticket(ticket_id)
        ticket = uow.tickets.get(ticket_id)
    if planned is not None:
        return planned.window
    return ticket.visit.window if ticket and ticket.visit else None


def messages(uow: FakeUnitOfWork, ticket_id: int, since: datetime) -> list[str]:
    """The customer messages the outbox events since ``since`` become, in order."""
    with uow:
        rows = uow.outbox.for_ticket(ticket_id)
    events = [from_record(kind, payload) for kind, payload in rows]
    return [k.value for e in events if e.at >= since and (k := kind_for(e)) is not None]


@pytest.fixture
def day() -> tuple[FakeUnitOfWork, FakeClock, dict[str, int]]:
    """Jan with four visits booked at 09:00; Fatima works 13:30-16:00 today; both have a
    calendar for later dates. At 11:00 Jan is on site at the first visit."""
    clock = FakeClock(at(9))
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan", "cpo-fatima")
    jan, fatima = technician(uow, "cpo-jan"), technician(uow, "cpo-fatima")
    with uow:
        uow.technicians.update_shift(fatima.id, TimeWindow(at(13, 30), at(16)))
        for t in (jan, fatima):
            uow.calendars.set_pattern(t.id, WEEK, clock.now())
        uow.commit()
    ids: dict[str, int] = {}
    for name, k, wanted in (("started", 1, (9, 12)), ("early", 2, (11, 13)),
                            ("late", 3, (14, 16))):  # fmt: skip
        spot = GeoPoint(jan.home.lat + 0.006 * k, jan.home.lon + 0.006 * k)
        created = quoted(uow, clock, where=spot, window=TimeWindow(at(*wanted[:1]),
                                                                   at(wanted[1])))  # fmt: skip
        book(uow, clock, TRAVEL, created.ticket.id, jan.id)
        ids[name] = created.ticket.id
    clock.set(at(11))
    with uow:
        route = uow.routes.get(jan.id)
        route.set_status(ids["started"], VisitStatus.STARTED, clock.now())
        uow.routes.save(route)
        uow.technicians.set_field_state(jan.id, FieldState(Activity.WORKING, ids["started"]))
        uow.commit()
    ids["jan"], ids["fatima"] = jan.id, fatima.id
    return uow, clock, ids


def breakdown(uow: FakeUnitOfWork, clock: FakeClock, tech: int, hours: float = 2) -> int:
    d = record_disruption(uow, clock, NewDisruption(
        DisruptionKind.BREAKDOWN, clock.now() + hours * H, "our van broke down on the A12",
        tech))  # fmt: skip
    handle_pending(uow, clock, lambda: TRAVEL, POLICY)
    return d.id


def test_a_breakdown_at_eleven_moves_offers_flags_and_tells_each_customer_once(day) -> None:
    uow, clock, ids = day
    d = breakdown(uow, clock, ids["jan"])
    effects = {e.ticket_id: e for e in audit(uow, d).effects}
    assert effects[ids["started"]].kind == EffectKind.STARTED
    assert effects[ids["started"]].needs_attention
    assert effects[ids["late"]].kind == EffectKind.MOVED
    assert effects[ids["late"]].to_technician_id == ids["fatima"]
    assert effects[ids["early"]].kind == EffectKind.OFFERED
    since = at(11)
    assert messages(uow, ids["started"], since) == []  # he is with them: nothing to say
    assert effects[ids["started"]].told is None
    assert messages(uow, ids["late"], since) == ["technician_changed"]
    assert messages(uow, ids["early"], since) == ["force_majeure"]
    with uow:
        offer = uow.offers.latest(ids["early"])
        ticket = uow.tickets.get(ids["early"])
        fm = next(from_record(k, p) for k, p in uow.outbox.for_ticket(ids["early"])
                  if k == "ForceMajeure")  # fmt: skip
    assert offer is not None and len(offer.slots) >= 2 and offer.status == OfferStatus.HELD
    assert isinstance(fm, ForceMajeure) and fm.held == offer.held.window
    assert list(fm.alternatives) == [s.window for s in offer.slots[1:]]
    assert ticket is not None and ticket.status == TicketStatus.ASSIGNED
    assert appointment(uow, ids["early"]) == offer.held.window  # held: booked for them
    assert fm.cause == "breakdown" and fm.note == "our van broke down on the A12"
    # a rerun (the scheduler's job after a crash) tells nobody twice
    handle_pending(uow, clock, lambda: TRAVEL, POLICY)
    with uow:
        uow.disruptions.end(d, clock.now())
        uow.commit()
    assert messages(uow, ids["early"], since) == ["force_majeure"]


def test_the_customer_he_was_driving_to_hears_the_repair_estimate_and_is_flagged(day):
    uow, clock, ids = day
    with uow:  # the first visit done; on his way to the next when the van stops
        route = uow.routes.get(ids["jan"])
        route.set_status(ids["started"], VisitStatus.COMPLETED, clock.now())
        route.set_status(ids["early"], VisitStatus.EN_ROUTE, clock.now())
        uow.routes.save(route)
        uow.technicians.set_field_state(ids["jan"], FieldState(Activity.DRIVING, ids["early"]))
        uow.commit()
    d = breakdown(uow, clock, ids["jan"])
    effect = next(e for e in audit(uow, d).effects if e.ticket_id == ids["early"])
    assert effect.kind == EffectKind.STARTED and effect.needs_attention
    assert messages(uow, ids["early"], at(11)) == ["on_the_way", "force_majeure"]
    with uow:
        told = [from_record(k, p) for k, p in uow.outbox.for_ticket(ids["early"])][-1]
    assert isinstance(told, ForceMajeure) and told.held is None and told.back_at == at(13)


def test_jan_is_offered_to_nobody_until_his_repair_ends(day) -> None:
    uow, clock, ids = day
    breakdown(uow, clock, ids["jan"])
    new = quoted(uow, clock, where=GeoPoint(51.08, 4.29)).ticket
    with uow:
        names = {c.technician.id for c in quote(uow, new, clock.now(), TRAVEL).candidates}
    assert ids["jan"] not in names
    clock.set(at(13, 5))
    with uow:
        names = {c.technician.id for c in quote(uow, new, clock.now(), TRAVEL).candidates}
    assert ids["jan"] in names


def test_a_visit_his_return_still_keeps_stays_with_him_and_nobody_is_told(day) -> None:
    uow, clock, ids = day
    only_on_shift(uow, clock, "cpo-jan")  # Fatima goes home: nobody takes the late visit
    d = breakdown(uow, clock, ids["jan"], hours=1)
    effects = {e.ticket_id: e.kind for e in audit(uow, d).effects}
    assert effects[ids["late"]] == EffectKind.KEPT
    assert messages(uow, ids["late"], at(11)) == []


def offered(uow: FakeUnitOfWork, clock: FakeClock, ids: dict[str, int]):  # type: ignore[no-untyped-def]
    breakdown(uow, clock, ids["jan"])
    with uow:
        offer = uow.offers.latest(ids["early"])
        token = uow.tickets.get(ids["early"]).tracking_token  # type: ignore[union-attr]
    assert offer is not None
    return offer, token


def test_choosing_another_time_books_it_and_releases_the_held_one(day) -> None:
    uow, clock, ids = day
    offer, token = offered(uow, clock, ids)
    clock.advance(timedelta(minutes=5))
    done = reschedule(uow, clock, TRAVEL, token, 1, None, POLICY)
    assert done.offer.status == OfferStatus.CHOSEN and done.offer.chosen == 1
    now_held = appointment(uow, ids["early"])  # one appointment (a ticket is in one place)
    assert now_held is not None and now_held == done.window != offer.held.window
    chosen = offer.slots[1].window
    assert chosen.start <= now_held.start <= now_held.end <= chosen.end
    assert messages(uow, ids["early"], at(11)) == ["force_majeure", "rebooked"]
    with pytest.raises(Conflict, match="chosen already"):
        reschedule(uow, clock, TRAVEL, token, 0, None, POLICY)


def test_keeping_the_held_one_confirms_it_and_tells_the_customer(day) -> None:
    uow, clock, ids = day
    offer, token = offered(uow, clock, ids)
    done = reschedule(uow, clock, TRAVEL, token, 0, None, POLICY)
    assert done.window == offer.held.window
    assert messages(uow, ids["early"], at(11)) == ["force_majeure", "rebooked"]


def test_a_hold_that_runs_out_is_confirmed_and_told_and_cannot_be_changed_after(day) -> None:
    uow, clock, ids = day
    offer, token = offered(uow, clock, ids)
    assert confirm_expired(uow, clock) == 0  # still waiting
    clock.set(offer.hold_until + timedelta(minutes=1))
    assert confirm_expired(uow, clock) == 1
    assert confirm_expired(uow, clock) == 0  # once
    with uow:
        final = uow.offers.latest(ids["early"])
    assert final is not None and final.status == OfferStatus.CONFIRMED
    assert messages(uow, ids["early"], at(11)) == ["force_majeure", "rebooked"]
    with pytest.raises(Conflict, match="confirmed"):
        reschedule(uow, clock, TRAVEL, token, 1, None, POLICY)


def test_a_time_taken_meanwhile_is_a_conflict_with_fresh_times_and_the_held_one_stays(day):
    uow, clock, ids = day
    offer, token = offered(uow, clock, ids)
    taken = offer.slots[1]
    with uow:  # whoever had that time is away that whole day now
        record_disruption(uow, clock, NewDisruption(
            DisruptionKind.UNAVAILABLE, datetime.combine(taken.day, time(23), BRUSSELS),
            "training", taken.technician_id,
            start=datetime.combine(taken.day, time(0), BRUSSELS)))  # fmt: skip
    with pytest.raises(StaleOffer) as stale:
        reschedule(uow, clock, TRAVEL, token, 1, None, POLICY)
    fresh = stale.value.offer
    assert fresh.held == offer.held and len(fresh.slots) >= 2
    assert all(s.technician_id != taken.technician_id or s.day != taken.day
               for s in fresh.slots[1:])  # fmt: skip
    assert appointment(uow, ids["early"]) == offer.held.window  # still theirs


def test_asking_for_another_day_books_the_best_time_that_day(day) -> None:
    uow, clock, ids = day
    _, token = offered(uow, clock, ids)
    friday = date(2026, 11, 27)
    done = reschedule(uow, clock, TRAVEL, token, None, friday, POLICY)
    assert done.window.start.astimezone(BRUSSELS).date() == friday
    with uow:
        a = uow.day_plans.of_ticket(ids["early"])
    assert a is not None and a.day == friday


def test_sick_for_days_follows_the_calendar_and_moves_his_later_appointments(day) -> None:
    """Acceptance 4: sick from 11:00 until Thursday evening. Today's work goes as for a
    breakdown (without a repair end); Wednesday and Thursday become sick days in his
    calendar, and his Wednesday appointment goes to Fatima in the same window."""
    uow, clock, ids = day
    wednesday = TUESDAY + timedelta(days=1)
    later = quoted(uow, clock, where=GeoPoint(51.08, 4.30)).ticket
    with uow:
        jan_day = uow.day_plans.get(ids["jan"], wednesday)
    slot_start = at(10, 0, wednesday)
    book_slot(uow, clock, TRAVEL, later.id, ids["jan"], wednesday, slot_start, jan_day.version)
    clock.advance(timedelta(minutes=1))
    thursday_evening = at(20, 0, TUESDAY + timedelta(days=2))
    d = record_disruption(uow, clock, NewDisruption(DisruptionKind.UNAVAILABLE, thursday_evening,
                                                    "ill", ids["jan"]))  # fmt: skip
    handle_pending(uow, clock, lambda: TRAVEL, POLICY)
    with uow:
        exceptions = uow.calendars.exceptions(ids["jan"], wednesday, wednesday + timedelta(1))
        moved = uow.day_plans.of_ticket(later.id)
    assert [e.kind for e in exceptions.values()] == [DayKind.SICK, DayKind.SICK]
    assert moved is not None and moved.technician_id == ids["fatima"]
    assert moved.window.start == slot_start
    assert messages(uow, later.id, at(11, 1)) == ["technician_changed"]
    effects = {e.ticket_id: e.kind for e in audit(uow, d.id).effects}
    assert effects[later.id] == EffectKind.MOVED and effects[ids["early"]] == EffectKind.OFFERED


def test_a_repair_done_sooner_changes_no_appointment_so_nobody_hears_again(day) -> None:
    """The held, moved and kept appointments stand; the ETA refresh after the early end
    re-times Jan's remaining work inside its windows, silently."""
    uow, clock, ids = day
    d = breakdown(uow, clock, ids["jan"])
    refresh_etas(uow, clock, TRAVEL)  # what the minute's refresh says anyway
    before = {t: messages(uow, t, at(11)) for t in (ids["started"], ids["early"], ids["late"])}
    clock.advance(timedelta(minutes=30))
    end_disruption(uow, clock, d)
    refresh_etas(uow, clock, TRAVEL)
    handle_pending(uow, clock, lambda: TRAVEL, POLICY)
    after = {t: messages(uow, t, at(11)) for t in before}
    assert after == before


# -- found by trying the product ---------------------------------------------------------


def test_a_breakdown_while_on_site_keeps_nothing_his_repair_makes_late(day) -> None:
    """Jan on site at 11:00, the van out until 14:00: his later visits cannot wait for
    him (the ETA of the rest counts from the repair, not from the end of this job)."""
    uow, clock, ids = day
    only_on_shift(uow, clock, "cpo-jan")
    d = breakdown(uow, clock, ids["jan"], hours=3)
    effects = {e.ticket_id: e.kind for e in audit(uow, d).effects}
    assert effects[ids["early"]] == EffectKind.OFFERED  # 11:00-13:00: he is back at 14:00


def test_an_absence_declared_ahead_marks_its_days_at_once_and_is_handled_when_it_begins(day):
    uow, clock, ids = day
    thursday = TUESDAY + timedelta(days=2)
    later = quoted(uow, clock, where=GeoPoint(51.08, 4.30)).ticket
    with uow:
        version = uow.day_plans.get(ids["jan"], thursday).version
    book_slot(uow, clock, TRAVEL, later.id, ids["jan"], thursday, at(10, 0, thursday), version)
    d = record_disruption(uow, clock, NewDisruption(
        DisruptionKind.UNAVAILABLE, at(23, 0, thursday), "training", ids["jan"],
        start=at(0, 0, thursday)))  # fmt: skip
    handle_pending(uow, clock, lambda: TRAVEL, POLICY)  # Tuesday: not begun, its days are
    with uow:
        sick = uow.calendars.exceptions(ids["jan"], thursday, thursday)
        moved = uow.day_plans.of_ticket(later.id)
        assert uow.disruptions.get(d.id).handled_at is None  # type: ignore[union-attr]
    assert [e.kind for e in sick.values()] == [DayKind.SICK]
    assert moved is not None and moved.technician_id == ids["fatima"]
    clock.set(at(0, 1, thursday))
    handle_pending(uow, clock, lambda: TRAVEL, POLICY)
    with uow:
        assert uow.disruptions.get(d.id).handled_at is not None  # type: ignore[union-attr]
    assert messages(uow, later.id, at(11)) == ["booking_confirmation", "technician_changed"]


def test_a_hold_counts_from_when_the_customer_can_read_the_offer() -> None:
    from dispatch.services.offers import hold_until

    night = at(0, 30, TUESDAY + timedelta(days=1))
    held = TimeWindow(at(13, 0, night.date()), at(15, 0, night.date()))
    assert hold_until(night, held, POLICY) == at(9, 0, night.date())  # 07:00 + 2 h


def test_ending_an_absence_early_gives_back_the_days_it_no_longer_covers(day) -> None:
    uow, clock, ids = day
    friday = TUESDAY + timedelta(days=3)
    d = record_disruption(uow, clock, NewDisruption(
        DisruptionKind.UNAVAILABLE, at(20, 0, friday), "ill", ids["jan"]))  # fmt: skip
    handle_pending(uow, clock, lambda: TRAVEL, POLICY)
    with uow:
        assert len(uow.calendars.exceptions(ids["jan"], TUESDAY, friday)) == 3  # wed-fri
    clock.set(at(18, 0, TUESDAY + timedelta(days=1)))  # better on Wednesday evening
    end_disruption(uow, clock, d.id)
    with uow:
        left = uow.calendars.exceptions(ids["jan"], TUESDAY, friday)
    assert sorted(left) == [TUESDAY + timedelta(days=1)]  # the day already lived stays


def test_a_second_phone_breakdown_while_one_lasts_is_not_a_second_record(day) -> None:
    from dispatch.domain.fieldstate import EventType, FieldEvent
    from dispatch.services.field_events import record_events

    uow, clock, ids = day
    for k, minutes in ((1, 120), (2, 200)):
        report = FieldEvent(f"bd-{k}", EventType.BREAKDOWN, clock.now(),
                            delay=timedelta(minutes=minutes))  # fmt: skip
        record_events(uow, clock, TRAVEL, ids["jan"], [report])
        clock.advance(timedelta(minutes=1))
    with uow:
        mine = [x for x in uow.disruptions.recent(10) if x.technician_id == ids["jan"]]
    assert len(mine) == 1 and mine[0].expected_end == at(13)
