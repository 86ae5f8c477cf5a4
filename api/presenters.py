"""Domain objects to response bodies, with times shown in the service's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from api.schemas import (
    AssignmentOut,
    LocationIn,
    RouteOut,
    StopOut,
    TechnicianOut,
    TicketOut,
    TrackingOut,
    WindowOut,
)
from dispatch.domain.model import Technician, Ticket, TimeWindow
from dispatch.services.routes import RouteView
from dispatch.services.tracking import Tracking


class Presenter:
    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def t(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

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
            created_at=self.t(ticket.created_at),
            assignment=assignment,
            reason=ticket.unassigned_reason,
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
                    lat=v.location.lat,
                    lon=v.location.lon,
                    eta=self.t(v.eta),
                    window=self.window(v.window),
                    duration_min=v.service.total_seconds() / 60,
                    status=v.status.value,
                )
                for v in view.stops
            ],
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
        )
