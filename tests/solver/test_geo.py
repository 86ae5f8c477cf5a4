"""Points along a road: what the simulated phone reports while driving."""

import math

import pytest

from solver.geo import along, metres


def test_a_degree_of_latitude_is_about_111_km() -> None:
    assert metres((51.0, 4.2), (52.0, 4.2)) == pytest.approx(111_195, rel=1e-3)
    east = metres((51.0, 4.2), (51.0, 5.2))  # a degree of longitude shrinks with cos(lat)
    assert east == pytest.approx(111_195 * math.cos(math.radians(51.0)), rel=1e-3)


def test_along_goes_by_distance_not_by_vertex() -> None:
    # an L: 1 km north, then 3 km east; half way is 1 km into the eastward leg
    corner = (51.0 + 1000 / 111_195, 4.2)
    end = (corner[0], 4.2 + 3000 / (111_195 * math.cos(math.radians(corner[0]))))
    line = [(51.0, 4.2), corner, end]
    half = along(line, 0.5)
    assert half[0] == pytest.approx(corner[0])
    assert metres(corner, half) == pytest.approx(1000, rel=1e-2)
    assert along(line, 0.0) == line[0] and along(line, 1.0) == end
    assert along(line, 1.7) == end and along(line, -1) == line[0]  # clamped


def test_along_needs_a_line() -> None:
    with pytest.raises(ValueError):
        along([], 0.5)
    assert along([(51.0, 4.2)], 0.3) == (51.0, 4.2)
