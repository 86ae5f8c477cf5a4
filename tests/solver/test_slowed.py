"""Travel times slowed inside an area over a period (snow, ice, a closed road)."""

from datetime import UTC, datetime, timedelta

import numpy as np

from solver.traveltime.haversine import Haversine
from solver.traveltime.slowed import Slowed, Zone

NINE = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
PUURS = ((51.05, 4.25), (51.05, 4.32), (51.10, 4.32), (51.10, 4.25))
IN, ALSO_IN, OUT, FAR = (51.07, 4.28), (51.08, 4.30), (51.20, 4.40), (51.25, 4.50)


def snow(factor: float = 1.4, corners=PUURS) -> Zone:  # type: ignore[no-untyped-def]
    return Zone(corners, factor, NINE, NINE + timedelta(hours=5))


def test_legs_touching_the_area_take_longer_while_it_lasts_and_others_do_not() -> None:
    base = Haversine(35.0, 1.3)
    plain = base.matrix([IN, OUT], [ALSO_IN, FAR])
    slowed = Slowed(base, [snow()], NINE + timedelta(hours=1)).matrix([IN, OUT], [ALSO_IN, FAR])
    expected = plain * np.array([[1.4, 1.4], [1.4, 1.0]])  # OUT -> FAR: outside, unslowed
    assert np.allclose(slowed, expected)
    later = Slowed(base, [snow()], NINE).matrix([IN], [ALSO_IN], NINE + timedelta(hours=6))
    assert np.allclose(later, base.matrix([IN], [ALSO_IN]))  # the snow is over by then


def test_overlapping_areas_take_the_largest_factor_and_a_concave_area_keeps_its_notch() -> None:
    base = Haversine(35.0, 1.3)
    ell = ((51.0, 4.0), (51.0, 4.2), (51.1, 4.2), (51.1, 4.1), (51.05, 4.1), (51.05, 4.0))
    zones = [snow(1.2), snow(1.5), snow(2.0, ell)]
    got = Slowed(base, zones, NINE).matrix([IN, (51.08, 4.05), (51.02, 4.05)], [FAR])
    assert np.allclose(got[:, 0] / base.matrix([IN, (51.08, 4.05), (51.02, 4.05)], [FAR])[:, 0],
                       [1.5, 1.0, 2.0])  # fmt: skip


def test_everything_else_is_the_base_sources() -> None:
    base = Haversine(35.0, 1.3)
    assert Slowed(base, [], NINE).speed_kmh == base.speed_kmh
