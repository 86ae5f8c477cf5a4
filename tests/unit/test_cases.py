"""A case closes when the customer says so (issue 15, acceptance 1 and 5), with an
injected clock on the fake unit of work: each transition once, in the case's history."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import BRUSSELS, TRAVEL, demo_fleet, quoted, technician
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.case import CaseEventKind, Feedback
from dispatch.domain.errors import Conflict, InvalidInput
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.followup import Outcome
from dispatch.domain.model import GeoPoint, Priority, TicketStatus
from dispatch.domain.service_hours import ServiceHours
from dispatch.services.bookings import book
from dispatch.services.cases import cancel, confirm, history
from dispatch.services.field_events import record_events
from dispatch.services.followups import (
    FollowUpPolicy,
    close_unanswered,
    due_calls,
    plan_calls,
    record_outcome,
)
from dispatch.services.quote import quote
from dispatch.services.repeats import make_repeats
from dispatch.services.routes import get_route

MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=BRUSSELS)
POLICY = FollowUpPolicy("Europe/Brussels", ServiceHours.parse(
    "mon-fri 08:00-18:00, sat 09:00-13:00", "Europe/Brussels"))  # fmt: skip


def visited(outcome: str, note: str = "", before=None):  # type: ignore[no-untyped-def]
    """Jan's visit to a customer, reported done or failed through his phone; ``before``
    writes an earlier history first."""
    clock = FakeClock(MONDAY_9)
    uow = demo_fleet(clock)
    if before is not None:
        before(uow, clock)
    jan = technician(uow, "cpo-jan")
    t = quoted(uow, clock, where=GeoPoint(jan.home.lat + 0.01, jan.home.lon)).ticket
    book(uow, clock, TRAVEL, t.id, jan.id)
    steps = [("en_route", 0), ("arrived", 20), ("started", 21), (outcome, 50)]
    for k, (kind, minute) in enumerate(steps):
        clock.set(MONDAY_9 + timedelta(minutes=minute))
        record_events(uow, clock, TRAVEL, jan.id, [FieldEvent(
            f"e{k}", EventType(kind), clock.now(), ticket_id=t.id,
            note=note if kind == outcome else None)])  # fmt: skip
    with uow:
        ticket = uow.tickets.get(t.id)
    assert ticket is not None
    return uow, clock, ticket, jan


def kinds(uow: FakeUnitOfWork, ticket_id: int) -> list[str]:
    return [e.what for e in history(uow, ticket_id)
            if e.what in {k.value for k in CaseEventKind}]  # fmt: skip


def test_completed_then_confirmed_solved_closes_the_case_once() -> None:
    uow, clock, ticket, _ = visited("completed")
    assert ticket.status == TicketStatus.COMPLETED  # done by the technician: not closed yet
    clock.advance(timedelta(hours=2))
    assert confirm(uow, clock, ticket.tracking_token, Feedback(True, "thanks", 9)) == "done"
    assert kinds(uow, ticket.id) == ["visit_completed", "confirmed", "closed"]
    with pytest.raises(Conflict, match="closed already"):
        confirm(uow, clock, ticket.tracking_token, Feedback(True))
    [said] = [e for e in history(uow, ticket.id) if e.what == "confirmed"]
    assert said.detail["nps"] == 9 and said.actor == "customer"


def test_not_solved_makes_an_urgent_repeat_with_the_reason_for_someone_else() -> None:
    uow, clock, ticket, jan = visited("completed")
    confirm(uow, clock, ticket.tracking_token, Feedback(False, "the cable is still locked"))
    assert make_repeats(uow, clock, TRAVEL) == 1
    assert make_repeats(uow, clock, TRAVEL) == 0  # once
    with uow:
        [repeat] = [t for t in uow.tickets.list() if t.repeat_of == ticket.id]
    assert repeat.factors.repeat_visit and repeat.problem == "the cable is still locked"
    assert repeat.priority == Priority.URGENT  # 30 + 20 points: it may push normal work
    assert repeat.service == ticket.service + timedelta(minutes=15)  # door time
    assert repeat.visit is not None and repeat.visit.technician_id != jan.id
    assert kinds(uow, ticket.id) == ["visit_completed", "not_solved", "repeat_created"]
    stop = get_route(uow, repeat.visit.technician_id).problems  # on the technician's list
    assert stop[repeat.id] == "the cable is still locked"


def test_a_failed_visit_gets_its_repeat_and_the_first_technician_only_if_nobody_else_can():
    uow, clock, ticket, jan = visited("failed", "customer not home")
    assert ticket.status == TicketStatus.FAILED
    make_repeats(uow, clock, TRAVEL)
    with uow:
        [repeat] = [t for t in uow.tickets.list() if t.repeat_of == ticket.id]
    assert repeat.problem == "customer not home"
    assert repeat.visit is not None and repeat.visit.technician_id != jan.id
    with pytest.raises(Conflict, match=r"repeat visit \d+ carries the case"):
        book(uow, clock, TRAVEL, ticket.id, None)


def test_only_the_first_technician_can_come_so_he_does() -> None:
    from builders import only_on_shift

    uow, clock, ticket, jan = visited("failed", "wrong part")
    only_on_shift(uow, clock, "cpo-jan")
    make_repeats(uow, clock, TRAVEL)
    with uow:
        [repeat] = [t for t in uow.tickets.list() if t.repeat_of == ticket.id]
    assert repeat.visit is not None and repeat.visit.technician_id == jan.id


def test_no_answer_becomes_a_call_inside_contact_hours_then_closes_by_itself() -> None:
    uow, clock, ticket, _ = visited("completed")
    clock.set(MONDAY_9 + timedelta(hours=10))  # Monday 19:00: a day has not passed
    assert plan_calls(uow, clock, POLICY) == 0
    clock.set(datetime(2026, 12, 5, 14, 0, tzinfo=BRUSSELS))  # Saturday 14:00, shut
    assert plan_calls(uow, clock, POLICY) == 1 and plan_calls(uow, clock, POLICY) == 0
    with uow:
        [call] = uow.followups.of(ticket.id)
    assert call.due_at.astimezone(BRUSSELS) == datetime(2026, 12, 7, 8, 0, tzinfo=BRUSSELS)
    clock.set(call.due_at)
    [due] = due_calls(uow, clock)
    record_outcome(uow, clock, due.id, Outcome.NO_ANSWER, "voicemail", POLICY)
    with uow:
        again = uow.followups.of(ticket.id)[-1]
    assert again.attempt == 2 and again.due_at > call.due_at
    with pytest.raises(Conflict, match="answered already"):
        record_outcome(uow, clock, due.id, Outcome.SOLVED, "", POLICY)
    clock.set(MONDAY_9 + timedelta(days=10, hours=1))
    assert close_unanswered(uow, clock, POLICY) == 1
    with uow:
        assert uow.tickets.get(ticket.id).status == TicketStatus.DONE  # type: ignore[union-attr]
    closed = [e for e in history(uow, ticket.id) if e.what == "closed"]
    assert [e.detail["how"] for e in closed] == ["timeout"]


def test_a_friday_evening_completion_is_called_on_saturday_when_the_service_is_open() -> None:
    friday = datetime(2026, 12, 4, 19, 30, tzinfo=BRUSSELS)
    assert POLICY.contact(friday) == datetime(2026, 12, 5, 9, 0, tzinfo=BRUSSELS)
    closed_saturday = FollowUpPolicy("Europe/Brussels")
    assert closed_saturday.contact(friday) == datetime(2026, 12, 7, 9, 0, tzinfo=BRUSSELS)


def test_bad_states_are_clear_conflicts() -> None:
    uow, clock, ticket, _ = visited("completed")
    with pytest.raises(Conflict, match="visit has taken place"):
        cancel(uow, clock, "agent", ticket_id=ticket.id)
    with pytest.raises(Conflict, match="completed; it cannot be booked"):
        book(uow, clock, TRAVEL, ticket.id, None)
    with pytest.raises(InvalidInput, match="0 to 10"):
        Feedback(True, nps=11)
    other = quoted(uow, clock, where=GeoPoint(51.08, 4.29)).ticket
    with pytest.raises(Conflict, match="only a completed visit"):
        confirm(uow, clock, other.tracking_token, Feedback(True))
    cancel(uow, clock, "customer", token=other.tracking_token, why="fixed it myself")
    with pytest.raises(Conflict, match="cancelled"):
        book(uow, clock, TRAVEL, other.id, None)
    with pytest.raises(Conflict, match="cannot be cancelled"):
        cancel(uow, clock, "agent", ticket_id=other.id)


def test_cancelling_frees_the_slot_and_a_failed_ticket_can_be_booked_again() -> None:
    uow, clock, ticket, _ = visited("failed", "could not fix")
    booked = book(uow, clock, TRAVEL, ticket.id, None)  # no repeat made yet: book it again
    assert booked.ticket.status == TicketStatus.ASSIGNED
    with uow:
        route = uow.routes.get(booked.ticket.visit.technician_id)  # type: ignore[union-attr]
    assert ticket.id in route
    cancel(uow, clock, "agent", ticket_id=ticket.id, why="customer moved")
    with uow:
        route = uow.routes.get(booked.ticket.visit.technician_id)  # type: ignore[union-attr]
        assert uow.tickets.get(ticket.id).status == TicketStatus.CANCELLED  # type: ignore[union-attr]
        [(_, told)] = [r for r in uow.outbox.for_ticket(ticket.id) if r[0] == "VisitCancelled"]
    assert ticket.id not in route
    # the customer hears which appointment is off, and who cancelled it
    assert told["by"] == "agent" and told["window"] == [
        booked.ticket.visit.window.start.isoformat(),  # type: ignore[union-attr]
        booked.ticket.visit.window.end.isoformat()]  # type: ignore[union-attr]  # fmt: skip


def test_a_customer_cancelling_a_later_date_frees_the_day_plan_and_is_told() -> None:
    from datetime import time

    from builders import kinds_told

    from dispatch.domain.calendar import Hours, WeeklyPattern
    from dispatch.services.slot_booking import book_slot
    from dispatch.services.slots import slots

    clock = FakeClock(MONDAY_9)
    uow = demo_fleet(clock)
    jan = technician(uow, "cpo-jan")
    week = WeeklyPattern("Europe/Brussels", {d: Hours(time(8), time(17)) for d in range(5)})
    with uow:
        uow.calendars.set_pattern(jan.id, week, clock.now())
        uow.commit()
    t = quoted(uow, clock, where=GeoPoint(jan.home.lat + 0.01, jan.home.lon)).ticket
    with uow:
        later = [s for s in slots(uow, clock.now(), TRAVEL, t, 2, "Europe/Brussels")
                 if not s.today]  # fmt: skip
    s = later[0]
    book_slot(uow, clock, TRAVEL, t.id, s.technician.id, s.day, s.window.start, s.route_version)
    cancel(uow, clock, "customer", token=t.tracking_token, why="fixed it myself")
    with uow:
        assert uow.day_plans.of_ticket(t.id) is None
    assert kinds_told(uow, t.id) == ["VisitBooked", "VisitCancelled"]


def test_a_locked_cable_with_the_customer_waiting_goes_first_and_those_pushed_hear_once():
    """Acceptance 2: cable_stuck implies property at risk; with the customer on site it
    may push normal work. It gets the earliest slot; each pushed customer is told once,
    and the push is in their case's history."""
    from builders import fill_route, kinds_told, only_on_shift

    from dispatch.domain.urgency import UrgencyFactors
    from dispatch.domain.work_kinds import at_risk_by_default

    clock = FakeClock(MONDAY_9)
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan")
    jan = technician(uow, "cpo-jan")
    normal = fill_route(uow, clock, "cpo-jan", 5)
    spot = GeoPoint(jan.home.lat + 0.002, jan.home.lon)
    calm = quoted(uow, clock, where=spot).ticket  # the same job without urgency
    with uow:
        last = quote(uow, calm, clock.now(), TRAVEL).candidates[0].eta
    assert at_risk_by_default("cable_stuck")
    factors = UrgencyFactors(customer_on_site=True, property_at_risk=True)
    urgent = quoted(uow, clock, where=spot, factors=factors).ticket
    booked = book(uow, clock, TRAVEL, urgent.id, None, allow_breaking=True)
    assert booked.ticket.visit is not None and booked.ticket.visit.eta < last
    pushed = [t for t in normal if kinds_told(uow, t).count("PromiseChanged") == 1]
    assert pushed, "someone was pushed to make room"
    for t in normal:
        assert kinds_told(uow, t).count("PromiseChanged") <= 1
    for t in pushed:
        [push] = [e for e in history(uow, t) if e.what == "PromiseChanged"]
        assert push.detail["pushed_by_ticket"] == urgent.id


