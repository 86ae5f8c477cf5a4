"""The service and technicians' reports on a generated history whose figures are known
by construction (``benchmarks/case_history.py``), on SQLite and PostgreSQL (issue 15,
acceptance 3 and 4): every figure equals the one counted by hand from the rules."""

import statistics
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from benchmarks.case_history import KINDS, NPS, seed_history
from dispatch.domain.case import nps
from dispatch.services.reports import service_report, technician_report

ZONE = ZoneInfo("Europe/Brussels")
START = datetime(2026, 9, 1, tzinfo=ZONE)
N, TECHS, DAYS = 300, 5, 60


@pytest.fixture
def history(engine):
    seed_history(engine, N, TECHS, START, DAYS)
    return engine


def by_hand(kind: str) -> dict:
    mine = [i for i in range(N) if KINDS[i % 3] == kind]
    speed = [{0: 52, 9: 76}.get(i % 10, 28) for i in mine if i % 10 not in (7, 8)]
    scores = [NPS[i % 10] for i in mine if 1 <= i % 10 <= 6]
    scores += [10 for i in mine if i % 10 == 0] + [4 for i in mine if i % 10 == 9]
    return {
        "cases": len(mine),
        "csi_median_h": statistics.median(speed),
        "csi_p90_h": sorted(speed)[int(0.9 * len(speed))],
        "first_time_fix": round(sum(i % 10 not in (0, 9) for i in mine) / len(mine), 4),
        "repeat_contacts_per_case": round(sum(i % 4 == 0 for i in mine) / len(mine), 3),
        "nps": nps(scores), "nps_answers": len(scores),
        "closed_by_timeout": round(sum(i % 10 in (7, 8) for i in mine) / len(mine), 4),
    }  # fmt: skip


def test_the_service_report_equals_the_figures_counted_by_hand(uow, history, backend):
    got = {k.kind: k for k in service_report(uow, START, START + timedelta(days=DAYS))}
    assert set(got) == set(KINDS)
    for kind in KINDS:
        want, k = by_hand(kind), got[kind]
        assert {f: getattr(k, f) for f in want} == want, kind
        assert k.closed_by_confirmation == round(1 - want["closed_by_timeout"], 4)


def test_the_technicians_report_counts_first_visits_answers_and_door_time(uow, history,
                                                                          backend):  # fmt: skip
    rows = technician_report(uow, START, START + timedelta(days=DAYS))
    first = next(r for r in rows if r.technician_id == 1 and r.kind == KINDS[0])
    mine = [i for i in range(N) if i % TECHS == 0 and i % 3 == 0]  # his first visits
    theirs = [i for i in range(N) if i % 3 == 0 and (i % TECHS + 1) % TECHS + 1 == 1
              and i % 10 in (0, 9)]  # repeats others failed, that he did  # fmt: skip
    assert first.visits == len(mine) + len(theirs)
    fixed = sum(i % 10 not in (0, 9) for i in mine) + len(theirs)
    assert first.first_time_fix == round(fixed / first.visits, 4)
    door = [i % 7 for i in mine + theirs]
    assert first.door_over_plan_min == round(statistics.fmean(door), 1)
    assert first.counts and first.nps_answers >= 5


def test_a_case_solved_on_its_third_visit_counts_once_by_its_first_ticket(fleet, clock, travel,
                                                                          backend):  # fmt: skip
    """A repeat of a repeat names the case's first ticket (``case_of``): the report counts
    one case of the first ticket's kind, solved 50 hours after it was created, and no
    first-time fix."""
    from dispatch.domain.case import CaseEvent, CaseEventKind
    from dispatch.domain.model import Customer, GeoPoint, TicketStatus
    from dispatch.services.tickets import NewTicket, create_ticket

    def ticket(repeat_of: int | None = None) -> int:
        new = NewTicket(Customer("An Aerts", "+32 470 000000", "an@example.org", "nl"),
                        GeoPoint(51.074, 4.288), "cable_stuck", frozenset({"cable_release"}),
                        timedelta(minutes=30), repeat_of=repeat_of)  # fmt: skip
        return create_ticket(fleet, clock, travel, new).ticket.id

    def failed(tid: int) -> None:
        with fleet:
            fleet.tickets.set_status(tid, TicketStatus.FAILED)
            fleet.cases.add(CaseEvent(tid, clock.now(), CaseEventKind.VISIT_FAILED,
                                      "technician", {"technician_id": 1}))  # fmt: skip
            fleet.commit()

    start = clock.now()
    first = ticket()
    failed(first)
    second = ticket(first)
    failed(second)
    third = ticket(second)
    with fleet:
        fleet.cases.add(CaseEvent(third, start + timedelta(hours=50), CaseEventKind.CLOSED,
                                  "customer", {"how": "confirmed"}))  # fmt: skip
        fleet.commit()
    [report] = service_report(fleet, start - timedelta(hours=1), start + timedelta(days=1))
    assert (report.kind, report.cases, report.first_time_fix) == ("cable_stuck", 1, 0.0)
    assert report.csi_median_h == report.csi_p90_h == 50.0
    assert report.closed_by_confirmation == 1.0
