"""The road network as GeoJSON, for drawing the region on a map without any outside
tile server: each road once (the two directions of a street are one line), in
[lon, lat] order as GeoJSON wants, rounded to about a metre."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from solver.roadnet.compiled import CompiledGraph


def road_pairs(graph: CompiledGraph) -> npt.NDArray[np.int64]:
    """Each road once, as rows of its two node indices: the two directions of a street
    are one line on a map."""
    a = np.minimum(graph.u, graph.v)
    b = np.maximum(graph.u, graph.v)
    return np.unique(np.stack([a, b], axis=1), axis=0)


def road_lines(graph: CompiledGraph, digits: int = 5) -> dict[str, Any]:
    pairs = road_pairs(graph)
    lon = np.round(graph.lon, digits)
    lat = np.round(graph.lat, digits)
    lines = [[[float(lon[i]), float(lat[i])], [float(lon[j]), float(lat[j])]] for i, j in pairs]
    return {"type": "Feature", "properties": {"roads": len(lines)},
            "geometry": {"type": "MultiLineString", "coordinates": lines}}  # fmt: skip
