"""Force majeure and weather reach the customer, on SQLite and PostgreSQL, through a real
SMTP server and a real webhook receiver that verifies every signature (issue 14,
acceptance 2, 3 and 5): each message exactly once by id, in the customer's language,
with the held appointment, the alternatives and the link to choose; the answer through
the tracking link is told too; a slowdown tells those inside its area, not outside."""

from datetime import time, timedelta

import pytest
from test_messages import BRUSSELS, cable_release_near_jan, deliver, mails, subscribe

from dispatch.domain.calendar import Hours, WeeklyPattern
from dispatch.domain.disruption import Area, DisruptionKind
from dispatch.domain.model import Customer, TimeWindow
from dispatch.services.disruptions import NewDisruption, audit, record_disruption
from dispatch.services.force_majeure import handle_pending
from dispatch.services.message_log import ticket_messages
from dispatch.services.offers import OfferPolicy
from dispatch.services.reschedule import reschedule
from dispatch.services.slowdowns import forget, travel_at

WEEK = WeeklyPattern("Europe/Brussels", {d: Hours(time(8, 0), time(17, 0)) for d in range(5)})
POLICY = OfferPolicy("Europe/Brussels")


def only_jan_today_with_a_calendar(fleet, clock) -> int:
    with fleet:
        techs = fleet.technicians.all()
        jan = next(t for t in techs if t.code == "cpo-jan")
        for t in techs:
            fleet.calendars.set_pattern(t.id, WEEK, clock.now())
            if t.id != jan.id:
                fleet.technicians.update_shift(t.id, TimeWindow(clock.now() - timedelta(hours=9),
                                                                clock.now()))  # fmt: skip
        fleet.commit()
    return jan.id


def by_type(receiver) -> dict[str, list]:
    out: dict[str, list] = {}
    for d in receiver.deliveries:
        out.setdefault(d.payload["type"], []).append(d)
    return out


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_a_breakdown_offers_new_times_once_and_the_choice_is_confirmed_once(
    fleet, clock, travel, smtp, receiver, channels, backend, locale
):
    subscribe(fleet, clock, receiver.url, receiver.secret, ["*"])
    jan = only_jan_today_with_a_calendar(fleet, clock)
    ann = Customer("Ann Claes", email="ann@example.org", locale=locale)
    ticket = cable_release_near_jan(fleet, clock, travel, ann, north=0.01)
    deliver(fleet, clock, channels)
    clock.advance(timedelta(minutes=5))
    d = record_disruption(fleet, clock, NewDisruption(DisruptionKind.BREAKDOWN,
                                                      clock.now() + timedelta(hours=8),
                                                      "a broken axle", jan))  # fmt: skip
    handle_pending(fleet, clock, lambda: travel, POLICY)
    handle_pending(fleet, clock, lambda: travel, POLICY)  # a rerun: nobody told twice
    deliver(fleet, clock, channels)

    got = [m for m in mails(smtp) if "ann@example.org" in str(m["To"])]
    assert len(got) == 2 and len({m["Message-ID"] for m in got}) == 2
    fm = got[1].get_body(preferencelist=("plain",)).get_content()
    assert "a broken axle" in fm and f"/track/{ticket.tracking_token}#reschedule" in fm
    assert ("Het spijt ons" if locale == "nl" else "We are very sorry") in fm
    hooks = by_type(receiver)
    assert receiver.rejected == [] and len(hooks["message.force_majeure"]) == 1
    payload = hooks["message.force_majeure"][0].payload
    assert payload["reason"]["code"] == "breakdown" and len(payload["alternatives"]) >= 1
    assert payload["window"] is not None and payload["hold_until"] is not None
    [effect] = audit(fleet, d.id).effects
    assert effect.kind.value == "offered" and effect.told == "force_majeure"

    clock.advance(timedelta(minutes=10))
    done = reschedule(fleet, clock, travel, ticket.tracking_token, 1, None, POLICY)
    deliver(fleet, clock, channels)
    deliver(fleet, clock, channels)
    got = [m for m in mails(smtp) if "ann@example.org" in str(m["To"])]
    assert len(got) == 3
    rebooked = got[2].get_body(preferencelist=("plain",)).get_content()
    start = done.window.start.astimezone(BRUSSELS).strftime("%H:%M")
    assert start in rebooked
    assert len(by_type(receiver)["message.rebooked"]) == 1
    assert {m.status.value for m in ticket_messages(fleet, ticket.id)} == {"sent"}


