"""A dispatcher moves a visit to another time in the same technician's day (the board's
horizontal drag, or the keyboard): the new order is timed from where the technician is,
and holds only when every customer's window does; nobody is told, the audit says who;
a stale board, started work and a place before it are refused."""

from __future__ import annotations

import pytest
from builders import MORNING, TRAVEL, demo_fleet, fill_route, kinds_told, only_on_shift, technician
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.errors import Conflict, InvalidInput, StaleRoute
from dispatch.domain.model import Technician, VisitStatus
from dispatch.services.move_visit import move_visit
from dispatch.services.routes import get_route


def jan_with_eight() -> tuple[FakeUnitOfWork, FakeClock, Technician, list[int]]:
    """Jan alone on shift with eight visits in a row: the later ones, hours away, hold
    wide windows, so some of them can swap; the first ones cannot."""
    clock = FakeClock(MORNING)
    uow = demo_fleet(clock)
    only_on_shift(uow, clock, "cpo-jan", "cpo-fatima")
    ids = fill_route(uow, clock, "cpo-jan", 8)
    return uow, clock, technician(uow, "cpo-jan"), ids


def order(uow: FakeUnitOfWork, tech: Technician) -> list[int]:
    return [v.ticket_id for v in get_route(uow, tech.id).stops if v.status.value == "planned"]


def version(uow: FakeUnitOfWork, tech: Technician) -> int:
    with uow:
        return uow.routes.get(tech.id).version


def test_a_later_visit_moves_earlier_inside_every_window_and_only_the_audit_hears() -> None:
    uow, clock, jan, ids = jan_with_eight()
    told = {v.ticket_id: v.promise for v in get_route(uow, jan.id).stops}
    before = version(uow, jan)
    after = move_visit(uow, clock, TRAVEL, ids[6], jan.id, before, position=4)
    assert after == before + 1 == version(uow, jan)
    assert order(uow, jan) == [*ids[:4], ids[6], ids[4], ids[5], ids[7]]
    for v in get_route(uow, jan.id).stops:
        assert v.promise == told[v.ticket_id]  # every promise the same, and kept
        assert v.promise.start <= v.eta <= v.promise.end
    assert kinds_told(uow, ids[6]) == ["VisitBooked", "VisitResequenced"]
    assert all(kinds_told(uow, t) == ["VisitBooked"] for t in ids if t != ids[6])
    with uow:
        line = uow.audit.recent(1, None, f"ticket:{ids[6]}")[0]
    assert line.action == "moved" and line.detail.endswith("now open stop 5")
    back = move_visit(uow, clock, TRAVEL, ids[6], jan.id, after, position=6)  # and back
    assert back == after + 1 and order(uow, jan) == ids
    assert kinds_told(uow, ids[6]).count("VisitResequenced") == 2  # two facts, two rows


def test_a_move_that_breaks_a_window_is_refused_with_whose_and_changes_nothing() -> None:
    uow, clock, jan, ids = jan_with_eight()
    v = version(uow, jan)
    # first: Jan would wait two hours at its door for its window, so the first
    # customer behind it would be reached long after theirs
    with pytest.raises(Conflict, match=f"ticket {ids[0]} would be reached 144 min after"):
        move_visit(uow, clock, TRAVEL, ids[6], jan.id, v, position=0)
    with pytest.raises(Conflict, match="at position 6 already"):
        move_visit(uow, clock, TRAVEL, ids[6], jan.id, v, position=6)
    with pytest.raises(Conflict, match=r"outside 0\.\.7"):
        move_visit(uow, clock, TRAVEL, ids[6], jan.id, v, position=8)
    assert version(uow, jan) == v and order(uow, jan) == ids
    assert all(kinds_told(uow, t) == ["VisitBooked"] for t in ids)


def test_a_stale_board_started_work_and_a_position_elsewhere_are_refused() -> None:
    uow, clock, jan, ids = jan_with_eight()
    fatima = technician(uow, "cpo-fatima")
    v = version(uow, jan)
    with pytest.raises(StaleRoute, match="changed since the board was drawn"):
        move_visit(uow, clock, TRAVEL, ids[6], jan.id, v - 1, position=4)
    with pytest.raises(InvalidInput, match="own route"):
        move_visit(uow, clock, TRAVEL, ids[6], fatima.id, version(uow, fatima), position=0)
    with uow:  # he is on his way to the first one
        route = uow.routes.get(jan.id)
        route.set_status(ids[0], VisitStatus.EN_ROUTE, MORNING)
        uow.routes.save(route)
        uow.commit()
    v = version(uow, jan)
    with pytest.raises(Conflict, match="en_route; it stays with"):
        move_visit(uow, clock, TRAVEL, ids[0], jan.id, v, position=3)
    with pytest.raises(Conflict, match=r"outside 1\.\.7 .*started work stays first"):
        move_visit(uow, clock, TRAVEL, ids[6], jan.id, v, position=0)
    assert move_visit(uow, clock, TRAVEL, ids[6], jan.id, v, position=4) == v + 1
