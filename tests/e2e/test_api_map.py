"""The console's map draws the region from our own road network (© OpenStreetMap
contributors, ODbL): every road once, in GeoJSON's [lon, lat] order, with the
attribution; no outside tile server."""

from __future__ import annotations

from bearer_tokens import bearer
from fastapi.testclient import TestClient

from api.app import create_app
from dispatch.config import Settings


def test_the_roads_of_the_puurs_extract_come_as_geojson_with_their_attribution(
        engine, fleet, clock, backend):  # fmt: skip
    app = create_app(Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"}),
                     engine=engine, clock=clock)  # the demo's road network  # fmt: skip
    r = TestClient(app, headers=bearer()).get("/api/map/roads")
    assert r.status_code == 200 and "max-age" in r.headers["cache-control"]
    doc = r.json()
    assert doc["type"] == "FeatureCollection" and "OpenStreetMap" in doc["attribution"]
    [roads] = doc["features"]
    lines = roads["geometry"]["coordinates"]
    assert roads["properties"]["roads"] == len(lines) > 5_000
    lons = [p[0] for line in lines for p in line]
    lats = [p[1] for line in lines for p in line]
    assert 4.1 < min(lons) < max(lons) < 4.5 and 51.0 < min(lats) < max(lats) < 51.2
    assert len({tuple(map(tuple, line)) for line in lines}) == len(lines)  # each road once


def test_without_road_networks_the_map_has_no_roads_but_answers(client, backend):
    doc = client.get("/api/map/roads").json()
    assert doc["features"] == [] and doc["type"] == "FeatureCollection"


def test_the_address_search_finds_streets_of_the_extract_with_their_village(client, backend):
    """Every village has its Kapelstraat: each comes with the nearest village and a
    point in the extract; a name starting with the question comes first."""
    r = client.get("/api/map/streets", params={"q": "kapelstr"})
    assert r.status_code == 200, r.text
    found = r.json()
    assert {s["name"] for s in found} == {"Kapelstraat"} and len(found) >= 5
    assert "Kapelstraat, Bornem" in [s["label"] for s in found]
    assert all(4.1 < s["lon"] < 4.5 and 51.0 < s["lat"] < 51.2 for s in found)
    words = [s["name"] for s in client.get("/api/map/streets?q=boudewijn").json()]
    assert "Koning Boudewijnlaan" in words  # a word of the name
    assert client.get("/api/map/streets?q=zzzqqq").json() == []
    assert client.get("/api/map/streets?q=k").status_code == 422  # one letter is everything
    assert client.get("/api/map/streets?q=kapel&limit=0").status_code == 422
