"""A customer's day in messages, against a real SMTP server and a real webhook
receiver on 127.0.0.1 that verifies every signature with ``standardwebhooks``.

A booking, a delay past the window, the technician leaving and the visit completed
each reach the customer exactly once, in their language; planning and sending twice
changes nothing.
"""

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from benchmarks.loopback import WebhookReceiver, free_port
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.model import Customer, GeoPoint
from dispatch.notify.channels import WebhookChannel, new_webhook_secret
from dispatch.services.deliver import send_due
from dispatch.services.field_events import record_events
from dispatch.services.message_log import ticket_messages
from dispatch.services.messages import Links, plan_messages
from dispatch.services.tickets import NewTicket, create_ticket

BRUSSELS = ZoneInfo("Europe/Brussels")
LINKS = Links("https://dispatch.example.org")


def subscribe(uow, clock, url, secret, types):
    """An endpoint with a secret the test receiver knows (the API makes its own)."""
    with uow:
        uow.webhooks.add(url, secret, types, clock.now())
        uow.commit()


def deliver(uow, clock, channels, rounds=2):
    """Plan and send as the scheduler does, more than once: repeats must change nothing."""
    for _ in range(rounds):
        plan_messages(uow, clock, LINKS, BRUSSELS)
        send_due(uow, clock, channels)


def mails(smtp):
    return [m.message() for m in smtp.collector.mails]


def cable_release_near_jan(fleet, clock, travel, customer, north=0.02, east=0.0):
    """A cable release booked through the use case, ``north``/``east`` degrees from Jan's
    home (so Jan, the nearest technician with the skill, takes it)."""
    with fleet:
        jan = fleet.technicians.by_code("cpo-jan")
    assert jan is not None
    created = create_ticket(
        fleet, clock, travel,
        NewTicket(customer=customer,
                  location=GeoPoint(jan.home.lat + north, jan.home.lon + east),
                  kind="cable_stuck", skills=frozenset({"cable_release"}),
                  service=timedelta(minutes=30)),
    )  # fmt: skip
    return created.ticket


def ev(i, kind, clock, ticket=None, **kw):
    return FieldEvent(f"m-{i}", EventType(kind), clock.now(), ticket_id=ticket, **kw)


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_a_customers_day_reaches_them_once_per_news_in_their_language(
    fleet, clock, travel, smtp, receiver, channels, backend, locale
):
    subscribe(fleet, clock, receiver.url, receiver.secret, ["*"])
    zoe = Customer("Zoë Peeters", email="zoe@example.org", locale=locale)
    ticket = cable_release_near_jan(fleet, clock, travel, zoe, north=0.01, east=0.01)
    tech = ticket.visit.technician_id
    deliver(fleet, clock, channels)

    # a long delay before leaving: the ETA passes the told window's end
    clock.advance(timedelta(minutes=20))
    record_events(fleet, clock, travel, tech,
                  [ev(1, "delayed", clock, delay=timedelta(minutes=90))])  # fmt: skip
    deliver(fleet, clock, channels)

    clock.advance(timedelta(minutes=20))
    record_events(fleet, clock, travel, tech, [ev(2, "en_route", clock, ticket.id)])
    deliver(fleet, clock, channels)
    clock.advance(timedelta(minutes=20))
    record_events(fleet, clock, travel, tech, [ev(3, "arrived", clock, ticket.id),
                                               ev(4, "started", clock, ticket.id)])  # fmt: skip
    clock.advance(timedelta(minutes=30))
    record_events(fleet, clock, travel, tech, [ev(5, "completed", clock, ticket.id)])
    deliver(fleet, clock, channels)

    got = mails(smtp)
    kinds = [str(m["Subject"]) for m in got]
    subjects = [str(m["Subject"]) for m in got]
    assert len(got) == 4, subjects
    ids = [m["Message-ID"] for m in got]
    assert len(set(ids)) == 4
    body = got[0].get_body(preferencelist=("plain",)).get_content()
    assert ticket.tracking_token in body
    assert ("dinsdag 24 november" if locale == "nl" else "Tuesday 24 November") in body
    # the webhook receiver verified every signature and saw the same four kinds
    assert receiver.rejected == []
    types = [d.payload["type"] for d in receiver.deliveries]
    assert types == [
        "message.booking_confirmation",
        "message.running_late",
        "message.on_the_way",
        "message.visit_completed",
    ], (types, kinds)
    log = ticket_messages(fleet, ticket.id)
    assert {m.status.value for m in log} == {"sent"}
    assert len(log) == 8  # four kinds on two channels


def test_a_receiver_that_is_down_gets_the_message_later_with_the_same_id(
    fleet, clock, travel, backend
):
    port, secret = free_port(), new_webhook_secret()
    subscribe(fleet, clock, f"http://127.0.0.1:{port}/hooks", secret,
              ["message.booking_confirmation"])  # fmt: skip
    ticket = cable_release_near_jan(fleet, clock, travel, Customer("An"))
    hook = WebhookChannel(timeout=1.0)
    plan_messages(fleet, clock, LINKS, BRUSSELS)
    first = send_due(fleet, clock, {"webhook": hook})
    assert (first.sent, first.retried) == (0, 1)
    with WebhookReceiver(secret, port=port) as r:
        clock.advance(timedelta(seconds=4))
        assert send_due(fleet, clock, {"webhook": hook}).sent == 0  # not due yet
        clock.advance(timedelta(seconds=2))
        assert send_due(fleet, clock, {"webhook": hook}).sent == 1
        assert [d.webhook_id for d in r.deliveries] == [f"msg_{1}_w1"]
    [m] = ticket_messages(fleet, ticket.id)
    assert m.status.value == "sent" and len(m.log) == 2 and not m.log[0][1]
    hook.close()



