"""Typed dependencies: the unit of work, the clock, the travel times and the settings."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Path, Request

from api.schemas import MAX_ID
from dispatch.clock import Clock
from dispatch.config import Settings
from dispatch.services.slowdowns import travel_at
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.protocol import TravelTimes


def get_uow(request: Request) -> SqlUnitOfWork:
    """A unit of work acting for the caller ``api.authorise`` found: the audit's "who"."""
    return SqlUnitOfWork(request.app.state.sessions, getattr(request.state, "actor", "system"))


def get_clock(request: Request) -> Clock:
    return cast(Clock, request.app.state.clock)


def get_travel(request: Request) -> TravelTimes:
    """The roads, slowed where a declared slowdown (snow, a closed road) says so."""
    app = request.app
    return travel_at(SqlUnitOfWork(app.state.sessions), cast(TravelTimes, app.state.travel),
                     cast(Clock, app.state.clock).now())  # fmt: skip


def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


UowDep = Annotated[SqlUnitOfWork, Depends(get_uow)]
ClockDep = Annotated[Clock, Depends(get_clock)]
TravelDep = Annotated[TravelTimes, Depends(get_travel)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

# Row ids are 32-bit integers in both databases: a larger one is a 422, not a 500.
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="a positive id")]