def test_snow_tells_every_customer_inside_once_and_nobody_outside(
    fleet, clock, travel, smtp, receiver, channels, backend
):
    subscribe(fleet, clock, receiver.url, receiver.secret, ["message.weather_notice"])
    inside = cable_release_near_jan(fleet, clock, travel, Customer("In", email="in@example.org"),
                                    north=0.01)  # fmt: skip
    far = Customer("Out", email="out@example.org")
    outside = cable_release_near_jan(fleet, clock, travel, far, north=0.09)
    p = inside.location
    area = Area.box(p.lat - 0.005, p.lon - 0.005, p.lat + 0.005, p.lon + 0.005)
    d = record_disruption(fleet, clock, NewDisruption(
        DisruptionKind.SLOWDOWN, clock.now() + timedelta(hours=5), "snow and ice", area=area,
        factor=1.4))  # fmt: skip
    forget()
    handle_pending(fleet, clock, lambda: travel_at(fleet, travel, clock.now()), POLICY)
    handle_pending(fleet, clock, lambda: travel_at(fleet, travel, clock.now()), POLICY)
    deliver(fleet, clock, channels)
    weather = [m for m in mails(smtp) if "in@example.org" in str(m["To"])
               and m["Subject"].startswith(("Slecht weer", "Bad weather"))]  # fmt: skip
    assert len(weather) == 1
    assert not any("out@example.org" in str(m["To"]) and "weer" in str(m["Subject"])
                   for m in mails(smtp))  # fmt: skip
    assert [h.payload["ticket_id"] for h in receiver.deliveries] == [inside.id]
    effects = audit(fleet, d.id).effects
    assert [e.ticket_id for e in effects] == [inside.id]
    assert outside.id not in {e.ticket_id for e in effects}


def test_a_visit_another_technician_takes_over_is_told_once_with_the_new_name(
    fleet, clock, travel, smtp, receiver, channels, backend
):
    subscribe(fleet, clock, receiver.url, receiver.secret, ["message.technician_changed"])
    bo = Customer("Bo Janssens", email="bo@example.org", locale="en")
    ticket = cable_release_near_jan(fleet, clock, travel, bo, north=0.01)
    jan = ticket.visit.technician_id
    deliver(fleet, clock, channels)
    clock.advance(timedelta(minutes=5))
    d = record_disruption(fleet, clock, NewDisruption(DisruptionKind.BREAKDOWN,
                                                      clock.now() + timedelta(hours=6),
                                                      "a flat tyre", jan))  # fmt: skip
    handle_pending(fleet, clock, lambda: travel, POLICY)
    deliver(fleet, clock, channels)
    clock.advance(timedelta(minutes=15))  # a change waits out the rate limit after the booking
    deliver(fleet, clock, channels)
    [effect] = audit(fleet, d.id).effects
    assert effect.kind.value == "moved" and effect.to_technician_id != jan
    changed = [m for m in mails(smtp) if "instead" in str(m["Subject"])]
    assert len(changed) == 1
    [hook] = receiver.deliveries
    assert hook.payload["type"] == "message.technician_changed" and receiver.rejected == []
    assert hook.payload["window"] == {"start": effect.window.start.astimezone(BRUSSELS).isoformat(),
                                      "end": effect.window.end.astimezone(BRUSSELS).isoformat()}
