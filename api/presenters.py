"""Domain objects to response bodies, with times shown in the service's time zone."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from api.message_schemas import AttemptOut, CustomerMessageOut, MessageOut, TrackingOut
from api.navigation import geo_uri, google_maps, waze
from api.schemas import (
    AffectedOut,
    AssignmentOut,
    CandidateOut,
    CandidatesOut,
    LocationIn,
    LunchOut,
    NavigationOut,
    RouteOut,
    ScoreOut,
    StopOut,
    TechnicianOut,
    TicketOut,
    UrgencyOut,
    WindowOut,
)
from dispatch.domain.lunch import Shown
from dispatch.domain.messages import Message
from dispatch.domain.model import Technician, Ticket, TimeWindow
from dispatch.services.quote import Candidate, Quote
from dispatch.services.routes import RouteView
from dispatch.services.tracking import Tracking

_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")


class Presenter:
    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def t(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def detail(self, value: Any) -> Any:
        """A history entry's detail with its times (ISO strings, as the outbox keeps them,
        in UTC) in the service's zone, like the entry's own time."""
        if isinstance(value, dict):
            return {k: self.detail(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.detail(v) for v in value]
        if isinstance(value, str) and _ISO.match(value):
            try:
                return self.t(datetime.fromisoformat(value)).isoformat()
            except ValueError:
                return value
        return value

    def window(self, w: TimeWindow) -> WindowOut:
        return WindowOut(start=self.t(w.start), end=self.t(w.end))

    def ticket(self, ticket: Ticket, technician: Technician | None) -> TicketOut:
        assignment = None
        if ticket.visit is not None and technician is not None:
            assignment = AssignmentOut(
                technician_id=technician.id,
                technician_name=technician.name,
                eta=self.t(ticket.visit.eta),
                window=self.window(ticket.visit.window),
                sequence=ticket.visit.sequence,
            )
        return TicketOut(
            id=ticket.id,
            status=ticket.status.value,
            tracking_token=ticket.tracking_token,
            kind=ticket.kind,
            priority=ticket.priority.value,
            skills=sorted(ticket.skills),
            duration_min=ticket.service.total_seconds() / 60,
            location=LocationIn(lat=ticket.location.lat, lon=ticket.location.lon),
            window=self.window(ticket.window) if ticket.window else None,
            availability=[self.window(w) for w in ticket.availability],
            created_at=self.t(ticket.created_at),
            assignment=assignment,
            reason=ticket.unassigned_reason,
            repeat_of=ticket.repeat_of,
            problem=ticket.problem or None,
            property_at_risk=ticket.factors.property_at_risk,
        )

    def route(self, view: RouteView) -> RouteOut:
        return RouteOut(
            technician_id=view.technician.id,
            name=view.technician.name,
            shift=self.window(view.technician.shift),
            stops=[
                StopOut(
                    ticket_id=v.ticket_id,
                    sequence=v.sequence,
                    kind=view.kinds.get(v.ticket_id, ""),
                    problem=view.problems.get(v.ticket_id),
                    lat=v.location.lat,
                    lon=v.location.lon,
                    eta=self.t(v.eta),
                    window=self.window(v.window),
                    duration_min=v.service.total_seconds() / 60,
                    status=v.status.value,
                    navigation=NavigationOut(
                        geo=geo_uri(v.location.lat, v.location.lon, f"ticket {v.ticket_id}"),
                        google_maps=google_maps(v.location.lat, v.location.lon),
                        waze=waze(v.location.lat, v.location.lon),
                    ),
                    leg_min=round(v.leg_s / 60, 1),
                    geometry=view.geometry.get(v.ticket_id),
                )
                for v in view.stops
            ],
            lunch=self.lunch(view.technician, view.lunch, view.break_since),
        )

    def lunch(self, tech: Technician, shown: Shown | None,
              since: datetime | None) -> LunchOut | None:  # fmt: skip
        if shown is None:
            return None
        planned = tech.lunch
        return LunchOut(
            status=shown,
            window=self.window(TimeWindow(planned.earliest, planned.latest)) if planned else None,
            minutes=planned.duration.total_seconds() / 60 if planned else None,
            since=self.t(since) if since else None,
        )

    def technician(self, tech: Technician) -> TechnicianOut:
        return TechnicianOut(
            id=tech.id,
            code=tech.code,
            name=tech.name,
            skills=sorted(tech.skills),
            home=LocationIn(lat=tech.home.lat, lon=tech.home.lon),
            shift=self.window(tech.shift),
        )

    def tracking(self, tr: Tracking) -> TrackingOut:
        return TrackingOut(
            status=tr.status,
            kind=tr.kind,
            window=self.window(tr.window) if tr.window else None,
            technician_first_name=tr.technician_first_name,
            message=tr.message,
            situation=tr.situation,
            reason=tr.reason,
            technician_near=LocationIn(lat=tr.near.at.lat, lon=tr.near.at.lon) if tr.near else None,
            technician_km=tr.near.km if tr.near else None,
            locale=tr.locale,
            messages=[
                CustomerMessageOut(
                    kind=m.kind, channel=m.channel, sent_at=self.t(m.sent_at), subject=m.subject
                )
                for m in tr.told
                if m.sent_at is not None
            ],
            channels=tr.preferences.channels,
            opted_out=tr.preferences.opted_out,
        )

    def message(self, m: Message) -> MessageOut:
        return MessageOut(
            id=m.message_id, kind=m.kind, channel=m.channel, recipient=m.recipient,
            status=m.status.value, why=m.why, send_after=self.t(m.send_after),
            sent_at=self.t(m.sent_at) if m.sent_at else None,
            attempts=[AttemptOut(at=self.t(a), ok=ok, detail=d) for a, ok, d in m.log],
            subject=m.subject,
        )  # fmt: skip

    def candidate(self, c: Candidate) -> CandidateOut:
        return CandidateOut(
            technician_id=c.technician.id,
            name=c.technician.name,
            travel_min=round(c.travel.total_seconds() / 60, 1),
            eta=self.t(c.eta),
            window=self.window(c.window),
            added_travel_min=round(c.added_travel.total_seconds() / 60, 1),
            position=c.insertion.position,
            route_version=c.route_version,
            breaks_promises=not c.keeps_promises,
            affected_visits=[
                AffectedOut(
                    ticket_id=a.ticket_id,
                    old_eta=self.t(a.old_eta),
                    new_eta=self.t(a.new_eta),
                    promised_end=self.t(a.promised_end),
                    breaks_promise=a.breaks_promise,
                )
                for a in c.affected
            ],
            score=ScoreOut(
                value=c.score.value,
                eta_min=c.score.eta_min,
                added_travel_min=c.score.added_travel_min,
                rated_bonus_min=c.score.rated_bonus_min,
                explanation=c.score.explanation,
            ),
        )

    def quote(self, q: Quote, limit: int) -> CandidatesOut:
        return CandidatesOut(
            ticket_id=q.ticket.id,
            urgency=UrgencyOut(
                score=q.urgency.score, may_push=q.urgency.may_push, reasons=list(q.urgency.reasons)
            ),
            candidates=[self.candidate(c) for c in q.candidates[:limit]],
            breaking_promises=[self.candidate(c) for c in q.breaking[:limit]],
            reason=q.reason,
        )
