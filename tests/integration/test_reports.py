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
