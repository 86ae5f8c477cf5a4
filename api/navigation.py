"""Hand-off links so a technician can open the stop in their own navigation app."""

from __future__ import annotations

from urllib.parse import urlencode


def geo_uri(lat: float, lon: float, label: str) -> str:
    """RFC 5870 ``geo:`` URI; Android offers every installed navigation app for it."""
    return f"geo:{lat:.6f},{lon:.6f}?q={lat:.6f},{lon:.6f}({label})"


def google_maps(lat: float, lon: float) -> str:
    query = urlencode({"api": 1, "destination": f"{lat:.6f},{lon:.6f}", "travelmode": "driving"})
    return f"https://www.google.com/maps/dir/?{query}"


def waze(lat: float, lon: float) -> str:
    return f"https://waze.com/ul?{urlencode({'ll': f'{lat:.6f},{lon:.6f}', 'navigate': 'yes'})}"
