"""Travel times from a user's own OSRM server (``/table`` and ``/route``).

For teams that already run OSRM with their own car profile. Coordinates go out as
``lon,lat``; ``null`` durations (unreachable pairs) become infinity; a waypoint that
OSRM snapped further than ``max_snap_m`` away is refused like a point off our own
network; any other failure raises ``OsrmError`` naming the server's message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import httpx
import numpy as np
import numpy.typing as npt

from solver.geo import LatLon
from solver.traveltime.protocol import OutsideServiceArea


class OsrmError(RuntimeError):
    pass


class OsrmClient:
    def __init__(
        self,
        base_url: str,
        profile: str = "driving",
        timeout_s: float = 10.0,
        max_snap_m: float = 1000.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.profile = profile
        self.max_snap_m = max_snap_m
        self._client = client or httpx.Client(timeout=timeout_s)

    @staticmethod
    def _coords(points: Sequence[LatLon]) -> str:
        return ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)

    def _get(self, service: str, points: Sequence[LatLon], params: dict[str, str]) -> Any:
        # The query is written by hand: OSRM expects literal ';' between indices, which
        # a generic encoder would turn into %3B.
        query = "&".join(f"{k}={v}" for k, v in params.items())
        url = f"{self.base_url}/{service}/v1/{self.profile}/{self._coords(points)}?{query}"
        try:
            resp = self._client.get(url)
        except httpx.HTTPError as exc:
            raise OsrmError(f"OSRM at {self.base_url} is unreachable: {exc}") from exc
        try:
            body = resp.json()
        except ValueError as exc:
            raise OsrmError(f"OSRM answered {resp.status_code} without JSON") from exc
        if body.get("code") != "Ok":
            raise OsrmError(f"OSRM {service} failed: {body.get('code')}: {body.get('message')}")
        return body

    def _check_snaps(self, points: Sequence[LatLon], waypoints: list[dict[str, Any]]) -> None:
        for point, wp in zip(points, waypoints, strict=False):
            distance = float(wp.get("distance", 0.0))
            if distance > self.max_snap_m:
                raise OutsideServiceArea(point, distance, self.max_snap_m)

    def matrix(
        self,
        origins: Sequence[LatLon],
        destinations: Sequence[LatLon],
        depart_at: datetime | None = None,
    ) -> npt.NDArray[np.float64]:
        if not origins or not destinations:
            return np.zeros((len(origins), len(destinations)))
        points = [*origins, *destinations]
        n = len(origins)
        body = self._get(
            "table",
            points,
            {
                "sources": ";".join(str(i) for i in range(n)),
                "destinations": ";".join(str(n + j) for j in range(len(destinations))),
                "annotations": "duration",
            },
        )
        self._check_snaps(origins, body.get("sources", []))
        self._check_snaps(destinations, body.get("destinations", []))
        rows = body.get("durations")
        if not isinstance(rows, list) or len(rows) != n:
            raise OsrmError("OSRM table answer has no durations of the expected shape")
        out = np.array(
            [[np.inf if x is None else float(x) for x in row] for row in rows], dtype=np.float64
        )
        if out.shape != (n, len(destinations)):
            raise OsrmError(f"OSRM table shape {out.shape}, expected {(n, len(destinations))}")
        return out

    def route(self, a: LatLon, b: LatLon) -> list[LatLon]:
        body = self._get("route", [a, b], {"overview": "full", "geometries": "geojson"})
        coords = body["routes"][0]["geometry"]["coordinates"]
        return [(float(lat), float(lon)) for lon, lat in coords]

    def covers(self, point: LatLon) -> bool:
        return True
