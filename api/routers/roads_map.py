"""The region's roads for the console's map, from our own road networks (no outside
tile server: it works offline and on a fresh machine). © OpenStreetMap contributors,
ODbL; the attribution is drawn on the map."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from solver.roadnet.geojson import road_lines

router = APIRouter(prefix="/api/map", tags=["dispatch"])
ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"


@router.get("/roads", summary="The roads of every configured region, as GeoJSON")
def roads(request: Request) -> JSONResponse:
    cached = getattr(request.app.state, "road_lines", None)
    if cached is None:  # built once per process: the graphs do not change while serving
        regions = getattr(request.app.state.travel, "regions", None) or []
        features: list[dict[str, Any]] = [road_lines(r.graph) for r in regions
                                          if hasattr(r, "graph")]  # fmt: skip
        cached = {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
        request.app.state.road_lines = cached
    return JSONResponse(cached, headers={"Cache-Control": "private, max-age=3600"})
