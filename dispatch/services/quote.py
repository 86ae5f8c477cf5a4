"""Ranked candidates for a ticket: who can come, when, and at whose expense.

Ranking (lower score is better), documented so an agent can explain it:

    score = minutes until arrival
          + 0.5 x minutes of extra driving the visit adds to that route
          + 0.5 x minutes it pushes other customers past their window's comfortable end
            (``promise.comfortable_end``: a margin kept against the day's noise)
          - 30 if this is a repeat visit and the technician is rated for the kind of work

Options that keep every promise already given are listed first; options that would
break one are listed separately and never booked without saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dispatch.domain.model import Technician, Ticket, TimeWindow
from dispatch.domain.promise import promise_window
from dispatch.domain.urgency import Urgency, assess
from dispatch.services.disruptions import out_now
from dispatch.services.live import LiveDay, at, build_live_day, start_point, ts
from dispatch.services.live_cache import ROUTES
from dispatch.services.reports import preferred
from dispatch.store.ports import UnitOfWork
from solver.insertion import Insertion, NewJob, best_insertions
from solver.traveltime.hourly import hour_factor, unix_factor
from solver.traveltime.protocol import TravelTimes

ADDED_TRAVEL_WEIGHT = 0.5
RATED_BONUS_MIN = 30.0


@dataclass(frozen=True)
class Affected:
    ticket_id: int
    old_eta: datetime
    new_eta: datetime
    promised_end: datetime
    breaks_promise: bool


@dataclass(frozen=True)
class Score:
    value: float
    eta_min: float
    added_travel_min: float
    rated_bonus_min: float
    explanation: str


@dataclass(frozen=True)
class Candidate:
    technician: Technician
    route_version: int
    insertion: Insertion
    eta: datetime
    window: TimeWindow
    travel: timedelta  # from where the technician is now, straight to the customer
    added_travel: timedelta
    affected: tuple[Affected, ...]
    score: Score

    @property
    def keeps_promises(self) -> bool:
        return not any(a.breaks_promise for a in self.affected)


@dataclass(frozen=True)
class Quote:
    ticket: Ticket
    urgency: Urgency
    candidates: list[Candidate]  # keep every promise, best first
    breaking: list[Candidate]  # would break someone's promise, best first
    day: LiveDay
    reason: str | None  # why nobody is offered, when both lists are empty


def _score(ticket: Ticket, tech: Technician, eta_min: float, added_min: float,
           squeezed_min: float = 0.0, after_lunch: bool = False) -> Score:  # fmt: skip
    bonus = RATED_BONUS_MIN if ticket.repeat_of and ticket.kind in tech.rated_for else 0.0
    value = eta_min + ADDED_TRAVEL_WEIGHT * (added_min + squeezed_min) - bonus
    arrives = f"arrives in {eta_min:.0f} min" + (", after a lunch break" if after_lunch else "")
    parts = [arrives, f"adds {added_min:.0f} min of driving"]
    if squeezed_min >= 1:
        parts.append(f"takes {squeezed_min:.0f} min of margin from other customers' windows")
    if bonus:
        parts.append(f"rated for {ticket.kind} on a repeat visit (-{bonus:.0f})")
    return Score(round(value, 1), round(eta_min, 1), round(added_min, 1), bonus, "; ".join(parts))


def load_live_day(uow: UnitOfWork, ticket: Ticket, now: datetime) -> LiveDay:
    out = out_now(uow, now)  # broken down or away: offered to nobody until it ends
    techs = [t for t in uow.technicians.all()
             if t.has_skills(ticket.skills) and t.shift.end > now and t.id not in out]  # fmt: skip
    # versions before routes: a booking landing in between makes our claim fail, safely
    ids = [t.id for t in techs]
    versions = uow.technicians.route_versions(ids)
    routes = ROUTES.routes(uow, ids, versions)
    visits = {tid: [v for v, _, _ in entry.visits] for tid, entry in routes.items()}
    urgency = {
        v.ticket_id: (f, marked) for entry in routes.values() for v, f, marked in entry.visits
    }
    states = uow.technicians.field_states([t.id for t in techs if t.lunch is not None])
    return build_live_day(now, techs, versions, visits, urgency, states)


def _who_failed(uow: UnitOfWork, ticket: Ticket) -> int | None:
    """For a repeat visit: the technician of the visit before."""
    if ticket.repeat_of is None:
        return None
    before = uow.tickets.get(ticket.repeat_of)
    return before.visit.technician_id if before and before.visit else None


def quote(uow: UnitOfWork, ticket: Ticket, now: datetime, travel: TravelTimes) -> Quote:
    """Must run inside an open unit of work (the booking reuses its snapshot)."""
    urgency = assess(ticket.factors, ticket.priority.value == "urgent", now)
    day = load_live_day(uow, ticket, now)
    if not day.routes:
        needed = ", ".join(sorted(ticket.skills)) or "no particular skill"
        out = out_now(uow, now)
        away = sum(t.id in out and t.has_skills(ticket.skills) for t in uow.technicians.all())
        why = f" ({away} with it broken down or away)" if away else ""
        return Quote(ticket, urgency, [], [], day,
                     f"no technician with {needed} is on shift and free today{why}")  # fmt: skip
    job = NewJob(
        location=ticket.location.latlon,
        service_s=int(ticket.service.total_seconds()),
        windows=tuple((ts(w.start), ts(w.end)) for w in ticket.spans),
    )
    origins = []
    for route in day.routes:
        origins.append(route.start)
        origins.extend(s.location for s in route.stops)
    destinations = [s.location for r in day.routes for s in r.stops]
    # free of the hour: the insertion drives each leg in the hour it starts
    to_job = travel.matrix(origins, [job.location])[:, 0]
    from_job: list[float] = (
        travel.matrix([job.location], destinations)[0, :].tolist() if destinations else []
    )
    to_rows: list[list[int]] = []
    from_rows: list[list[int]] = []
    i = j = 0
    for route in day.routes:
        n = len(route.stops)
        to_rows.append([round(float(x)) for x in to_job[i : i + n + 1]])
        from_rows.append([round(float(x)) for x in from_job[j : j + n]])
        i += n + 1
        j += n
    hour = unix_factor(hour_factor(travel, job.location))
    options = best_insertions(day.routes, job, to_rows, from_rows, urgency.may_push, hour)
    keep: list[Candidate] = []
    breaking: list[Candidate] = []
    direct = {route.vehicle_id: round(row[0] * hour(route.start_s))
              for route, row in zip(day.routes, to_rows, strict=True)}  # fmt: skip
    for ins in options:
        tech = day.technicians[ins.vehicle_id]
        cand = _candidate(ticket, tech, day, ins, now, direct[tech.id])
        (keep if cand.keeps_promises else breaking).append(cand)
    keep.sort(key=lambda c: (c.score.value, c.technician.id))
    if ticket.repeat_of is not None:  # second time perfect: the best rated for this kind
        before, rated = _who_failed(uow, ticket), preferred(uow, ticket.kind, now)
        keep.sort(key=lambda c: (c.technician.id == before,  # him only if nobody else can
                                 tuple(-x for x in rated.get(c.technician.id, (0.0, 0.0)))))
    breaking.sort(key=lambda c: (len([a for a in c.affected if a.breaks_promise]), c.score.value))
    reason: str | None = None
    if not keep and not breaking:
        reason = (
            "no technician with the skills can fit "
            f"{ticket.service.total_seconds() / 60:g} min of work"
            + (" inside the requested window" if ticket.window else "")
            + " before their shift ends"
        )
    return Quote(ticket, urgency, keep, breaking, day, reason)


def _candidate(
    ticket: Ticket, tech: Technician, day: LiveDay, ins: Insertion, now: datetime, direct_s: int
) -> Candidate:
    eta = at(ins.start_s)
    window = promise_window(now, eta, ins.stops_ahead)
    asked = ticket.span_at(eta)
    if asked is not None:  # never promise outside what the customer asked for
        window = TimeWindow(
            max(window.start, min(asked.start, eta)), min(window.end, max(asked.end, eta))
        )
    latest = tech.shift.end - ticket.service  # nor a time he could not finish by his shift end
    if window.end > latest:
        window = TimeWindow(min(window.start, max(eta, latest)), max(eta, latest))
    visits = {v.ticket_id: v for v in day.visits[tech.id]}
    affected = tuple(
        Affected(
            ticket_id=s.stop_id,
            old_eta=visits[s.stop_id].eta,
            new_eta=at(s.new_arrival_s),
            promised_end=visits[s.stop_id].promise.end,
            breaks_promise=s.breaks_promise,
        )
        for s in ins.shifted
    )
    eta_min = max(0.0, (eta - now).total_seconds() / 60)
    return Candidate(
        technician=tech,
        route_version=day.versions[tech.id],
        insertion=ins,
        eta=eta,
        window=window,
        travel=timedelta(seconds=direct_s),
        added_travel=timedelta(seconds=ins.added_travel_s),
        affected=affected,
        score=_score(ticket, tech, eta_min, ins.added_travel_s / 60, ins.squeezed_s / 60,
                     ins.after_lunch),
    )


__all__ = ["Affected", "Candidate", "Quote", "Score", "quote", "start_point"]
