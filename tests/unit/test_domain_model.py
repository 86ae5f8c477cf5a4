from datetime import UTC, datetime, timedelta

import pytest

from dispatch.domain.errors import InvalidInput
from dispatch.domain.model import Customer, GeoPoint, Priority, Ticket, TimeWindow

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def ticket(service: timedelta) -> Ticket:
    return Ticket(
        id=1,
        customer=Customer("A"),
        location=GeoPoint(51.07, 4.29),
        kind="cable_stuck",
        skills=frozenset(),
        service=service,
        priority=Priority.NORMAL,
        tracking_token="x" * 22,
        created_at=T0,
    )


@pytest.mark.parametrize(("lat", "lon", "word"), [(91, 4, "latitude"), (51, -181, "longitude")])
def test_coordinates_out_of_range_are_refused(lat, lon, word):
    with pytest.raises(InvalidInput, match=word):
        GeoPoint(lat, lon)


def test_window_must_not_end_before_it_starts_and_needs_an_offset():
    with pytest.raises(InvalidInput, match="before it starts"):
        TimeWindow(T0, T0 - timedelta(minutes=1))
    with pytest.raises(InvalidInput, match="UTC offset"):
        TimeWindow(T0.replace(tzinfo=None), T0.replace(tzinfo=None))


@pytest.mark.parametrize("minutes", [0, -5, 481])
def test_service_duration_must_be_between_zero_and_eight_hours(minutes):
    with pytest.raises(InvalidInput, match="8 hours"):
        ticket(timedelta(minutes=minutes))
    assert ticket(timedelta(minutes=480)).service == timedelta(hours=8)
