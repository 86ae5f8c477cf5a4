"""The FastAPI application, assembled from settings or from parts handed in by tests."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy.engine import Engine

from api import openapi_doc, problems
from api.authorise import authorise
from api.limits_body import BodyLimit
from api.rate_limits import RateLimit
from api.routers import (
    admin,
    auth,
    board,
    calendars,
    cases,
    disruptions,
    health,
    kinds,
    messages,
    pages,
    roads_map,
    slots,
    stream,
    technicians,
    tickets,
    track_forms,
    tracking,
    webhooks,
)
from api.security_headers import SecurityHeaders
from dispatch.clock import Clock
from dispatch.config import Settings
from dispatch.domain.model import GeoPoint
from dispatch.store.engine import make_engine, session_factory
from solver.traveltime.haversine import Haversine
from solver.traveltime.protocol import TravelTimes

DESCRIPTION = """
Field-service dispatch: a helpdesk agent creates a ticket, the nearest free technician
with the right skills is booked, the technician sees the visit on their route, and the
customer follows it through a tracking link. Errors are RFC 9457 problem details.
"""


def default_travel(settings: Settings) -> TravelTimes:
    """The configured road networks, with haversine wherever none of them reaches."""
    fallback = Haversine(settings.average_speed_kmh, settings.detour_factor)
    from solver.traveltime.regional import Region, Regional

    if settings.osrm_url:
        from solver.traveltime.osrm import OsrmClient

        return Regional([OsrmClient(settings.osrm_url)], fallback)
    if not settings.road_networks:
        return fallback
    from solver.roadnet.network import RoadNetwork

    regions: list[Region] = [RoadNetwork.from_file(p) for p in settings.road_networks]
    return Regional(regions, fallback)


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    clock: Clock | None = None,
    travel: TravelTimes | None = None,
    run_scheduler: bool = False,
) -> FastAPI:
    """``run_scheduler`` is for ``dispatch serve``; tests drive the jobs directly."""
    settings = settings or Settings.from_env()
    engine = engine or make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        scheduler = leader = None
        if run_scheduler:
            from apscheduler.schedulers.background import BackgroundScheduler

            from api.scheduler import JobContext, install_jobs
            from dispatch.services.replan import prepare_optimiser

            # the day optimiser compiles once per install (~20 s): beside the server,
            # now, not inside the first replan after a booking
            threading.Thread(target=prepare_optimiser, name="optimiser", daemon=True).start()
            scheduler = BackgroundScheduler(timezone="UTC")
            ctx = JobContext(engine, app.state.clock, app.state.travel, settings)
            leader = install_jobs(scheduler, ctx)
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None and leader is not None:
                scheduler.shutdown(wait=False)
                leader.release()

    app = FastAPI(title="field-dispatch", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan, dependencies=[Depends(authorise)])  # fmt: skip
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.clock = clock or settings.clock()
    app.state.travel = travel or default_travel(settings)
    app.state.snap = _snapper(app.state.travel)
    app.state.public_limit = RateLimit(settings.public_rate, settings.rate_limit_storage)
    app.state.login_limit = RateLimit(settings.login_rate, settings.rate_limit_storage)
    problems.install(app)
    openapi_doc.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    if settings.cors_origins:  # closed unless configured: the pages are same-origin
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST", "PUT", "DELETE"],
                           allow_headers=["Authorization", "Content-Type",
                                          "Idempotency-Key"])  # fmt: skip
    for module in (health, auth, kinds, tickets, slots, technicians, calendars, disruptions,
                   board, roads_map, stream, tracking, cases, webhooks, messages, admin,
                   pages, track_forms):  # fmt: skip
        app.include_router(module.router)
    return app


def _snapper(travel: TravelTimes) -> Callable[[GeoPoint], tuple[GeoPoint, float]] | None:
    """Snap GPS fixes onto the roads of whichever region holds them, if any."""
    regions = getattr(travel, "regions", None)
    if not regions:
        return None

    def snap(point: GeoPoint) -> tuple[GeoPoint, float]:
        for region in regions:
            if region.covers(point.latlon) and hasattr(region, "snap"):
                where, metres = region.snap(point.latlon)
                return GeoPoint(*where), metres
        return point, 0.0

    return snap
