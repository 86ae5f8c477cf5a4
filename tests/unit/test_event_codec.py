"""The one serializer between a route's events and outbox rows."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from builders import BRUSSELS, MORNING

from dispatch.domain.events import (
    EVENT_TYPES,
    AppointmentConfirmed,
    Event,
    ForceMajeure,
    PromiseChanged,
    VisitArrivingSoon,
    VisitBooked,
    VisitCancelled,
    VisitCompleted,
    VisitFailed,
    VisitOnTheWay,
    VisitReassigned,
    VisitReleased,
    VisitResequenced,
    WeatherNotice,
)
from dispatch.domain.model import TimeWindow
from dispatch.store.event_codec import SCHEMA_VERSION, dedupe_key, from_record, to_record

AT = MORNING.astimezone(BRUSSELS)
HOUR = timedelta(hours=1)
WINDOW = TimeWindow(AT, AT + HOUR)
LATER = TimeWindow(AT + HOUR, AT + 2 * HOUR)

SAMPLES: dict[type[Event], Event] = {
    VisitBooked: VisitBooked(41, 7, 1, AT, WINDOW, AT + HOUR / 2),
    PromiseChanged: PromiseChanged(
        ticket_id=41,
        technician_id=7,
        promise_version=2,
        at=AT,
        old_window=WINDOW,
        new_window=LATER,
        old_eta=AT + HOUR / 2,
        new_eta=AT + 1.5 * HOUR,
        reason="an urgent case was scheduled before your visit",
        pushed_by_ticket=42,
    ),
    VisitOnTheWay: VisitOnTheWay(41, 7, 2, AT + HOUR, LATER, AT + 1.5 * HOUR),
    VisitArrivingSoon: VisitArrivingSoon(41, 7, 2, AT + HOUR, AT + 1.2 * HOUR),
    VisitReassigned: VisitReassigned(41, 8, 2, AT, 7, LATER, AT + 1.5 * HOUR),
    VisitCompleted: VisitCompleted(41, 7, 2, AT + 3 * HOUR),
    VisitFailed: VisitFailed(41, 7, 2, AT + 3 * HOUR),
    VisitReleased: VisitReleased(41, 7, 2, AT, LATER, "Jan Peeters is off sick today"),
    VisitCancelled: VisitCancelled(41, 7, 2, AT, LATER, "customer"),
    ForceMajeure: ForceMajeure(41, 7, 2, AT, 5, "breakdown", "our van broke down", WINDOW,
                               AT + HOUR, LATER, 8, AT + HOUR / 2, (WINDOW, LATER)),
    WeatherNotice: WeatherNotice(41, 7, 3, AT, 6, "snow", LATER, AT + 1.5 * HOUR, WINDOW),
    AppointmentConfirmed: AppointmentConfirmed(41, 8, 3, AT + HOUR, LATER, AT + HOUR, False),
    VisitResequenced: VisitResequenced(41, 7, 2, AT, 3, LATER, AT + 1.5 * HOUR),
}


def test_one_disruption_makes_one_force_majeure_key_per_visit_and_old_rows_still_read() -> None:
    fm = SAMPLES[ForceMajeure]
    assert dedupe_key(fm) == "visit:41/ForceMajeure/v2/d5"
    assert dedupe_key(replace(fm, at=AT + HOUR)) == dedupe_key(fm)  # a rerun: the same key
    assert dedupe_key(replace(fm, disruption_id=6)) != dedupe_key(fm)  # news again
    old = to_record(SAMPLES[VisitBooked]).payload
    del old["occasion"]  # written before bookings had an occasion
    assert from_record("VisitBooked", old) == SAMPLES[VisitBooked]


def test_there_is_a_sample_of_every_event_kind() -> None:
    """A new kind of event must come with a sample here, or the tests below skip it."""
    assert set(SAMPLES) == set(EVENT_TYPES)
    assert all(type(e) is t for t, e in SAMPLES.items())


@pytest.mark.parametrize("event", SAMPLES.values(), ids=lambda e: e.kind)
def test_every_kind_round_trips_with_its_schema_version_and_visit_key(event: Event) -> None:
    record = to_record(event)
    assert (record.kind, record.ticket_id, record.created_at) == (event.kind, 41, event.at)
    assert record.payload["v"] == SCHEMA_VERSION == 1
    assert record.dedupe_key.startswith(f"visit:41/{event.kind}/v{event.promise_version}")
    if isinstance(event, VisitReassigned):  # handed on and back is news each time
        assert record.dedupe_key.endswith(f"/to{event.technician_id}@{event.at.isoformat()}")
    elif isinstance(event, VisitResequenced):  # moved back and forth: each move a fact
        assert record.dedupe_key.endswith(f"/at{event.position}@{event.at.isoformat()}")
    elif isinstance(event, ForceMajeure | WeatherNotice):  # once per disruption
        assert record.dedupe_key.endswith(f"/d{event.disruption_id}")
    else:
        assert record.dedupe_key == f"visit:41/{event.kind}/v{event.promise_version}"
    stored = json.loads(json.dumps(record.payload))  # as the outbox column keeps it
    assert from_record(record.kind, stored) == event


def test_a_promise_change_without_a_pusher_round_trips() -> None:
    changed = SAMPLES[PromiseChanged]
    assert isinstance(changed, PromiseChanged)
    event = replace(changed, pushed_by_ticket=None, reason="running late")
    assert from_record(event.kind, dict(to_record(event).payload)) == event


def test_two_promise_versions_of_one_change_have_different_keys() -> None:
    first = SAMPLES[PromiseChanged]
    second = replace(first, promise_version=3)
    assert dedupe_key(first) != dedupe_key(second)
    assert dedupe_key(first) == dedupe_key(replace(first, at=AT + HOUR))  # a retry is one


def test_each_kind_has_its_own_key_for_the_same_visit_and_version() -> None:
    keys = {dedupe_key(replace(e, promise_version=2)) for e in SAMPLES.values()}
    assert len(keys) == len(SAMPLES)


def test_an_unknown_kind_is_refused() -> None:
    payload = dict(to_record(SAMPLES[VisitFailed]).payload)
    with pytest.raises(ValueError, match="unknown event kind 'VisitExploded'"):
        from_record("VisitExploded", payload)


@pytest.mark.parametrize("version", [None, 0, 2])
def test_an_unknown_schema_version_is_refused(version: int | None) -> None:
    payload = dict(to_record(SAMPLES[VisitBooked]).payload)
    if version is None:
        del payload["v"]
    else:
        payload["v"] = version
    with pytest.raises(ValueError, match="schema"):
        from_record(VisitBooked.kind, payload)