def rate(uow: FakeUnitOfWork, clock: FakeClock, tech_id: int, answers: int, score: int) -> None:
    """Earlier cable_stuck cases of this technician, each fixed first time and scored."""
    from dispatch.domain.case import CaseEvent

    for _ in range(answers):
        t = quoted(uow, clock, where=GeoPoint(51.08, 4.29)).ticket
        with uow:
            uow.tickets.set_status(t.id, TicketStatus.DONE)
            uow.cases.add(CaseEvent(t.id, clock.now(), CaseEventKind.VISIT_COMPLETED,
                                    "technician", {"technician_id": tech_id}))  # fmt: skip
            said = {"technician_id": tech_id, "nps": score, "solved": True}
            uow.cases.add(CaseEvent(t.id, clock.now(), CaseEventKind.CONFIRMED, "customer", said))
            uow.commit()


@pytest.mark.parametrize(("answers", "emma_gets_it"), [(5, True), (4, False)])
def test_a_repeat_goes_to_the_best_rated_for_its_kind_once_enough_customers_said_so(
    answers: int, emma_gets_it: bool
) -> None:
    """Acceptance 3: Emma lives farthest away but her cable releases are fixed first time
    and loved; with five answers she is preferred for the repeat, with four she is not
    (MIN_ANSWERS), and the nearest technician who did not fail it goes."""
    def history(uow: FakeUnitOfWork, clock: FakeClock) -> None:
        rate(uow, clock, technician(uow, "cpo-emma").id, answers, 10)

    uow, clock, ticket, jan = visited("failed", "wrong part", before=history)
    make_repeats(uow, clock, TRAVEL)
    with uow:
        [repeat] = [t for t in uow.tickets.list() if t.repeat_of == ticket.id]
    assert repeat.visit is not None and repeat.visit.technician_id != jan.id
    emma = technician(uow, "cpo-emma")
    assert (repeat.visit.technician_id == emma.id) == emma_gets_it


