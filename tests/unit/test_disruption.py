"""Disruptions as the domain sees them: areas, periods, and what cannot be declared."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import BRUSSELS

from dispatch.domain.disruption import (
    Area,
    Disruption,
    DisruptionKind,
    back_at,
    out_of_service,
)
from dispatch.domain.errors import InvalidInput
from dispatch.domain.model import GeoPoint

ELEVEN = datetime(2026, 11, 24, 11, 0, tzinfo=BRUSSELS)
H = timedelta(hours=1)


def breakdown(tech: int = 1, hours: float = 2, **kw: object) -> Disruption:
    return Disruption(1, DisruptionKind.BREAKDOWN, ELEVEN, ELEVEN + hours * H,
                      "our van broke down", tech, **kw)  # type: ignore[arg-type]  # fmt: skip


def test_a_box_and_a_concave_polygon_hold_what_is_inside() -> None:
    puurs = Area.box(51.05, 4.25, 51.10, 4.32)
    assert puurs.contains(GeoPoint(51.07, 4.28)) and not puurs.contains(GeoPoint(51.12, 4.28))
    ell = Area(((51.0, 4.0), (51.0, 4.2), (51.1, 4.2), (51.1, 4.1), (51.05, 4.1), (51.05, 4.0)))
    assert ell.contains(GeoPoint(51.02, 4.05)) and ell.contains(GeoPoint(51.08, 4.15))
    assert not ell.contains(GeoPoint(51.08, 4.05))  # the notch of the L


def test_a_breakdown_takes_its_technician_out_until_it_ends_or_is_ended() -> None:
    d = breakdown()
    assert out_of_service([d], ELEVEN + H) == {1}
    assert out_of_service([d], ELEVEN + 2 * H) == set()  # 13:00: back
    early = d.ended(ELEVEN + H / 2)
    assert not early.active(ELEVEN + H) and early.end == ELEVEN + H / 2
    assert back_at([d, breakdown(hours=3)], 1) == ELEVEN + 3 * H and back_at([d], 2) is None
    with pytest.raises(InvalidInput, match="over already"):
        d.ended(ELEVEN + 3 * H)


@pytest.mark.parametrize(("kw", "why"), [
    ({"kind": DisruptionKind.BREAKDOWN, "technician_id": None}, "names one technician"),
    ({"kind": DisruptionKind.SLOWDOWN, "technician_id": None}, "names an area"),
    ({"kind": DisruptionKind.SLOWDOWN, "technician_id": None,
      "area": Area.box(51, 4, 52, 5), "factor": 0.8}, "factor"),
    ({"expected_end": ELEVEN}, "ends after it starts"),
    ({"expected_end": ELEVEN + timedelta(days=90)}, "62 days"),
    ({"reason": "  "}, "plain words"),
])  # fmt: skip
def test_what_cannot_be_declared_says_why(kw: dict[str, object], why: str) -> None:
    base: dict[str, object] = {
        "id": 1, "kind": DisruptionKind.UNAVAILABLE, "start": ELEVEN,
        "expected_end": ELEVEN + H, "reason": "sick", "technician_id": 3,
    }  # fmt: skip
    with pytest.raises(InvalidInput, match=why):
        Disruption(**{**base, **kw})  # type: ignore[arg-type]
