"""A technician's working calendar: the week, the exceptions, and what a change did today."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query

from api.calendar_schemas import (
    CalendarOut,
    DayOut,
    ExceptionChangeOut,
    ExceptionIn,
    ExceptionOut,
    LunchOut,
    PatternIn,
    PatternOut,
    TodayOut,
)
from api.deps import ClockDep, RowId, SettingsDep, UowDep
from api.schemas import Day
from dispatch.domain.calendar import LAST_YEAR
from dispatch.domain.errors import InvalidInput
from dispatch.domain.workdays import Workday, local_date
from dispatch.services import calendars
from dispatch.services.calendars import TodayChanged

router = APIRouter(prefix="/api/technicians/{technician_id}/calendar", tags=["calendar"])
DEFAULT_DAYS = 14
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such technician (or exception)"}
}
BAD_RANGE = {**NOT_FOUND, 422: {"description": "a range backwards or over 366 days"}}
BAD_HOURS = {**NOT_FOUND, 422: {"description": "hours or a lunch that cannot be"}}


def _day(d: Workday, zone: ZoneInfo) -> DayOut:
    lunch = d.lunch
    return DayOut(
        date=d.day, working=d.working,
        start=d.shift.start.astimezone(zone) if d.shift else None,
        end=d.shift.end.astimezone(zone) if d.shift else None,
        lunch=LunchOut(earliest=lunch.earliest.astimezone(zone),
                       latest=lunch.latest.astimezone(zone),
                       minutes=int(lunch.duration.total_seconds() // 60)) if lunch else None,
        source=d.source, note=d.note, exception_id=d.exception_id,
    )  # fmt: skip


def _today(t: TodayChanged, zone: ZoneInfo) -> TodayOut:
    s = t.shift
    return TodayOut(shift_start=s.start.astimezone(zone) if s else None,
                    shift_end=s.end.astimezone(zone) if s else None,
                    released=t.released, kept=t.kept)  # fmt: skip


@router.get("", response_model=CalendarOut, summary="Working days, shifts and lunch breaks",
            responses=BAD_RANGE)  # fmt: skip
def get_calendar(
    technician_id: RowId,
    uow: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    first: Day | None = Query(None, alias="from", description="default: today"),
    last: Day | None = Query(None, alias="to", description="default: 13 days after from"),
) -> CalendarOut:
    zone = settings.timezone.key
    first = first or local_date(clock.now(), zone)
    if last is None:
        if first.year > LAST_YEAR:
            raise InvalidInput(f"dates run to {LAST_YEAR}")
        last = first + timedelta(days=DEFAULT_DAYS - 1)
    cal = calendars.calendar(uow, technician_id, first, last, zone)
    shown = ZoneInfo(cal.pattern.zone if cal.pattern else zone)
    return CalendarOut(
        technician_id=technician_id, zone=shown.key,
        pattern=PatternIn.of(cal.pattern) if cal.pattern else None,
        days=[_day(d, shown) for d in cal.days],
    )  # fmt: skip


@router.put("/pattern", response_model=PatternOut, summary="Set the weekly pattern",
            responses=BAD_HOURS)  # fmt: skip
def put_pattern(
    technician_id: RowId, body: PatternIn, uow: UowDep, clock: ClockDep
) -> PatternOut:
    pattern = body.domain()
    today = calendars.set_pattern(uow, clock, technician_id, pattern)
    return PatternOut(pattern=PatternIn.of(pattern), today=_today(today, ZoneInfo(pattern.zone)))


@router.post("/exceptions", response_model=ExceptionChangeOut, status_code=201,
             summary="A day off, sick, other hours or an extra shift",
             responses={**NOT_FOUND, 409: {"description": "that date already has one"},
                        422: {"description": "hours missing, or given for a day off"}})  # fmt: skip
def post_exception(
    technician_id: RowId, body: ExceptionIn, uow: UowDep, clock: ClockDep, settings: SettingsDep
) -> ExceptionChangeOut:
    zone = settings.timezone.key
    stored, today = calendars.add_exception(uow, clock, technician_id, body.domain(), zone)
    return ExceptionChangeOut(exception=ExceptionOut.of(stored),
                              today=_today(today, settings.timezone))  # fmt: skip


@router.delete("/exceptions/{exception_id}", response_model=ExceptionChangeOut,
               summary="Back to the pattern on that date", responses=NOT_FOUND)  # fmt: skip
def delete_exception(
    technician_id: RowId, exception_id: RowId, uow: UowDep, clock: ClockDep, settings: SettingsDep
) -> ExceptionChangeOut:
    zone = settings.timezone.key
    today = calendars.delete_exception(uow, clock, technician_id, exception_id, zone)
    return ExceptionChangeOut(exception=None, today=_today(today, settings.timezone))
