"""Run a scenario end to end: a fresh database, the day, the figures. One call for the
CLI, the tests and the what-if comparison."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator import metrics as kpi
from simulator.engine import Day
from simulator.record import DayRecord
from simulator.replans import replan_summary
from simulator.scenario import Scenario
from simulator.world import build


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    day: DayRecord
    metrics: dict[str, Any]
    counts: dict[str, Any]
    verdicts: dict[str, bool | None]
    seconds: float  # wall-clock time of the whole run
    rejected: int  # technician events the system refused: always 0 unless a bug
    replans: dict[str, Any]  # what the periodic replans changed (simulator.replans)
    tickets: int
    refused: int  # tickets the helpdesk's use case would not take (always 0 unless a bug)

    @property
    def told_before_window(self) -> dict[str, int]:
        return kpi.told_before_window(self.day)

    def as_json(self) -> dict[str, Any]:
        return {"scenario": self.scenario.name, "seed": self.scenario.seed,
                "metrics": self.metrics, "counts": self.counts, "verdicts": self.verdicts,
                "run": {"seconds": round(self.seconds, 1), "rejected_events": self.rejected,
                        "replans": self.replans["runs"],
                        "replans_applied": self.replans["applied"],
                        "tickets": self.tickets, "tickets_refused": self.refused},
                "snow_told_before_window": self.told_before_window,
                "replans": self.replans}  # fmt: skip


def simulate(sc: Scenario, progress: Callable[[float], None] | None = None,
             database_url: str | None = None) -> Result:  # fmt: skip
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fd-sim-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'day.sqlite3'}"
        world = build(sc, url)
        day = Day(sc, world, progress)
        record = day.run()
        world.engine.dispose()
    m, c = kpi.metrics(record), kpi.counts(record)
    verdicts = kpi.verdicts(m, record.level)
    if c.get("untold_affected"):  # a customer never told is worse than a slow message
        verdicts["disruption_to_message_s_max"] = False
    return Result(sc, record, m, c, verdicts, time.perf_counter() - started, day.rejected,
                  replan_summary(day.jobs.replans), day.demand.count,
                  len(day.demand.refused))  # fmt: skip
