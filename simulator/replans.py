"""How much the periodic replan changed through the day: the stability figures of
``dispatch bench day --live`` and the simulator's JSON."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from dispatch.services.replan import ReplanReport


def replan_summary(reports: Sequence[ReplanReport]) -> dict[str, Any]:
    """Per replan run: visits handed to another technician (as a share of the visits
    whose customer was told a name), visits reordered, and the driving saved."""
    applied = [r for r in reports if r.applied]
    shares = [r.moved / r.told for r in reports if r.told]
    return {
        "runs": len(reports),
        "applied": len(applied),
        "moved": sum(r.moved for r in applied),
        "moved_per_replan_max": max((r.moved for r in reports), default=0),
        "told_moved_share_max": round(max(shares, default=0.0), 4),
        "told_moved_share_mean": round(statistics.fmean(shares), 4) if shares else 0.0,
        "reordered": sum(r.reordered for r in applied),
        "driving_saved_min": round(sum(r.saved_s for r in applied) / 60, 1),
        "seconds_median": round(statistics.median([r.seconds for r in reports]), 2)
        if reports
        else 0.0,
    }
