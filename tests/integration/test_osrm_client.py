"""OsrmClient against a stand-in OSRM server on loopback speaking OSRM's format."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from solver.traveltime.osrm import OsrmClient, OsrmError
from solver.traveltime.protocol import OutsideServiceArea

SEEN: list[str] = []


class FakeOsrm(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, body: dict, status: int = 200) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):
        url = urlsplit(self.path)  # not urlparse: it would cut the path at ';'
        SEEN.append(url.path)
        service, _v, _profile, coords = url.path.strip("/").split("/", 3)
        points = [tuple(map(float, c.split(","))) for c in coords.split(";")]
        q = parse_qs(url.query)
        if any(lon > 100 for lon, _lat in points):
            return self._send({"code": "InvalidQuery", "message": "Query string malformed"}, 400)
        far = [p for p in points if p[1] < 0]
        if service == "table":
            src = [int(i) for i in q["sources"][0].split(";")]
            dst = [int(i) for i in q["destinations"][0].split(";")]
            durations = [
                [None if points[j][0] == 9.0 else 60.0 * abs(points[i][0] - points[j][0]) * 100
                 for j in dst]
                for i in src
            ]  # fmt: skip

            def wp(k: int) -> dict:
                return {
                    "location": list(points[k]),
                    "distance": 5000.0 if points[k] in far else 3.0,
                }

            return self._send(
                {"code": "Ok", "durations": durations,
                 "sources": [wp(i) for i in src], "destinations": [wp(j) for j in dst]}
            )  # fmt: skip
        if service == "route":
            (lon1, lat1), (lon2, lat2) = points
            line = [[lon1, lat1], [(lon1 + lon2) / 2, lat1], [lon2, lat2]]
            return self._send(
                {
                    "code": "Ok",
                    "routes": [
                        {"geometry": {"type": "LineString", "coordinates": line}, "duration": 120.0}
                    ],
                }
            )
        return self._send({"code": "UnknownService", "message": "no such service"}, 400)


@pytest.fixture
def osrm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_table_maps_sources_destinations_and_lon_lat_order(osrm):
    client = OsrmClient(osrm)
    m = client.matrix([(51.0, 4.01), (51.0, 4.02)], [(51.0, 4.03), (51.0, 9.0)])
    assert m.shape == (2, 2)
    assert m[0, 0] == pytest.approx(60.0 * 0.02 * 100)
    assert m[1, 0] == pytest.approx(60.0 * 0.01 * 100)
    assert np.isinf(m[0, 1])  # OSRM's null: no route
    assert SEEN[-1].startswith("/table/v1/driving/4.010000,51.000000;")


def test_route_geometry_comes_back_as_lat_lon(osrm):
    line = OsrmClient(osrm).route((51.0, 4.0), (51.1, 4.2))
    assert line[0] == (51.0, 4.0) and line[-1] == (51.1, 4.2) and len(line) == 3


def test_errors_are_clear(osrm):
    with pytest.raises(OsrmError, match="InvalidQuery: Query string malformed"):
        OsrmClient(osrm).matrix([(51.0, 200.0)], [(51.0, 4.0)])
    with pytest.raises(OutsideServiceArea, match="5,000 m away"):
        OsrmClient(osrm).matrix([(-1.0, 4.0)], [(51.0, 4.0)])
    with pytest.raises(OsrmError, match="unreachable"):
        OsrmClient("http://127.0.0.1:9", timeout_s=0.5).matrix([(51.0, 4.0)], [(51.0, 4.1)])
