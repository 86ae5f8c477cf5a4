import numpy as np
import pytest

from solver.traveltime import Haversine, TravelTimes

PUURS = (51.0750, 4.2890)
BORNEM = (51.0970, 4.2430)  # about 4 km north-west


def test_travel_time_follows_distance_detour_and_speed():
    slow = Haversine(speed_kmh=30, detour_factor=1.3)
    fast = Haversine(speed_kmh=60, detour_factor=1.3)
    m = slow.matrix([PUURS, BORNEM], [PUURS, BORNEM])
    assert m.shape == (2, 2)
    assert m[0, 0] == 0 and m[1, 1] == 0
    assert m[0, 1] == pytest.approx(m[1, 0])
    # ~3.9 km * 1.3 at 30 km/h is about 10 minutes
    assert 8 * 60 < m[0, 1] < 12 * 60
    assert np.isclose(fast.matrix([PUURS], [BORNEM])[0, 0] * 2, m[0, 1])
    assert isinstance(slow, TravelTimes)


def test_nonsense_settings_are_refused():
    with pytest.raises(ValueError, match="speed"):
        Haversine(speed_kmh=0)
    with pytest.raises(ValueError, match="detour"):
        Haversine(detour_factor=0.5)


def test_vectorised_matrix_matches_geopy_pair_by_pair():
    h = Haversine()
    points = [PUURS, BORNEM, (51.2194, 4.4025), (50.8503, 4.3517)]
    m = h.matrix(points, points)
    for i, a in enumerate(points):
        for j, b in enumerate(points):
            assert m[i, j] == pytest.approx(h.seconds(a, b), rel=1e-9, abs=1e-6)
    assert h.matrix([], points).shape == (0, 4)
