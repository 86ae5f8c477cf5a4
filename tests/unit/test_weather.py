"""Snow declared over an area (issue 14, acceptance 3): the ETAs inside grow by its factor,
every customer with a visit inside the area and period hears once, those whose window
cannot hold get the new one in that same notice, and nobody outside hears a thing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from builders import BRUSSELS, TRAVEL, demo_fleet, quoted, technician
from fakes import FakeUnitOfWork

from dispatch.clock import FakeClock
from dispatch.domain.disruption import Area, DisruptionKind
from dispatch.domain.events import PromiseChanged, WeatherNotice
from dispatch.domain.force_majeure import EffectKind
from dispatch.domain.message_kinds import MessageKind
from dispatch.domain.message_rules import LastTold, kind_for, send_at
from dispatch.domain.model import GeoPoint
from dispatch.services.bookings import book
from dispatch.services.disruptions import NewDisruption, audit, record_disruption
from dispatch.services.force_majeure import handle_pending
from dispatch.services.offers import OfferPolicy
from dispatch.services.routes import get_route
from dispatch.services.slowdowns import forget, travel_at
from dispatch.store.event_codec import from_record

SEVEN = datetime(2026, 11, 24, 7, 0, tzinfo=BRUSSELS)


def events_of(uow: FakeUnitOfWork, ticket_id: int, since: datetime) -> list[object]:
    with uow:
        rows = uow.outbox.for_ticket(ticket_id)
    return [e for e in (from_record(k, p) for k, p in rows) if e.at >= since]


def snowy_morning(factor: float, spacing: float = 0.01):  # type: ignore[no-untyped-def]
    """Jan with four visits in a row north-east of home, all in the snow area; Lotte with
    one far outside it. Snow from 07:00 to 12:00."""
    clock = FakeClock(SEVEN)
    uow = demo_fleet(clock)
    jan = technician(uow, "cpo-jan")
    inside = []
    for k in range(1, 5):
        spot = GeoPoint(jan.home.lat + spacing * k, jan.home.lon + spacing * k)
        t = quoted(uow, clock, where=spot).ticket
        book(uow, clock, TRAVEL, t.id, jan.id)
        inside.append(t.id)
    far = quoted(uow, clock, where=GeoPoint(jan.home.lat - 0.15, jan.home.lon - 0.15)).ticket
    book(uow, clock, TRAVEL, far.id, None)
    h = jan.home
    area = Area.box(h.lat - 0.002, h.lon - 0.002, h.lat + 5 * spacing, h.lon + 5 * spacing)
    before = {v.ticket_id: v for v in get_route(uow, jan.id).stops}
    clock.advance(timedelta(minutes=1))
    d = record_disruption(uow, clock, NewDisruption(
        DisruptionKind.SLOWDOWN, SEVEN + timedelta(hours=5), "sneeuw en ijzel", area=area,
        factor=factor, start=SEVEN))  # fmt: skip
    forget()
    handle_pending(uow, clock, lambda: travel_at(uow, TRAVEL, clock.now()), OfferPolicy())
    return uow, clock, jan, inside, far.id, before, d.id


def test_legs_inside_grow_by_the_factor_and_each_customer_inside_hears_once() -> None:
    uow, clock, jan, inside, far, before, d = snowy_morning(1.4)
    after = {v.ticket_id: v for v in get_route(uow, jan.id).stops}
    for t in inside[1:]:  # legs between stops: 40 % longer
        assert abs(after[t].leg_s / before[t].leg_s - 1.4) < 0.02, (before[t].leg_s, after[t].leg_s)
    assert after[inside[-1]].eta > before[inside[-1]].eta
    since = SEVEN + timedelta(minutes=1)
    for t in inside:
        told = [kind_for(e) for e in events_of(uow, t, since)]  # type: ignore[arg-type]
        assert [k for k in told if k] == [MessageKind.WEATHER_NOTICE], told
    assert events_of(uow, far, since) == []
    effects = audit(uow, d).effects
    assert sorted(e.ticket_id for e in effects) == sorted(inside)
    handle_pending(uow, clock, lambda: travel_at(uow, TRAVEL, clock.now()), OfferPolicy())
    with uow:  # handled once: a rerun finds nothing to do
        assert uow.disruptions.get(d).handled_at is not None  # type: ignore[union-attr]


def test_a_window_the_snow_breaks_comes_in_the_notice_itself() -> None:
    uow, _, _, _, _, before, d = snowy_morning(4.0, spacing=0.03)
    since = SEVEN + timedelta(minutes=1)
    retimed = [e for e in audit(uow, d).effects if e.kind == EffectKind.RETIMED]
    assert retimed, "a factor of 4 over 4 visits must break someone's window"
    for e in retimed:
        got = events_of(uow, e.ticket_id, since)
        assert not any(isinstance(x, PromiseChanged) for x in got)  # one message, not two
        [notice] = [x for x in got if isinstance(x, WeatherNotice)]
        assert notice.old_window == before[e.ticket_id].promise
        assert notice.window != notice.old_window and notice.window == e.window


def test_weather_and_force_majeure_reach_customers_before_the_working_day() -> None:
    """Declared at 06:30: the notices go at 07:00, not at the end of the quiet hours
    (08:00) as a late message would; a visit at 07:30 is told at once."""
    zone = ZoneInfo("Europe/Brussels")
    dawn = datetime(2026, 11, 24, 6, 30, tzinfo=zone)
    ten = dawn.replace(hour=10)
    for kind in (MessageKind.WEATHER_NOTICE, MessageKind.FORCE_MAJEURE):
        at, _ = send_at(kind, dawn, zone, LastTold(), ten, ten)
        assert at.astimezone(zone).time() == time(7, 0)
    late, _ = send_at(MessageKind.RUNNING_LATE, dawn, zone, LastTold(), ten, ten)
    assert late.astimezone(zone).time() == time(8, 0)
    early, _ = send_at(MessageKind.WEATHER_NOTICE, dawn, zone, LastTold(), ten,
                       dawn.replace(hour=7, minute=30))  # fmt: skip
    assert early.astimezone(zone).time() == time(7, 0)


def test_the_same_snow_declared_twice_does_not_tell_anyone_twice() -> None:
    uow, clock, _, inside, _, _, d = snowy_morning(1.4)
    with uow:
        area = uow.disruptions.get(d).area  # type: ignore[union-attr]
    clock.advance(timedelta(minutes=2))
    same = NewDisruption(DisruptionKind.SLOWDOWN, SEVEN + timedelta(hours=5), "sneeuw",
                         area=area, factor=1.4)  # fmt: skip
    again = record_disruption(uow, clock, same)
    forget()
    handle_pending(uow, clock, lambda: travel_at(uow, TRAVEL, clock.now()), OfferPolicy())
    since = SEVEN + timedelta(minutes=1)
    for t in inside:
        told = [kind_for(e) for e in events_of(uow, t, since)]  # type: ignore[arg-type]
        assert [k for k in told if k] == [MessageKind.WEATHER_NOTICE], told
    assert all(e.told is None for e in audit(uow, again.id).effects)
