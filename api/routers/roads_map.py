"""The region's roads for the console's map, from our own road networks (no outside
tile server: it works offline and on a fresh machine), and its street names for the
intake's address search. © OpenStreetMap contributors, ODbL; the attribution is drawn
on the map."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import SettingsDep
from solver.roadnet.geojson import road_lines
from solver.roadnet.streets import Street, find_streets, read_streets

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


class StreetOut(BaseModel):
    name: str
    place: str
    label: str
    lat: float
    lon: float


def _streets(request: Request, settings: SettingsDep) -> list[Street]:
    known: list[Street] | None = getattr(request.app.state, "streets", None)
    if known is None:  # read once per process, from the same extracts as the roads
        known = []
        for path in settings.road_networks:
            try:
                known.extend(read_streets(path))
            except (FileNotFoundError, RuntimeError):  # missing or unreadable: no names
                continue
        request.app.state.streets = known
    return known


@router.get("/streets", response_model=list[StreetOut],
            summary="Streets whose name matches, each with a point on it (address search)")
def streets(request: Request, settings: SettingsDep,
            q: Annotated[str, Query(min_length=2, max_length=100, description="part of a name")],
            limit: Annotated[int, Query(ge=1, le=50)] = 10) -> list[StreetOut]:  # fmt: skip
    return [StreetOut(name=s.name, place=s.place, label=s.label, lat=s.lat, lon=s.lon)
            for s in find_streets(_streets(request, settings), q, limit)]  # fmt: skip
