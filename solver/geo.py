"""Coordinates as the solver sees them: WGS84 ``(lat, lon)`` float pairs."""

from __future__ import annotations

LatLon = tuple[float, float]
