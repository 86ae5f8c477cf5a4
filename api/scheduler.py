"""Clock-driven jobs (APScheduler 3.x), run by whichever process holds the leader lock.

``dispatch serve`` runs them in-process for the single-machine default; with several
API replicas, ``dispatch worker`` runs them and the lock keeps a second worker idle.
Jobs never overlap themselves (``max_instances=1``) and a missed run is coalesced.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy.engine import Engine

from api.background import offer_policy
from api.delivery import deliver_round
from api.message_channels import message_channels
from api.routers.cases import followup_policy
from dispatch.clock import Clock
from dispatch.config import Settings
from dispatch.services.backlog import assign_waiting
from dispatch.services.day_start import start_day
from dispatch.services.followups import close_unanswered, plan_calls
from dispatch.services.force_majeure import handle_pending
from dispatch.services.nightly_plan import nightly_plans
from dispatch.services.refresh import refresh_etas
from dispatch.services.repeats import make_repeats
from dispatch.services.replan import replan
from dispatch.services.reschedule import confirm_expired
from dispatch.services.slowdowns import travel_at
from dispatch.store.engine import session_factory
from dispatch.store.leader import LeaderLock
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.protocol import TravelTimes

log = logging.getLogger("dispatch.scheduler")
DAY_START_EVERY_S = 300.0  # a planned day goes live within five minutes of midnight
NIGHT_CHECK_EVERY_S = 60.0  # the nightly plan starts within a minute of its hour
CASES_EVERY_S = 60.0  # repeat visits made, courtesy calls planned, silent cases closed
DISRUPTIONS_EVERY_S = 30.0  # a missed disruption handled, an expired hold confirmed


@dataclass
class JobContext:
    engine: Engine
    clock: Clock
    travel: TravelTimes
    settings: Settings
    say: Callable[[str], None] = log.info


def install_jobs(scheduler: BaseScheduler, ctx: JobContext) -> LeaderLock:
    leader = LeaderLock(ctx.engine)
    sessions = session_factory(ctx.engine)
    pid = os.getpid()
    s = ctx.settings

    def roads() -> TravelTimes:  # slowed where a declared slowdown says so, this minute
        return travel_at(SqlUnitOfWork(sessions), ctx.travel, ctx.clock.now())

    def leading() -> bool:
        was = leader.held
        now = leader.try_acquire()
        if now and not was:
            ctx.say(f"worker {pid}: leader, running jobs")
        return now

    def refresh() -> None:
        if leading():
            report = refresh_etas(SqlUnitOfWork(sessions), ctx.clock, roads())
            ctx.say(
                f"worker {pid}: refresh_etas {report.technicians} routes, "
                f"{report.promise_changes} promise changes, {report.seconds:.2f} s"
            )

    def backlog() -> None:
        if leading():
            booked = assign_waiting(SqlUnitOfWork(sessions), ctx.clock, roads())
            ctx.say(f"worker {pid}: assign_waiting booked {booked}")

    announced: list[bool] = []

    def day_replan() -> None:
        if leading():
            report = replan(SqlUnitOfWork(sessions), ctx.clock, roads())
            ctx.say(f"worker {pid}: replan {report.reason}, moved {report.moved} of "
                    f"{report.told} told, reordered {report.reordered}, "
                    f"driving {report.travel_before_s} -> {report.travel_after_s} s")  # fmt: skip

    channels = message_channels(s)

    def deliver() -> None:
        if leading():
            done = deliver_round(sessions, ctx.clock, s, channels)
            if done.busy:
                ctx.say(f"worker {pid}: {done.line()}")

    def day_start() -> None:
        if leading():
            started = start_day(SqlUnitOfWork(sessions), ctx.clock)
            if started.shifts_set or started.visits_live:
                ctx.say(f"worker {pid}: start_day {started.shifts_set} shifts from calendars, "
                        f"{started.visits_live} planned visits now live")  # fmt: skip

    nights: set[object] = set()  # dates whose night has run (the clock may be simulated)

    def night() -> None:
        now = ctx.clock.now().astimezone(s.timezone)
        if now.hour != s.nightly_hour or now.date() in nights or not leading():
            return
        nights.add(now.date())
        for r in nightly_plans(SqlUnitOfWork(sessions), ctx.clock, ctx.travel, s.timezone.key,
                               s.nightly_days, s.nightly_seconds):  # fmt: skip
            if r.visits:
                ctx.say(f"worker {pid}: nightly plan {r.day}: {r.reason}, {r.visits} visits, "
                        f"driving {r.travel_before_s} -> {r.travel_after_s} s")  # fmt: skip

    policy = offer_policy(s)

    def disruptions() -> None:
        if leading():
            handled = handle_pending(SqlUnitOfWork(sessions), ctx.clock, roads, policy)
            confirmed = confirm_expired(SqlUnitOfWork(sessions), ctx.clock)
            if handled or confirmed:
                ctx.say(f"worker {pid}: {len(handled)} disruptions handled, "
                        f"{confirmed} held appointments confirmed")  # fmt: skip

    calls = followup_policy(s)
    buffer = timedelta(minutes=s.repeat_buffer_min)

    def case_jobs() -> None:
        if leading():
            uow = SqlUnitOfWork(sessions)
            made = make_repeats(uow, ctx.clock, roads(), buffer)
            planned = plan_calls(uow, ctx.clock, calls)
            closed = close_unanswered(uow, ctx.clock, calls)
            if made or planned or closed:
                ctx.say(f"worker {pid}: {made} repeat visits, {planned} courtesy calls, "
                        f"{closed} cases closed without an answer")  # fmt: skip

    def standby() -> None:
        if not leading() and not announced:
            announced.append(True)
            ctx.say(f"worker {pid}: standby, another process leads")

    common = {"max_instances": 1, "coalesce": True, "trigger": "interval"}
    scheduler.add_job(refresh, seconds=s.refresh_interval_s, id="refresh_etas", **common)
    scheduler.add_job(backlog, seconds=s.backlog_interval_s, id="assign_waiting", **common)
    scheduler.add_job(day_replan, seconds=s.replan_interval_s, id="replan", **common)
    scheduler.add_job(deliver, seconds=s.deliver_interval_s, id="deliver_messages", **common)
    scheduler.add_job(day_start, seconds=DAY_START_EVERY_S, id="start_day", **common)
    scheduler.add_job(night, seconds=NIGHT_CHECK_EVERY_S, id="nightly_plan", **common)
    scheduler.add_job(disruptions, seconds=DISRUPTIONS_EVERY_S, id="disruptions", **common)
    scheduler.add_job(case_jobs, seconds=CASES_EVERY_S, id="cases", **common)
    scheduler.add_job(standby, seconds=max(1.0, s.refresh_interval_s / 2), id="leader", **common)
    return leader