# -- found by trying the product ---------------------------------------------------------


def test_a_case_carried_on_by_its_repeat_is_cancelled_through_the_repeat() -> None:
    uow, clock, ticket, _ = visited("failed", "not home")
    make_repeats(uow, clock, TRAVEL)
    with uow:
        [repeat] = [t for t in uow.tickets.list() if t.repeat_of == ticket.id]
    with pytest.raises(Conflict, match=f"repeat visit {repeat.id} carries case"):
        cancel(uow, clock, "agent", ticket_id=ticket.id)
    cancel(uow, clock, "customer", token=repeat.tracking_token, why="bought a new cable")
    with uow:
        assert uow.tickets.get(ticket.id).status == TicketStatus.CANCELLED  # type: ignore[union-attr]
        assert uow.tickets.get(repeat.id).status == TicketStatus.CANCELLED  # type: ignore[union-attr]


def test_an_agents_repeat_follows_only_a_visit_that_did_not_solve_it_and_only_once() -> None:
    from dispatch.services.tickets import NewTicket, create_ticket

    uow, clock, ticket, _ = visited("completed")
    again = NewTicket(ticket.customer, ticket.location, ticket.kind, ticket.skills,
                      ticket.service, repeat_of=ticket.id)  # fmt: skip
    create_ticket(uow, clock, TRAVEL, again)  # the customer called: still not working
    with uow:
        assert uow.tickets.get(ticket.id).status == TicketStatus.FAILED  # type: ignore[union-attr]
    with pytest.raises(Conflict, match="has its repeat visit already"):
        create_ticket(uow, clock, TRAVEL, again)
    other = quoted(uow, clock, where=GeoPoint(51.08, 4.29)).ticket
    with pytest.raises(Conflict, match="is open: a repeat visit follows a visit"):
        create_ticket(uow, clock, TRAVEL, NewTicket(
            other.customer, other.location, other.kind, other.skills, other.service,
            repeat_of=other.id))  # fmt: skip


