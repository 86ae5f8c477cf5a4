"""The service report and the technicians' report, from the cases' own history.

Definitions (docs/cases.md):

- A **case** is a ticket that repeats nothing (``repeat_of`` empty) with its repeat
  visits; it belongs to the period it was created in, and to its kind of work.
- **Customer Speed Index**: hours from the case's creation to the customer's (or a
  courtesy call's) "solved", median and p90, over the cases solved that way.
- **First-time-fix rate**: of the cases whose first visit has ended, the share that
  needed no repeat visit and did not fail.
- **Repeat contacts per case**: inbound contacts (calls, mails, chats) per case.
- **NPS**: promoters (9-10) minus detractors (0-6) in percent, with the number of
  answers; per technician, the answers about his visits.
- **Closed by confirmation / by timeout**: shares of the closed cases.
- **Door time**: minutes from "started" to "done" minus the planned minutes, averaged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dispatch.domain.case_totals import nps_of
from dispatch.store.ports import UnitOfWork

AFTER = timedelta(days=60)  # a case created in the period may close (or repeat) this later
MIN_ANSWERS = 5  # below this, a technician's rating for a kind does not count


@dataclass(frozen=True)
class KindFigures:
    kind: str
    cases: int
    csi_median_h: float | None
    csi_p90_h: float | None
    first_time_fix: float | None
    repeat_contacts_per_case: float
    nps: float | None
    nps_answers: int
    closed_by_confirmation: float | None
    closed_by_timeout: float | None


@dataclass(frozen=True)
class TechnicianFigures:
    technician_id: int
    kind: str
    visits: int
    first_time_fix: float | None
    nps: float | None
    nps_answers: int
    door_over_plan_min: float | None
    counts: bool  # enough answers for the rating to count (``MIN_ANSWERS``)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def service_report(uow: UnitOfWork, first: datetime, last: datetime) -> list[KindFigures]:
    with uow:
        totals = uow.reports.kinds(first, last, last + AFTER)
    return [KindFigures(
        t.kind, t.cases, _hours(t.speed_median_h), _hours(t.speed_p90_h),
        _share(t.fixed_first, t.first_ended),
        round(t.contacts / t.cases, 3) if t.cases else 0.0,
        nps_of(t.promoters, t.detractors, t.answers), t.answers,
        _share(t.closed_confirmed, t.closed_confirmed + t.closed_timeout),
        _share(t.closed_timeout, t.closed_confirmed + t.closed_timeout),
    ) for t in sorted(totals)]  # fmt: skip


def _hours(h: float | None) -> float | None:
    return round(h, 2) if h is not None else None


def technician_report(uow: UnitOfWork, first: datetime, last: datetime,
                      min_answers: int = MIN_ANSWERS) -> list[TechnicianFigures]:  # fmt: skip
    with uow:
        return technician_figures(uow, first, last, min_answers)


def technician_figures(uow: UnitOfWork, first: datetime, last: datetime,
                       min_answers: int = MIN_ANSWERS) -> list[TechnicianFigures]:  # fmt: skip
    """Inside an open unit of work."""
    return [TechnicianFigures(
        t.technician_id, t.kind, t.visits, _share(t.fixed, t.visits),
        nps_of(t.promoters, t.detractors, t.answers), t.answers,
        round(t.door_over_min, 1) if t.door_over_min is not None else None,
        t.answers >= min_answers,
    ) for t in uow.reports.technicians(first, last, last + AFTER)]  # fmt: skip


def preferred(uow: UnitOfWork, kind: str, now: datetime) -> dict[int, tuple[float, float]]:
    """Per technician, (first-time-fix rate, NPS) for this kind over the last 90 days,
    only where enough customers answered; the repeat visit's preference (inside an open
    unit of work)."""
    figures = technician_figures(uow, now - timedelta(days=90), now)
    return {f.technician_id: (f.first_time_fix or 0.0, f.nps or 0.0)
            for f in figures if f.kind == kind and f.counts}  # fmt: skip
