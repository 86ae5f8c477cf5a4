"""A job under way is expected to run on once it nears its planned end, so the customers
after it hear "late" while there is still time to plan around it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import MORNING, tech_at_home, visit

from dispatch.domain import job_end
from dispatch.domain.fieldstate import Activity, FieldState
from dispatch.domain.job_end import expected_end
from dispatch.domain.model import VisitStatus
from dispatch.domain.route import Route
from dispatch.services.eta import apply_updates, plan_updates, retime_from, start_of

MIN = timedelta(minutes=1)
NOW = MORNING + 2 * 60 * MIN
HOUR_JOB = 60 * MIN


def test_a_job_early_on_ends_when_planned() -> None:
    assert expected_end(NOW, HOUR_JOB, NOW) == NOW + HOUR_JOB
    assert expected_end(NOW - 30 * MIN, HOUR_JOB, NOW) == NOW + 30 * MIN


def test_a_job_near_or_past_its_planned_end_keeps_a_run_on_ahead() -> None:
    run_on = HOUR_JOB * job_end.RUN_ON_SHARE  # 15 minutes of an hour's job
    assert expected_end(NOW - 55 * MIN, HOUR_JOB, NOW) == NOW + run_on
    assert expected_end(NOW - HOUR_JOB, HOUR_JOB, NOW) == NOW + run_on
    assert expected_end(NOW - 90 * MIN, HOUR_JOB, NOW) == NOW + run_on  # never "ends now"


def _promises_broken(monkeypatch: pytest.MonkeyPatch, share: float) -> int:
    """The job began 65 minutes ago and was planned for an hour; the next customer, ten
    minutes' drive away, was told until 15 minutes from now."""
    monkeypatch.setattr(job_end, "RUN_ON_SHARE", share)
    began = NOW - 65 * MIN
    job = visit(1, 1, began, minutes=60, status=VisitStatus.STARTED)
    after = visit(2, 2, NOW + 5 * MIN, half_width_min=10)
    working = FieldState(Activity.WORKING, 1, since=began, started_at={1: began})
    start = start_of(tech_at_home(), [job, after], working, NOW)
    retimed = retime_from(start, first_leg_s=600)
    route = Route(1, 0, [job, after])
    updates = plan_updates([job, after], retimed, NOW, None, start.overrun)
    return apply_updates(route, updates, NOW)


def test_the_customer_after_an_overrunning_job_hears_late_while_there_is_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "it ends now": ETA in 10 minutes, inside the window, nothing said until too late
    assert _promises_broken(monkeypatch, 0.0) == 0
    # run on by a quarter: ETA in 25 minutes, ten past the told end: told now
    assert _promises_broken(monkeypatch, 0.25) == 1