def test_a_customer_hears_once_that_the_technician_is_ten_minutes_away(
    fleet, clock, travel, smtp, channels, backend
):
    from dispatch.services.refresh import refresh_etas

    zoe = Customer("Zoë", email="zoe@example.org", locale="en")
    ticket = cable_release_near_jan(fleet, clock, travel, zoe, north=0.1, east=0.1)
    tech = ticket.visit.technician_id
    record_events(fleet, clock, travel, tech, [ev(1, "en_route", clock, ticket.id)])
    deliver(fleet, clock, channels)
    assert [m.kind for m in ticket_messages(fleet, ticket.id)] == ["booking_confirmation",
                                                                  "on_the_way"]  # fmt: skip
    with fleet:
        eta = fleet.routes.get(tech).visit(ticket.id).eta
    clock.set(eta - timedelta(minutes=9))
    for _ in range(3):  # three refresh cycles, a minute apart: one message
        refresh_etas(fleet, clock, travel)
        deliver(fleet, clock, channels)
        clock.advance(timedelta(minutes=1))
    kinds = [m.kind for m in ticket_messages(fleet, ticket.id)]
    assert kinds == ["booking_confirmation", "on_the_way", "arriving_soon"]
    assert "10 minutes" in mails(smtp)[-1].get_body(preferencelist=("plain",)).get_content()


def test_the_same_slip_seen_by_two_refresh_cycles_is_one_message(
    fleet, clock, travel, smtp, channels, backend
):
    from dispatch.services.refresh import refresh_etas

    an = Customer("An", email="an@example.org")
    ticket = cable_release_near_jan(fleet, clock, travel, an)
    tech = ticket.visit.technician_id
    record_events(fleet, clock, travel, tech,
                  [ev(1, "delayed", clock, delay=timedelta(minutes=120))])  # fmt: skip
    for _ in range(3):
        refresh_etas(fleet, clock, travel)
        deliver(fleet, clock, channels)
        clock.advance(timedelta(minutes=1))
    kinds = [m.kind for m in ticket_messages(fleet, ticket.id)]
    assert kinds == ["booking_confirmation", "running_late"]


def test_held_road_news_is_dropped_once_the_technician_has_arrived(
    fleet, clock, travel, smtp, channels, backend
):
    from dispatch.domain.messages import NewMessage

    an = Customer("An", email="an@example.org")
    ticket = cable_release_near_jan(fleet, clock, travel, an)
    deliver(fleet, clock, channels)
    with fleet:  # a "running late" held back by the rate limit for ten minutes
        [booked] = fleet.messages.for_ticket(ticket.id)
        held = NewMessage(0, ticket.id, "running_late", "email", "an@example.org",
                          clock.now() + timedelta(minutes=10), "rate limit",
                          subject="late")  # fmt: skip
        outbox_id = int(booked.message_id.split("_")[1])
        fleet.messages.add(replace(held, outbox_id=outbox_id, channel="email2"), clock.now())
        fleet.commit()
    tech = ticket.visit.technician_id
    record_events(fleet, clock, travel, tech, [ev(1, "en_route", clock, ticket.id)])
    clock.advance(timedelta(minutes=5))
    record_events(fleet, clock, travel, tech, [ev(2, "arrived", clock, ticket.id)])
    clock.advance(timedelta(minutes=6))
    sent_before = len(smtp.collector.mails)
    send_due(fleet, clock, {**channels, "email2": channels["email"]})
    late = [m for m in ticket_messages(fleet, ticket.id) if m.kind == "running_late"]
    assert [(m.status.value, m.why) for m in late] == [
        ("superseded", "the technician had already arrived")
    ]
    assert all(str(m.message()["Subject"]) != "late" for m in smtp.collector.mails[sent_before:])


def test_two_webhook_endpoints_each_get_every_message(fleet, clock, travel, channels, backend):
    with WebhookReceiver(new_webhook_secret()) as crm, WebhookReceiver(new_webhook_secret()) as sms:
        subscribe(fleet, clock, crm.url, crm.secret, ["*"])
        subscribe(fleet, clock, sms.url, sms.secret, ["*"])
        ticket = cable_release_near_jan(fleet, clock, travel, Customer("An"))
        deliver(fleet, clock, channels)
        record_events(fleet, clock, travel, ticket.visit.technician_id,
                      [ev(1, "delayed", clock, delay=timedelta(minutes=120))])  # fmt: skip
        deliver(fleet, clock, channels)
        for receiver in (crm, sms):
            assert [d.payload["type"] for d in receiver.deliveries] == [
                "message.booking_confirmation",
                "message.running_late",
            ]
