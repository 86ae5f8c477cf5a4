"""What a simulated day leaves behind: the truth (when each technician really arrived,
what really broke) beside what the customers were told and what the ETA engine
predicted, each with its moment. The metrics (``simulator.metrics``) and the report
(``simulator.report``) read only this, so either can be tested on a tiny hand-made day
whose right answer is known.

All times are aware datetimes (UTC inside, shown in the scenario's zone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

# message kinds (``dispatch.domain.message_kinds.MessageKind`` values) that announce a
# change of time: "late or changed messages" in the metrics (a weather notice tells the
# later window the slowdown makes, as force majeure does)
CHANGE_KINDS = frozenset({"running_late", "window_changed", "rebooked", "force_majeure",
                          "weather_notice"})  # fmt: skip


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    def holds(self, at: datetime) -> bool:
        return self.start <= at <= self.end

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


@dataclass(frozen=True)
class Told:
    """One message a customer received (sent), and the arrival time it gave them."""

    ticket_id: int
    at: datetime  # when it was sent
    kind: str  # booking_confirmation, on_the_way, running_late, force_majeure, ...
    window: Window | None  # the window it told; None when it told no time


@dataclass(frozen=True)
class Prediction:
    """The ETA engine's view of one visit not yet reached, at one simulated step."""

    ticket_id: int
    at: datetime  # when the prediction was made
    eta: datetime
    half_width: timedelta  # the stated interval: eta +/- half_width, at ``level``
    window: Window  # the window promised at that moment


@dataclass(frozen=True)
class Arrival:
    ticket_id: int
    technician_id: int
    at: datetime  # the truth: when the technician stood at the door


@dataclass(frozen=True)
class Outcome:
    """How a visit ended: fixed, or failed (wrong parts, nobody home) and why."""

    ticket_id: int
    at: datetime
    fixed: bool
    repeat: bool = False  # this visit was itself a second visit
    why: str = ""


@dataclass(frozen=True)
class Disruption:
    """A disruption as it happened, with the customers it touched."""

    kind: str  # breakdown, sick, slowdown, not_home, wrong_part
    at: datetime  # when it was declared to the system
    technician_id: int | None
    affected: tuple[int, ...] = ()  # tickets whose appointment it changed
    offered: tuple[int, ...] = ()  # ... of which offered a new appointment to choose
    unplaced: tuple[int, ...] = ()  # ... for which nothing could be offered


@dataclass(frozen=True)
class Shift:
    technician_id: int
    start: datetime
    end: datetime  # the planned end
    done: datetime | None  # when the last job really ended (None: did no work)
    drive_s: float = 0.0  # really driven
    work_s: float = 0.0  # really on site
    km: float = 0.0


@dataclass
class DayRecord:
    scenario: str
    seed: int
    start: datetime
    end: datetime
    zone: str = "Europe/Brussels"
    level: float = 0.80  # the stated coverage of the prediction intervals
    created: dict[int, datetime] = field(default_factory=dict)  # ticket -> asked at
    told: list[Told] = field(default_factory=list)  # in time order
    predictions: list[Prediction] = field(default_factory=list)  # in time order
    arrivals: dict[int, Arrival] = field(default_factory=dict)
    opens: dict[int, datetime] = field(default_factory=dict)  # told window start, at the door
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    disruptions: list[Disruption] = field(default_factory=list)
    contacts: list[tuple[int, datetime]] = field(default_factory=list)  # "where is he?"
    nps: list[int] = field(default_factory=list)  # scores given, 0-10
    shifts: list[Shift] = field(default_factory=list)
    unassigned: tuple[int, ...] = ()  # tickets nobody could take by the end
    # ticket -> (technician, start, end) of each visit as it really went, for the Gantt
    worked: list[tuple[int, int, datetime, datetime]] = field(default_factory=list)
    lunches: list[tuple[int, datetime, datetime]] = field(default_factory=list)  # tech, from, to

    def told_to(self, ticket_id: int) -> list[Told]:
        return [t for t in self.told if t.ticket_id == ticket_id]
