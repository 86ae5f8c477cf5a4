"""The live system's own clock-driven jobs (``api/scheduler.py``), run on the simulated
clock: the same use cases, in the same order, so a simulated day exercises the code a
real one does. Delivery runs to the end of its backlog after every step and every
event (live it runs every second); disruptions are handled at the disruptions job's
next beat, not at once, so the time from a breakdown to the customer's message is the
one a real day would see."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from dispatch.clock import FakeClock
from dispatch.domain.message_rules import MessagePolicy
from dispatch.notify.channels.base import Channel
from dispatch.services.backlog import assign_waiting
from dispatch.services.deliver import send_due
from dispatch.services.force_majeure import handle_pending
from dispatch.services.messages import Links, plan_all
from dispatch.services.offers import OfferPolicy
from dispatch.services.refresh import refresh_etas
from dispatch.services.repeats import make_repeats
from dispatch.services.replan import ReplanReport, replan
from dispatch.services.reschedule import confirm_expired
from dispatch.services.slowdowns import travel_at
from dispatch.store.uow import SqlUnitOfWork
from solver.routing.search_config import SearchConfig
from solver.traveltime.protocol import TravelTimes

LINKS = Links("https://dispatch.sim.invalid")
DISRUPTIONS_EVERY = timedelta(seconds=30)  # api.scheduler.DISRUPTIONS_EVERY_S
# The periodic replan, with a fixed amount of search instead of a time limit: the same
# seed gives the same day on any machine (a time limit would not).
REPLAN = replace(SearchConfig.for_budget(600.0), sisr_share=1.0, sisr_iterations=1000)


@dataclass
class Jobs:
    uow: SqlUnitOfWork
    clock: FakeClock
    travel: TravelTimes  # the road network; slowdowns laid over it each time
    channels: dict[str, Channel]
    offers: OfferPolicy
    replan_every: timedelta
    messages: MessagePolicy = field(default_factory=MessagePolicy)
    replans: list[ReplanReport] = field(default_factory=list)

    def roads(self) -> TravelTimes:
        return travel_at(self.uow, self.travel, self.clock.now())

    def step(self, replan_now: bool) -> bool:
        """One simulated step's worth of the scheduler, in its order; True when it gave
        someone new work (a waiting ticket booked, a repeat visit, a replan applied)."""
        roads = self.roads()
        refresh_etas(self.uow, self.clock, roads)
        booked = assign_waiting(self.uow, self.clock, roads) > 0
        if replan_now:
            self.replans.append(replan(self.uow, self.clock, roads, config=REPLAN))
            booked = booked or self.replans[-1].applied
        self.disruptions()
        booked = make_repeats(self.uow, self.clock, roads) > 0 or booked
        self.deliver()
        return booked

    def disruptions(self) -> None:
        handle_pending(self.uow, self.clock, self.roads, self.offers)
        confirm_expired(self.uow, self.clock)

    def deliver(self) -> None:
        plan_all(self.uow, self.clock, LINKS, ZoneInfo(self.offers.zone), self.messages)
        while send_due(self.uow, self.clock, self.channels).sent:
            pass
