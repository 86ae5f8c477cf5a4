"""Request and response bodies of the working calendar (``/api/technicians/{id}/calendar``)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictInt,
    field_validator,
)

from api.schemas import Day
from dispatch.domain.calendar import WEEKDAYS, DateException, DayKind, Hours, Lunch, WeeklyPattern

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _wall_clock(t: time) -> time:
    if t.tzinfo is not None:
        raise ValueError("give a wall-clock time like 08:00, without a UTC offset: "
                         "the pattern's zone says where")  # fmt: skip
    return t


# Wall-clock times read "08:00" and come back as they were written, to the minute.
Clock = Annotated[time, AfterValidator(_wall_clock),
                  PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str)]  # fmt: skip


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LunchIn(_In):
    earliest: Clock = Field(examples=["12:00"], description="the break starts no earlier")
    latest: Clock = Field(examples=["13:30"], description="and is over by then")
    minutes: StrictInt = Field(ge=1, le=180, examples=[30])

    def domain(self) -> Lunch:
        return Lunch(self.earliest, self.latest, self.minutes)


class HoursIn(_In):
    start: Clock = Field(examples=["08:00"], description="local wall-clock time")
    end: Clock = Field(examples=["17:00"])
    lunch: LunchIn | None = None

    def domain(self) -> Hours:
        return Hours(self.start, self.end, self.lunch.domain() if self.lunch else None)

    @classmethod
    def of(cls, h: Hours) -> HoursIn:
        lunch = h.lunch
        return cls(start=h.start, end=h.end, lunch=LunchIn(
            earliest=lunch.earliest, latest=lunch.latest, minutes=lunch.minutes
        ) if lunch else None)  # fmt: skip


class PatternIn(_In):
    zone: str = Field("Europe/Brussels", description="IANA time zone of the hours")
    days: dict[Weekday, HoursIn] = Field(
        description="hours per weekday; a weekday left out is a day off",
        examples=[{d: {"start": "08:00", "end": "17:00",
                       "lunch": {"earliest": "12:00", "latest": "13:30", "minutes": 30}}
                   for d in WEEKDAYS[:5]}],
    )  # fmt: skip

    @field_validator("zone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # "Europe" is a folder
            raise ValueError(f"unknown time zone {zone!r}; use an IANA name") from exc
        return zone

    def domain(self) -> WeeklyPattern:
        days = {WEEKDAYS.index(d): h.domain() for d, h in self.days.items()}
        return WeeklyPattern(self.zone, days)

    @classmethod
    def of(cls, p: WeeklyPattern) -> PatternIn:
        days = {cast(Weekday, WEEKDAYS[d]): HoursIn.of(h) for d, h in sorted(p.days.items())}
        return cls(zone=p.zone, days=days)


class ExceptionIn(_In):
    date: Day
    kind: DayKind = Field(description="off, sick, hours (other hours) or extra (extra shift)")
    hours: HoursIn | None = Field(None, description="for kind hours and extra only")
    note: str = Field("", max_length=500)

    def domain(self) -> DateException:
        return DateException(self.date, self.kind, self.hours.domain() if self.hours else None,
                             self.note)  # fmt: skip


class ExceptionOut(BaseModel):
    id: int
    date: date
    kind: DayKind
    hours: HoursIn | None
    note: str
    created_at: datetime | None

    @classmethod
    def of(cls, e: DateException) -> ExceptionOut:
        assert e.id is not None
        hours = HoursIn.of(e.hours) if e.hours else None
        return cls(id=e.id, date=e.day, kind=e.kind, hours=hours, note=e.note,
                   created_at=e.created_at)  # fmt: skip


class LunchOut(BaseModel):
    earliest: datetime
    latest: datetime
    minutes: int


class DayOut(BaseModel):
    date: date
    working: bool
    start: datetime | None = Field(description="the shift, in the technician's zone")
    end: datetime | None
    lunch: LunchOut | None
    source: str = Field(description="pattern, shift (no pattern yet), or the exception's kind")
    note: str = ""
    exception_id: int | None = None


class CalendarOut(BaseModel):
    technician_id: int
    zone: str
    pattern: PatternIn | None = Field(description="null until a weekly pattern is set")
    days: list[DayOut]


class TodayOut(BaseModel):
    """What the change did to today: its shift now, and the visits it took off the route."""

    shift_start: datetime | None
    shift_end: datetime | None
    released: list[int] = Field(description="tickets taken off the route, now unassigned")
    kept: list[int] = Field(description="tickets already under way, left with the technician")


class PatternOut(BaseModel):
    pattern: PatternIn
    today: TodayOut


class ExceptionChangeOut(BaseModel):
    exception: ExceptionOut | None
    today: TodayOut
