"""Scenario files: what a simulated day is made of, in YAML, checked by pydantic so a
mistake is named with its file, its field and what is wrong, never a stack trace.

The schema is documented field by field in docs/simulator.md; this module is its
single source (``Scenario.model_json_schema()`` prints it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

KINDS = {"cable_stuck": ("cable_release", 30), "charger_offline": ("ac_charger", 45),
         "payment_failure": ("payment_terminal", 40)}  # fmt: skip
Clock = Annotated[dt.time, Field(description="a local time of day, HH:MM")]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not ignored


class LunchSpec(Strict):
    """Everyone's lunch, in their calendar: planned by the system, eaten by the truth's
    habit (``simulator/lunch.py``)."""

    earliest: Clock = dt.time(12, 0)
    latest: Clock = dt.time(13, 30)
    minutes: Annotated[int, Field(ge=5, le=120)] = 30

    @model_validator(mode="after")
    def _fits(self) -> LunchSpec:
        span = (self.latest.hour * 60 + self.latest.minute) - (
            self.earliest.hour * 60 + self.earliest.minute)  # fmt: skip
        if span < self.minutes:
            raise ValueError(f"a {self.minutes}-minute lunch does not fit between "
                             f"{self.earliest:%H:%M} and {self.latest:%H:%M}")  # fmt: skip
        return self


class Fleet(Strict):
    technicians: Annotated[int, Field(ge=1, le=1000, description="synthetic technicians")] = 12
    shift_start: Clock = dt.time(8, 0)
    shift_hours: Annotated[float, Field(gt=0, le=14)] = 9.0
    lunch: LunchSpec | None = Field(default=None, description="none: they work through")

    @model_validator(mode="after")
    def _lunch_in_shift(self) -> Fleet:
        if self.lunch is None:
            return self
        start = self.shift_start.hour * 60 + self.shift_start.minute
        end = start + round(self.shift_hours * 60)
        first = self.lunch.earliest.hour * 60 + self.lunch.earliest.minute
        last = self.lunch.latest.hour * 60 + self.lunch.latest.minute
        if end >= 24 * 60 or not start <= first < last <= end:
            raise ValueError("lunch must lie inside the shift, and the shift inside the day")
        return self

    @property
    def shift_end(self) -> dt.time:
        start = self.shift_start.hour * 60 + self.shift_start.minute
        minutes = start + round(self.shift_hours * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)


class Demand(Strict):
    booked_per_technician: Annotated[
        int, Field(ge=0, le=30, description="booked before the day")
    ] = 8
    per_hour: Annotated[
        float, Field(ge=0, le=500, description="new tickets an hour in the day")
    ] = 1.0
    from_: Annotated[Clock, Field(alias="from")] = dt.time(8, 0)
    until: Clock = dt.time(14, 0)
    kinds: dict[str, Share] = Field(
        default_factory=lambda: {"cable_stuck": 0.5, "charger_offline": 0.5},
        description="the mix of work: kind -> share (cable_stuck, charger_offline, "
        "payment_failure)")  # fmt: skip
    urgent_share: Share = 0.1
    later_share: Annotated[Share, Field(description="share asking for a later day")] = 0.0

    @model_validator(mode="after")
    def _known_kinds(self) -> Demand:
        unknown = sorted(set(self.kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown kind(s) {unknown}; known: {sorted(KINDS)}")
        if self.kinds and abs(sum(self.kinds.values()) - 1.0) > 1e-6:
            raise ValueError(f"the kinds' shares add up to {sum(self.kinds.values()):g}, not 1")
        return self


# A day's real traffic: about the planning profile's level (solver/roadnet/profile.py:
# 07-09 h x1.25, 09-16 h x1.10, 16-18 h x1.30) but another shape: a sharper early rush,
# a lunchtime bump, an earlier evening rush. Unlike the plan, as real days are.
TRUTH_CONGESTION = {7: 1.35, 8: 1.2, 9: 1.15, 10: 1.05, 11: 1.1, 12: 1.15, 13: 1.05,
                    14: 1.1, 15: 1.2, 16: 1.3, 17: 1.4, 18: 1.15}  # fmt: skip


class Truth(Strict):
    congestion: dict[int, float] = Field(
        default_factory=lambda: dict(TRUTH_CONGESTION),
        description="real drive time factor by local hour of departure (others 1.0)",
    )
    travel_sigma: Annotated[float, Field(ge=0, le=1.5)] = 0.25
    service_sigma: Annotated[float, Field(ge=0, le=1.5)] = 0.30
    position_every_s: Annotated[int, Field(ge=10, le=3600)] = 300
    not_home: Annotated[Share, Field(description="chance the customer is not there")] = 0.0
    wrong_part: Annotated[Share, Field(description="chance the visit fails for a wrong part")] = 0.0
    early: Literal["wait", "start"] = Field(
        default="wait", description="a technician at the door before the window the customer was "
        "told (their phone shows it) waits for it to open, or starts at once")


class Customers(Strict):
    pick_offer: Annotated[Share, Field(description="answers a force-majeure offer")] = 0.7
    pick_after_min: Annotated[int, Field(ge=0, le=600)] = 20
    confirm: Annotated[Share, Field(description="says solved or not after the visit")] = 0.8
    nps_kept: Annotated[tuple[float, float], Field(description="mean, sd when on time")] = (
        9.0,
        1.0,
    )
    nps_broken: Annotated[tuple[float, float], Field(description="mean, sd when not")] = (5.5, 2.0)
    call_after_min: Annotated[
        int, Field(ge=0, le=600, description="calls when the window passed without news")
    ] = 15


class Area(Strict):
    south: float = Field(ge=-90, le=90)
    west: float = Field(ge=-180, le=180)
    north: float = Field(ge=-90, le=90)
    east: float = Field(ge=-180, le=180)


class DisruptionSpec(Strict):
    at: Clock
    kind: Literal["breakdown", "sick", "slowdown"]
    technician: Annotated[int | None, Field(ge=1, description="1-based index in the fleet")] = None
    repair_min: Annotated[
        int, Field(ge=1, le=1440, description="a breakdown's real repair time")
    ] = 90
    estimate_min: Annotated[
        int | None, Field(ge=1, le=1440, description="what the technician says; default real")
    ] = None
    until: Annotated[Clock | None, Field(description="a slowdown's end")] = None
    factor: Annotated[
        float, Field(gt=1.0, le=5.0, description="a slowdown's drive time factor")
    ] = 1.5
    area: Annotated[Area | None, Field(description="a slowdown's box; null: the whole region")] = (
        None
    )
    reason: Annotated[str, Field(max_length=200)] = ""

    @model_validator(mode="after")
    def _needs(self) -> DisruptionSpec:
        if self.kind in ("breakdown", "sick") and self.technician is None:
            raise ValueError(f"a {self.kind} needs the technician (1-based index)")
        if self.kind == "slowdown" and self.until is None:
            raise ValueError("a slowdown needs its end: until")
        return self


class Scenario(Strict):
    name: str = Field(min_length=1, max_length=100)
    description: str = ""
    region: Literal["puurs", "liechtenstein"] = "puurs"
    date: dt.date = dt.date(2026, 11, 24)
    zone: str = "Europe/Brussels"
    seed: int = 1
    step_s: Annotated[int, Field(ge=30, le=1800, description="the live jobs run this often")] = 300
    replan_every_min: Annotated[int, Field(ge=1, le=240)] = 10
    fleet: Fleet = Fleet()
    demand: Demand = Demand()
    truth: Truth = Truth()
    customers: Customers = Customers()
    disruptions: list[DisruptionSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fleet_indices(self) -> Scenario:
        for k, d in enumerate(self.disruptions):
            if d.technician is not None and d.technician > self.fleet.technicians:
                raise ValueError(f"disruptions[{k}].technician {d.technician}: the fleet "
                                 f"has {self.fleet.technicians} technicians")  # fmt: skip
        return self


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the field."""


def load(path: Path) -> Scenario:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read it ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping of fields, got {type(data).__name__}")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        lines = [f"{path}: {len(exc.errors())} problem(s)"]
        for e in exc.errors():
            where = ".".join(str(p) for p in e["loc"]) or "(top level)"
            lines.append(f"  {where}: {e['msg']}")
        raise ScenarioError("\n".join(lines)) from None
