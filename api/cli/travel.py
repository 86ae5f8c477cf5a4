"""The travel times a benchmark command runs on: the configured roads, or straight
lines (``--haversine``) for a quick run or a test."""

from __future__ import annotations

from solver.traveltime.protocol import TravelTimes


def bench_travel(haversine: bool) -> TravelTimes:
    from api.app import default_travel
    from dispatch.config import Settings
    from solver.traveltime.haversine import Haversine

    settings = Settings.from_env()
    if haversine:
        return Haversine(settings.average_speed_kmh, settings.detour_factor)
    return default_travel(settings)
