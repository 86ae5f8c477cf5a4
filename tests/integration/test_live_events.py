"""Technician events move the day: delays, early finishes, repeats, disorder."""

import random
from datetime import timedelta

import pytest

from dispatch.domain.errors import InvalidInput
from dispatch.domain.events import PromiseChanged
from dispatch.domain.fieldstate import EventType, FieldEvent, ImpossibleTransition
from dispatch.domain.model import GeoPoint, TicketStatus, VisitStatus
from dispatch.services.field_events import record_events
from dispatch.services.routes import get_route


def ev(i, kind, clock, minutes=0, ticket=None, **kw):
    return FieldEvent(
        f"ev-{i}", EventType(kind), clock.now() + timedelta(minutes=minutes), ticket_id=ticket, **kw
    )


def etas(uow, tech_id):
    return {v.ticket_id: v.eta for v in get_route(uow, tech_id).stops if v.open}


def test_a_reported_delay_moves_every_later_eta_and_slips_are_told(
    book_for, fleet, clock, travel, backend
):
    jan, ids = book_for("cpo-jan", [(0.004 * (k + 1), 0.002 * k) for k in range(4)])
    record_events(fleet, clock, travel, jan.id, [ev(1, "position", clock, position=jan.home)])
    before = {v.ticket_id: v for v in get_route(fleet, jan.id).stops}
    record_events(
        fleet, clock, travel, jan.id, [ev(2, "delayed", clock, delay=timedelta(minutes=40))]
    )
    after = {v.ticket_id: v for v in get_route(fleet, jan.id).stops}
    for t in ids:
        moved = (after[t].eta - before[t].eta).total_seconds() / 60
        assert 39 <= moved <= 41, (t, moved)
    slipped = {t for t in ids if after[t].eta > before[t].window.end}
    with fleet:
        told = {tid for kind, tid, _ in fleet.outbox.all() if kind == PromiseChanged.kind}
    # detected in the same cycle, the nearest surely; nobody whose promise holds is
    # bothered, and a small slip far ahead waits (``promise.late_tolerance``)
    assert ids[0] in told and told <= slipped
    for t in ids:  # a broken promise is replaced by a window that holds the new ETA
        if t in told:
            assert after[t].window.start <= after[t].eta <= after[t].window.end
        else:  # a kept one still bounds the work
            assert before[t].window.start <= after[t].window.start
            assert after[t].window.end <= before[t].window.end


def test_finishing_early_brings_later_etas_forward(book_for, fleet, clock, travel, backend):
    jan, (first, *rest) = book_for("cpo-jan", [(0.004 * (k + 1), 0.002 * k) for k in range(4)])
    record_events(fleet, clock, travel, jan.id, [ev(1, "position", clock, position=jan.home)])
    before = etas(fleet, jan.id)
    arrive = before[first]
    clock.set(arrive)
    record_events(
        fleet,
        clock,
        travel,
        jan.id,
        [
            ev(2, "en_route", clock, -5, first),
            ev(3, "arrived", clock, 0, first),
            ev(4, "started", clock, 1, first),
        ],
    )
    clock.advance(timedelta(minutes=6))
    record_events(fleet, clock, travel, jan.id, [ev(5, "completed", clock, 0, first)])
    after = etas(fleet, jan.id)
    assert first not in after
    for t in rest:
        assert after[t] < before[t] - timedelta(minutes=15), t
    stops = {v.ticket_id: v for v in get_route(fleet, jan.id).stops}
    assert stops[first].status == VisitStatus.COMPLETED
    with fleet:
        assert fleet.tickets.get(first).status == TicketStatus.COMPLETED


def test_repeated_and_shuffled_events_leave_the_same_state(
    book_for, fleet, engine, clock, travel, backend
):
    jan, ids = book_for("cpo-jan", [(0.004 * (k + 1), 0.002 * k) for k in range(5)])
    events = []
    minute = 0
    for i, t in enumerate(ids):  # 5 visits x (4 status events + 16 positions) = 100 events
        for kind in ("en_route", *["position"] * 8, "arrived", "started", *["position"] * 8,
                     "completed"):  # fmt: skip
            pos = GeoPoint(51.08 + minute / 10000, 4.29) if kind == "position" else None
            events.append(
                ev(f"{i}-{kind}-{minute}", kind, clock, minute, None if pos else t, position=pos)
            )
            minute += 1
    clock.advance(timedelta(minutes=minute))
    assert len(events) == 100
    first = record_events(fleet, clock, travel, jan.id, events)
    assert first.accepted == len(events)
    state_once = (first.state, [(v.ticket_id, v.status) for v in get_route(fleet, jan.id).stops])
    again = record_events(fleet, clock, travel, jan.id, events)
    assert again.accepted == 0 and again.duplicates == len(events)
    shuffled = events[:]
    random.Random(4).shuffle(shuffled)
    third = record_events(fleet, clock, travel, jan.id, shuffled)
    assert third.accepted == 0
    state_now = (third.state, [(v.ticket_id, v.status) for v in get_route(fleet, jan.id).stops])
    assert state_now == state_once
    assert all(status == VisitStatus.COMPLETED for _, status in state_now[1])


def test_impossible_transitions_are_refused_and_change_nothing(
    book_for, fleet, clock, travel, backend
):
    jan, (a, b, *_) = book_for("cpo-jan", [(0.004 * (k + 1), 0.002 * k) for k in range(2)])
    with pytest.raises(ImpossibleTransition, match="never started"):
        record_events(fleet, clock, travel, jan.id, [ev(1, "completed", clock, 0, a)])
    record_events(fleet, clock, travel, jan.id, [ev(2, "started", clock, 0, a)])
    with pytest.raises(ImpossibleTransition, match=f"second visit.*working \\(ticket {a}\\)"):
        record_events(fleet, clock, travel, jan.id, [ev(3, "started", clock, 1, b)])
    with fleet:
        assert [e.event_id for e in fleet.events.for_technician(jan.id)] == ["ev-2"]
    with pytest.raises(InvalidInput, match="not on the route"):
        record_events(fleet, clock, travel, jan.id, [ev(4, "arrived", clock, 2, 99999)])
