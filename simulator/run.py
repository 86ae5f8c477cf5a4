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
    replans: tuple[int, int]  # (run, applied)
    tickets: int

    @property
    def told_before_window(self) -> dict[str, int]:
        """Slowdowns (snow): of the customers the system chose to tell, how many heard
        before their window started ("n" of "of"); the window is the one the news gave,
        else the one they held."""
        n = of = 0
        for d in self.day.disruptions:
            for ticket in d.affected if d.kind == "slowdown" else ():
                told = self.day.told_to(ticket)
                news = next((t for t in told if t.at >= d.at), None)
                held = [t.window for t in told if t.at < d.at and t.window is not None]
                window = (news.window if news and news.window else None) or (
                    held[-1] if held else None)  # fmt: skip
                of += 1
                n += news is not None and window is not None and news.at < window.start
        return {"n": n, "of": of}

    def as_json(self) -> dict[str, Any]:
        return {"scenario": self.scenario.name, "seed": self.scenario.seed,
                "metrics": self.metrics, "counts": self.counts, "verdicts": self.verdicts,
                "run": {"seconds": round(self.seconds, 1), "rejected_events": self.rejected,
                        "replans": self.replans[0], "replans_applied": self.replans[1],
                        "tickets": self.tickets},
                "snow_told_before_window": self.told_before_window}  # fmt: skip


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
                  (day.jobs.replans, day.jobs.replans_applied), day.demand.count)  # fmt: skip
