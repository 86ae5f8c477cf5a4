"""What the reports add up, per kind of work and per technician: plain counts the store
computes where the rows are (``store.case_reports``), so a 90-day report over 50,000
cases never ships the rows themselves to Python (issue 15's one-second target)."""

from __future__ import annotations

from typing import NamedTuple


class KindTotals(NamedTuple):
    """One kind of work's cases created in the period (definitions: ``services.reports``)."""

    kind: str
    cases: int
    first_ended: int  # cases whose first visit has ended (completed or failed)
    fixed_first: int  # ... that needed no repeat visit and did not fail
    contacts: int
    promoters: int
    detractors: int
    answers: int  # answers with a score
    closed_confirmed: int  # closed by the customer's or a courtesy call's "solved"
    closed_timeout: int
    speed_median_h: float | None  # creation to "solved", over the cases closed so
    speed_p90_h: float | None


class TechnicianTotals(NamedTuple):
    technician_id: int
    kind: str
    visits: int  # visits that ended in the period
    fixed: int  # ... completed, with no repeat visit after them
    door_over_min: float | None  # mean minutes at the door over the plan
    promoters: int
    detractors: int
    answers: int


def nps_of(promoters: int, detractors: int, answers: int) -> float | None:
    """Promoters (9-10) minus detractors (0-6), in percent of the answers."""
    return round(100 * (promoters - detractors) / answers, 1) if answers else None


def p90_rank(n: int) -> int:
    """The 1-based rank of the 90th percentile of n sorted values (nearest rank below),
    the same in SQL and in Python."""
    return 9 * n // 10 + 1
