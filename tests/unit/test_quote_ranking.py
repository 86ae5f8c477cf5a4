"""Who is offered for a ticket, and in which order, as quote.py documents it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from builders import (
    JAN_HOME,
    MORNING,
    demo_fleet,
    fill_route,
    new_ticket,
    only_on_shift,
    quoted,
    tech_at_home,
    technician,
)
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.model import GeoPoint, Technician, Ticket, TicketStatus, TimeWindow
from dispatch.services.booking import WouldBreakPromises, choose
from dispatch.services.quote import _score
from dispatch.services.seed import seed_skills
from fixtures import load_json

MIN = timedelta(minutes=1)


def ticket(kind: str = "cable_stuck", repeat_of: int | None = None) -> Ticket:
    new = new_ticket(kind=kind)
    return Ticket(1, new.customer, new.location, kind, new.skills, new.service,
                  new.priority, "token", MORNING, repeat_of=repeat_of)  # fmt: skip


RATED = replace(tech_at_home(2), rated_for=frozenset({"cable_stuck"}))


def test_the_score_is_minutes_to_arrival_plus_half_the_added_driving() -> None:
    score = _score(ticket(), tech_at_home(), eta_min=20, added_min=10)
    assert score.value == 25.0
    assert (score.eta_min, score.added_travel_min, score.rated_bonus_min) == (20, 10, 0)
    assert "arrives in 20 min" in score.explanation
    assert "adds 10 min of driving" in score.explanation


@pytest.mark.parametrize(
    ("repeat_of", "kind", "bonus"),
    [(7, "cable_stuck", 30.0), (None, "cable_stuck", 0.0), (7, "modem_down", 0.0)],
    ids=["rated-repeat", "not-a-repeat", "repeat-of-other-work"],
)
def test_a_rated_technician_gets_30_minutes_on_a_repeat_visit_only(
    repeat_of: int | None, kind: str, bonus: float
) -> None:
    score = _score(ticket(kind, repeat_of), RATED, eta_min=40, added_min=0)
    assert score.rated_bonus_min == bonus
    assert score.value == 40 - bonus
    assert ("rated for" in score.explanation) == bool(bonus)


def test_the_ranking_weighs_arrival_driving_and_rating_as_documented() -> None:
    repeat = ticket(repeat_of=7)
    near = _score(repeat, tech_at_home(1), eta_min=20, added_min=0)  # 20
    detour = _score(repeat, tech_at_home(3), eta_min=10, added_min=30)  # 25
    rated = _score(repeat, RATED, eta_min=45, added_min=0)  # 15
    assert sorted([near, detour, rated], key=lambda s: s.value) == [rated, near, detour]


def test_a_rated_technician_further_away_is_offered_first_for_a_repeat_visit(
    clock: FakeClock,
) -> None:
    uow = FakeUnitOfWork()
    seed_skills(uow, load_json("skills.json"))
    shift = TimeWindow(MORNING - timedelta(hours=1), MORNING + timedelta(hours=8))
    five_km_east = GeoPoint(JAN_HOME.lat, JAN_HOME.lon + 0.07)
    skills = frozenset({"cable_release"})
    with uow:
        uow.technicians.add(Technician(0, "near", "Near", JAN_HOME, shift, skills))
        rated = frozenset({"cable_stuck"})
        uow.technicians.add(Technician(0, "rated", "Rated", five_km_east, shift, skills, rated))
        uow.commit()
    first = quoted(uow, clock)
    with uow:  # its visit failed: a repeat may follow
        uow.tickets.set_status(first.ticket.id, TicketStatus.FAILED)
        uow.commit()
    plain = quoted(uow, clock).quote
    repeat = quoted(uow, clock, repeat_of=first.ticket.id).quote
    assert plain is not None and repeat is not None
    assert [c.technician.code for c in plain.candidates] == ["near", "rated"]
    assert [c.technician.code for c in repeat.candidates] == ["rated", "near"]
    before, after = plain.candidates[1].score, repeat.candidates[0].score
    assert after.value == pytest.approx(before.value - 30, abs=0.1)


@pytest.fixture
def fleet(clock: FakeClock) -> FakeUnitOfWork:
    return demo_fleet(clock)


def test_only_technicians_with_the_skill_and_on_shift_are_offered(
    fleet: FakeUnitOfWork, clock: FakeClock
) -> None:
    dc = quoted(fleet, clock, skills=("dc_fast_charger",)).quote
    assert dc is not None and dc.candidates
    assert all("dc_fast_charger" in c.technician.skills for c in dc.candidates + dc.breaking)

    only_on_shift(fleet, clock, "cpo-jan", "cpo-fatima")
    q = quoted(fleet, clock, skills=("ac_charger",)).quote
    assert q is not None
    assert {c.technician.code for c in q.candidates + q.breaking} == {"cpo-jan", "cpo-fatima"}
    scores = [c.score.value for c in q.candidates]
    assert scores == sorted(scores)
    for c in q.candidates:  # minutes until arrival + half the minutes of added driving
        expected = (c.eta - clock.now()) / MIN + 0.5 * (c.added_travel / MIN)
        assert c.score.value == pytest.approx(expected, abs=0.1)


def test_nobody_with_the_skill_on_shift_is_said_so(fleet: FakeUnitOfWork, clock: FakeClock) -> None:
    only_on_shift(fleet, clock, "cpo-jan")
    q = quoted(fleet, clock, skills=("dc_fast_charger",)).quote
    assert q is not None and not q.candidates and not q.breaking
    assert q.reason == "no technician with dc_fast_charger is on shift and free today"


def test_options_that_keep_every_promise_come_before_breaking_ones(
    fleet: FakeUnitOfWork, clock: FakeClock
) -> None:
    only_on_shift(fleet, clock, "cpo-jan", "cpo-fatima")
    ids = fill_route(fleet, clock, "cpo-jan", 3)
    now = clock.now()
    q = quoted(fleet, clock, minutes=120,
               window=TimeWindow(now, now + timedelta(minutes=20))).quote  # fmt: skip
    assert q is not None
    jan, fatima = technician(fleet, "cpo-jan"), technician(fleet, "cpo-fatima")
    assert [c.technician.id for c in q.candidates] == [fatima.id]
    assert [c.technician.id for c in q.breaking] == [jan.id]
    assert all(c.keeps_promises for c in q.candidates)
    broken = [a.ticket_id for a in q.breaking[0].affected if a.breaks_promise]
    assert broken and set(broken) <= set(ids)
    # Jan would arrive sooner, yet the best offer is the one that keeps every promise
    assert q.breaking[0].eta < q.candidates[0].eta
    assert choose(q, None, allow_breaking=False).technician.id == fatima.id
    with pytest.raises(WouldBreakPromises, match=str(broken[0])):
        choose(q, jan.id, allow_breaking=False)
    assert choose(q, jan.id, allow_breaking=True).technician.id == jan.id


def test_a_customer_out_between_two_windows_is_quoted_in_the_second(
    fleet: FakeUnitOfWork, clock: FakeClock
) -> None:
    # "in the next five minutes, or from two hours on": nobody is that close, so the
    # offer waits for the second window rather than arriving while nobody is home
    only_on_shift(fleet, clock, "cpo-jan")
    now = clock.now()
    later = TimeWindow(now + timedelta(hours=2), now + timedelta(hours=3))
    q = quoted(fleet, clock, where=GeoPoint(JAN_HOME.lat + 0.05, JAN_HOME.lon),
               availability=(TimeWindow(now, now + 5 * MIN), later)).quote  # fmt: skip
    assert q is not None
    (offer,) = q.candidates
    assert offer.eta == later.start
    assert later.start <= offer.window.start and offer.window.end <= later.end