def test_the_customers_answer_withdraws_the_courtesy_call_and_a_second_answer_is_known():
    uow, clock, ticket, _ = visited("completed")
    clock.set(MONDAY_9 + timedelta(days=1, hours=2))
    plan_calls(uow, clock, POLICY)
    assert [f.ticket_id for f in due_calls(uow, clock)] == [ticket.id]
    confirm(uow, clock, ticket.tracking_token, Feedback(False, "still locked"))
    assert due_calls(uow, clock) == []
    with pytest.raises(Conflict, match=r"answer for case \d+ already: not solved"):
        confirm(uow, clock, ticket.tracking_token, Feedback(True))


def test_once_the_technician_is_on_his_way_the_customer_is_asked_to_call() -> None:
    """His phone would not hear of a form: the customer is told to call; the agent to
    call him, and once he reports the visit failed the case can be cancelled."""
    clock = FakeClock(MONDAY_9)
    uow = demo_fleet(clock)
    jan = technician(uow, "cpo-jan")
    t = quoted(uow, clock, where=GeoPoint(jan.home.lat + 0.01, jan.home.lon)).ticket
    book(uow, clock, TRAVEL, t.id, jan.id)
    record_events(uow, clock, TRAVEL, jan.id, [FieldEvent(
        "e0", EventType.EN_ROUTE, clock.now(), ticket_id=t.id)])  # fmt: skip
    with pytest.raises(Conflict, match=r"on the way for case \d+; to cancel now, please call us"):
        cancel(uow, clock, "customer", token=t.tracking_token)
    with pytest.raises(Conflict, match="call him; when he reports the visit failed"):
        cancel(uow, clock, "agent", ticket_id=t.id)
    record_events(uow, clock, TRAVEL, jan.id, [
        FieldEvent("e1", EventType.ARRIVED, clock.now(), ticket_id=t.id),
        FieldEvent("e2", EventType.FAILED, clock.now(), ticket_id=t.id, note="not needed"),
    ])  # fmt: skip
    assert cancel(uow, clock, "agent", ticket_id=t.id).status == TicketStatus.CANCELLED


def test_a_repeat_goes_back_to_the_same_technician_only_when_nobody_else_can_and_says_why():
    from builders import only_on_shift

    def alone(uow: FakeUnitOfWork, clock: FakeClock) -> None:
        only_on_shift(uow, clock, "cpo-jan")

    uow, clock, ticket, jan = visited("failed", "wrong part", before=alone)
    make_repeats(uow, clock, TRAVEL)
    [made] = [e for e in history(uow, ticket.id) if e.what == "repeat_created"]
    assert made.detail["technician_id"] == jan.id
    assert made.detail["same_technician"].startswith("nobody else with the skills can come")
    uow, clock, ticket, jan = visited("failed", "wrong part")
    make_repeats(uow, clock, TRAVEL)
    [made] = [e for e in history(uow, ticket.id) if e.what == "repeat_created"]
    assert made.detail["technician_id"] != jan.id and "same_technician" not in made.detail
