"""An absence over later dates: the calendar says so, and his appointments then go elsewhere.

Each date whose whole shift the absence covers (today too, when it begins before today's
work, as one declared ahead does) gets a calendar exception (sick, with the absence's
words and its id) unless the date has one already, so the calendar, the slots and the
start of day all tell the same story; ending the absence early takes back the days it
no longer covers (``absence_calendar``). Each appointment he had on a date the
absence touches goes, if anyone can take the very same window that day, to them
("your technician changed"); otherwise its customer gets force majeure with new
appointments, the first held. Nothing to offer: it stays, flagged for the dispatcher.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import partial

from dispatch.clock import Clock
from dispatch.domain.calendar import DateException, DayKind
from dispatch.domain.day_plan import Appointment
from dispatch.domain.disruption import Disruption, DisruptionKind
from dispatch.domain.errors import StaleRoute
from dispatch.domain.events import ForceMajeure
from dispatch.domain.force_majeure import Effect, EffectKind
from dispatch.domain.message_kinds import MessageKind
from dispatch.domain.model import Ticket
from dispatch.domain.workdays import local_date, workday
from dispatch.services.absence_calendar import note_of
from dispatch.services.offers import OfferPolicy, offer_new, record
from dispatch.services.retry import with_retries
from dispatch.services.slot_booking import place_in_day
from dispatch.services.slots import slots
from dispatch.store.ports import UnitOfWork
from solver.traveltime.protocol import TravelTimes

DAY = timedelta(days=1)


def follow_calendar(uow: UnitOfWork, clock: Clock, travel: TravelTimes, d: Disruption,
                    policy: OfferPolicy) -> list[Effect]:  # fmt: skip
    if d.kind != DisruptionKind.UNAVAILABLE or d.technician_id is None:
        return []
    now, tid = clock.now(), d.technician_id
    with uow:
        pattern = uow.calendars.pattern(tid)
        if pattern is None:
            return []  # no calendar: nothing plans his later dates
        # from today when it begins before today's work does (declared ahead, say)
        first = local_date(max(now, d.start), pattern.zone)
        last = local_date(d.end - timedelta(microseconds=1), pattern.zone)
        if last < first:
            return []
        have = uow.calendars.exceptions(tid, first, last)
        day = first
        while day <= last:
            work = workday(pattern, have, day)
            shift = work.shift
            if (shift and now < shift.start and d.start <= shift.start and shift.end <= d.end
                    and day not in have):  # fmt: skip
                uow.calendars.add_exception(tid, DateException(day, DayKind.SICK,
                                                               note=note_of(d)), now)  # fmt: skip
            day += DAY
        uow.commit()
        seen = {e.ticket_id for e in uow.effects.of(d.id)}
        plans = uow.day_plans.plans([tid], first, last)
        booked = [a for p in plans.values() for a in p.appointments if a.ticket_id not in seen]
    out = []
    for a in booked:
        e = with_retries(partial(_elsewhere, uow, clock, travel, d, a, policy), clock,
                         "moving an appointment of an absent technician")  # fmt: skip
        out += [e] if e else []
    return out


def _elsewhere(uow: UnitOfWork, clock: Clock, travel: TravelTimes, d: Disruption,
               a: Appointment, policy: OfferPolicy) -> Effect | None:  # fmt: skip
    now, tid = clock.now(), a.technician_id
    with uow:
        plan = uow.day_plans.get(tid, a.day)
        ticket = uow.tickets.get(a.ticket_id)
        if a.ticket_id not in plan or ticket is None:
            return None  # moved or gone meanwhile
        a = plan.appointment(a.ticket_id)
        same = _same_window(uow, clock, travel, ticket, a, policy)
        if same is not None:
            plan.cancel(a.ticket_id)
            if not uow.day_plans.save(plan):
                raise StaleRoute(f"the plan of technician {tid} on {a.day} changed meanwhile")
            place_in_day(uow, now, travel, ticket, same, a.day, a.window.start, None,
                         policy.hours, policy.length, occasion="moved")  # fmt: skip
            e = record(uow, Effect(d.id, a.ticket_id, EffectKind.MOVED, now, tid, same, a.window,
                                   MessageKind.TECHNICIAN_CHANGED.value))  # fmt: skip
        else:

            def give_up(told: ForceMajeure) -> bool:
                plan.give_up(a.ticket_id, told)
                return uow.day_plans.save(plan)

            e = offer_new(uow, now, travel, d, ticket, a.as_visit(), give_up, None, policy)
        uow.commit()
        return e


def _same_window(uow: UnitOfWork, clock: Clock, travel: TravelTimes, ticket: Ticket,
                 a: Appointment, policy: OfferPolicy) -> int | None:  # fmt: skip
    """Who else can take exactly this window that day (he is out then, so not him)."""
    now = clock.now()
    ahead = max(policy.days, (a.day - local_date(now, policy.zone)).days)
    found = slots(uow, now, travel, replace(ticket, window=a.window, availability=()),
                  min(ahead, 31), policy.zone, policy.hours, policy.length)  # fmt: skip
    same = next((s for s in found if not s.today and s.day == a.day and s.window == a.window
                 and s.technician.id != a.technician_id), None)  # fmt: skip
    return same.technician.id if same else None


