from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from solver.roadnet.profile import DEFAULT_PROFILE, SpeedProfile, parse_maxspeed

BXL = ZoneInfo("Europe/Brussels")


@pytest.mark.parametrize(
    ("tag", "kmh"),
    [
        ("50", 50),
        ("30 mph", 30 * 1.609344),
        ("NL:urban", 50),
        ("BE-VLG:urban", 50),
        ("BE-VLG:rural", 70),
        ("BE-WAL:rural", 90),
        ("DE:zone30", 30),
        ("50;70", 50),
        ("none", None),
        ("signals", None),
        ("", None),
    ],
)
def test_maxspeed_forms(tag, kmh):
    assert parse_maxspeed(tag) == (pytest.approx(kmh) if kmh else None)


def test_defaults_are_well_below_the_limit_and_tags_count():
    speed, tagged = DEFAULT_PROFILE.speed_kmh("residential", "50")
    assert tagged and speed < 50 * 0.75
    untagged, flag = DEFAULT_PROFILE.speed_kmh("residential", None)
    assert not flag and untagged < 30


def test_rush_hours_slow_travel_and_nights_speed_it():
    p = DEFAULT_PROFILE
    assert p.factor(datetime(2026, 11, 24, 8, 0, tzinfo=BXL)) > 1.2
    assert p.factor(datetime(2026, 11, 24, 17, 0, tzinfo=BXL)) > 1.2
    assert p.factor(datetime(2026, 11, 24, 3, 0, tzinfo=BXL)) < 1.0
    assert p.factor(None) == 1.0
    with pytest.raises(ValueError, match="24"):
        SpeedProfile(hourly_factor=(1.0,) * 23)


def test_the_cache_key_follows_the_speeds():
    slower = SpeedProfile(class_speed_kmh={**DEFAULT_PROFILE.class_speed_kmh, "residential": 15})
    assert slower.fingerprint() != DEFAULT_PROFILE.fingerprint()
