"""How fast a car really goes on each kind of road, and at each hour.

Speed limits are optimistic: OSRM's car profile gives durations a median 1.38x longer
than naive speed-limit travel on the Puurs extract (10th-90th percentile 1.09-1.60;
see fixtures/osm/README.md). So a tagged ``maxspeed`` is scaled down by a per-class
ratio, and untagged roads get an effective speed that already includes junctions,
bends and traffic. The table below is the documented default; change it by passing a
``SpeedProfile`` (the compiled cache is keyed on it).

| class | effective km/h untagged | share of a tagged limit |
|---|---|---|
| motorway | 95 | 0.80 |
| motorway_link | 45 | 0.65 |
| trunk | 70 | 0.75 |
| trunk_link | 40 | 0.65 |
| primary | 48 | 0.70 |
| primary_link | 35 | 0.65 |
| secondary | 42 | 0.70 |
| secondary_link | 32 | 0.65 |
| tertiary | 36 | 0.68 |
| tertiary_link | 28 | 0.65 |
| unclassified | 30 | 0.62 |
| road | 25 | 0.60 |
| residential | 22 | 0.60 |
| living_street | 10 | 0.60 |
| service | 14 | 0.55 |

Time of day: travel times are multiplied by a per-hour factor of the departure time in
the region's zone (default: 07-09 h x1.25, 16-18 h x1.30, 09-16 h x1.10, evening 18-20 h
x1.10, night 22-06 h x0.95, otherwise x1.0).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

CLASS_SPEED_KMH: dict[str, float] = {
    "motorway": 95, "motorway_link": 45, "trunk": 70, "trunk_link": 40,
    "primary": 48, "primary_link": 35, "secondary": 42, "secondary_link": 32,
    "tertiary": 36, "tertiary_link": 28, "unclassified": 30, "road": 25,
    "residential": 22, "living_street": 10, "service": 14,
}  # fmt: skip
CLASS_LIMIT_SHARE: dict[str, float] = {
    "motorway": 0.80, "motorway_link": 0.65, "trunk": 0.75, "trunk_link": 0.65,
    "primary": 0.70, "primary_link": 0.65, "secondary": 0.70, "secondary_link": 0.65,
    "tertiary": 0.68, "tertiary_link": 0.65, "unclassified": 0.62, "road": 0.60,
    "residential": 0.60, "living_street": 0.60, "service": 0.55,
}  # fmt: skip
# Implicit limits ("BE-VLG:urban"); country-wide values where regions agree.
ZONE_LIMITS_KMH: dict[str, float] = {
    "urban": 50, "rural": 90, "motorway": 120, "trunk": 100, "living_street": 20,
    "walk": 7, "school": 30, "zone30": 30, "zone:30": 30, "bicycle_road": 30,
}  # fmt: skip
COUNTRY_ZONE_LIMITS_KMH: dict[str, float] = {
    "BE-VLG:rural": 70, "BE-BRU:rural": 70, "BE-WAL:rural": 90, "BE:rural": 90,
    "NL:rural": 80, "NL:motorway": 130, "DE:rural": 100, "DE:motorway": 130,
    "AT:rural": 100, "AT:motorway": 130, "CH:rural": 80, "CH:motorway": 120,
    "LI:rural": 80, "FR:rural": 80, "FR:motorway": 130, "LU:rural": 90,
    "LU:motorway": 130,
}  # fmt: skip
DEFAULT_HOURLY: tuple[float, ...] = (
    0.95, 0.95, 0.95, 0.95, 0.95, 0.95,  # 00-06
    1.00, 1.25, 1.25,                    # 06-09
    1.10, 1.10, 1.10, 1.10, 1.10, 1.10, 1.10,  # 09-16
    1.30, 1.30,                          # 16-18
    1.10, 1.10,                          # 18-20
    1.00, 1.00,                          # 20-22
    0.95, 0.95,                          # 22-24
)  # fmt: skip
NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$", re.IGNORECASE)


def parse_maxspeed(tag: str | None) -> float | None:
    """km/h from a ``maxspeed`` value, or None when it says nothing usable.

    Understands plain numbers, "mph", zone forms such as "NL:urban", "BE-VLG:rural" or
    "DE:zone30", and lists such as "50;70" (the lower value: the limit that binds).
    """
    if not tag:
        return None
    values = [v for v in (parse_maxspeed_one(p) for p in tag.split(";")) if v is not None]
    return min(values) if values else None


def parse_maxspeed_one(tag: str) -> float | None:
    tag = tag.strip()
    m = NUMBER.match(tag)
    if m:
        value = float(m.group(1))
        return value * 1.609344 if (m.group(2) or "").lower() == "mph" else value
    if tag in COUNTRY_ZONE_LIMITS_KMH:
        return COUNTRY_ZONE_LIMITS_KMH[tag]
    zone = tag.split(":", 1)[1] if ":" in tag else tag
    zone = zone.lower()
    if zone in ZONE_LIMITS_KMH:
        return ZONE_LIMITS_KMH[zone]
    digits = re.search(r"(\d+)", zone)
    return float(digits.group(1)) if digits and zone.startswith("zone") else None


@dataclass(frozen=True)
class SpeedProfile:
    class_speed_kmh: dict[str, float] = field(default_factory=lambda: dict(CLASS_SPEED_KMH))
    limit_share: dict[str, float] = field(default_factory=lambda: dict(CLASS_LIMIT_SHARE))
    hourly_factor: tuple[float, ...] = DEFAULT_HOURLY
    timezone: str = "Europe/Brussels"

    def __post_init__(self) -> None:
        if len(self.hourly_factor) != 24:
            raise ValueError("hourly_factor needs 24 values, one per hour")
        if any(f <= 0 for f in self.hourly_factor):
            raise ValueError("hourly factors must be positive")

    @property
    def drivable(self) -> frozenset[str]:
        return frozenset(self.class_speed_kmh)

    def speed_kmh(self, highway: str, maxspeed: str | None) -> tuple[float, bool]:
        """Effective speed, and whether it came from a tagged limit."""
        default = self.class_speed_kmh[highway]
        limit = parse_maxspeed(maxspeed)
        if limit is None or limit <= 0:
            return default, False
        return max(5.0, limit * self.limit_share.get(highway, 0.6)), True

    def factor(self, depart_at: datetime | None) -> float:
        if depart_at is None:
            return 1.0
        return self.hourly_factor[depart_at.astimezone(ZoneInfo(self.timezone)).hour]

    def fingerprint(self) -> str:
        """Changes whenever edge weights would: the compiled cache is keyed on it."""
        raw = json.dumps(
            {"speed": self.class_speed_kmh, "share": self.limit_share, "v": 1}, sort_keys=True
        )
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


DEFAULT_PROFILE = SpeedProfile()
