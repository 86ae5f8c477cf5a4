"""A customer opts out of e-mail through their tracking link, and back in: on the real
database (SQLite, and PostgreSQL when ``TEST_POSTGRES_URL`` is set), because the opt-out
lives in the message store and takes effect on messages already waiting."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dispatch.clock import FakeClock
from dispatch.domain.errors import InvalidInput, NotFound
from dispatch.domain.messages import CUSTOMER_CHANNELS, Message, MessageStatus
from dispatch.domain.model import Customer, GeoPoint, Ticket
from dispatch.notify.channels import FileSink
from dispatch.notify.channels.base import Outgoing, SendResult
from dispatch.services.deliver import send_due
from dispatch.services.message_log import ticket_messages
from dispatch.services.messages import Links, plan_messages
from dispatch.services.opt_out import Preferences, opt_in, opt_out
from dispatch.services.tickets import NewTicket, create_ticket
from dispatch.services.tracking import track
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.haversine import Haversine

BRUSSELS = ZoneInfo("Europe/Brussels")
LINKS = Links("https://dispatch.example.org")
OUT = Preferences(channels=["email"], opted_out=["email"])
IN = Preferences(channels=["email"], opted_out=[])


def booked(uow: SqlUnitOfWork, clock: FakeClock, travel: Haversine,
           email: str | None = "zoe@example.org", k: int = 0) -> Ticket:  # fmt: skip
    with uow:
        jan = uow.technicians.by_code("cpo-jan")
    assert jan is not None
    created = create_ticket(
        uow, clock, travel,
        NewTicket(
            customer=Customer("Zoë Peeters", email=email, locale="nl"),
            location=GeoPoint(jan.home.lat + 0.01 * (k + 1), jan.home.lon + 0.01),
            kind="cable_stuck", skills=frozenset({"cable_release"}),
            service=timedelta(minutes=30),
        ),
    )  # fmt: skip
    return created.ticket


def emails(uow: SqlUnitOfWork, ticket: Ticket) -> list[Message]:
    return [m for m in ticket_messages(uow, ticket.id) if m.channel == "email"]


def test_only_email_is_a_customer_channel_today() -> None:
    assert list(CUSTOMER_CHANNELS) == ["email"]  # webhooks go to integrators


def test_after_opting_out_the_next_email_is_suppressed_and_after_opting_in_sent(
    fleet: SqlUnitOfWork, clock: FakeClock, travel: Haversine, backend: str, tmp_path: Path
) -> None:
    first = booked(fleet, clock, travel)
    assert track(fleet, first.tracking_token).preferences == IN

    assert opt_out(fleet, clock, first.tracking_token, "email") == OUT
    assert track(fleet, first.tracking_token).preferences == OUT
    second = booked(fleet, clock, travel, k=1)  # the same address, another visit
    plan_messages(fleet, clock, LINKS, BRUSSELS)
    outbox = tmp_path / "outbox"
    sink = FileSink(outbox)
    assert send_due(fleet, clock, {"email": sink}).sent == 0
    assert not outbox.exists() or list(outbox.iterdir()) == []
    for ticket in (first, second):
        [m] = emails(fleet, ticket)
        assert (m.status, m.why) == (MessageStatus.SUPPRESSED, "the customer opted out")

    assert opt_in(fleet, second.tracking_token, "email") == IN
    third = booked(fleet, clock, travel, k=2)
    plan_messages(fleet, clock, LINKS, BRUSSELS)
    assert send_due(fleet, clock, {"email": sink}).sent == 1
    [m] = emails(fleet, third)
    assert m.status == MessageStatus.SENT
    [eml] = outbox.glob("*.eml")
    text = eml.read_text(encoding="utf-8")
    assert f"{LINKS.tracking(third.tracking_token)}#messages" in text  # how to stop again
    # opting in again does not revive the suppressed (old) news
    assert [m.status for m in emails(fleet, first)] == [MessageStatus.SUPPRESSED]


def test_an_email_still_waiting_is_suppressed_at_once(
    fleet: SqlUnitOfWork, clock: FakeClock, travel: Haversine, backend: str, tmp_path: Path
) -> None:
    ticket = booked(fleet, clock, travel, email="Zoe.Peeters@Example.org")
    plan_messages(fleet, clock, LINKS, BRUSSELS)  # planned, not sent yet
    [m] = emails(fleet, ticket)
    assert m.status == MessageStatus.PENDING

    opt_out(fleet, clock, ticket.tracking_token, "email")
    [m] = emails(fleet, ticket)
    assert (m.status, m.why) == (MessageStatus.SUPPRESSED, "the customer opted out")
    outbox = tmp_path / "outbox"
    assert send_due(fleet, clock, {"email": FileSink(outbox)}).sent == 0
    assert not outbox.exists() or list(outbox.iterdir()) == []
    with fleet:  # stored lower-cased: the address matches however it is written
        assert fleet.messages.opted_out("email", "zoe.peeters@example.org")


class Flaky:
    """A mail server that fails for now, while the customer opts out mid-attempt."""

    def __init__(self, during: object) -> None:
        self.during = during

    def send(self, message: Outgoing) -> SendResult:
        assert callable(self.during)
        self.during()
        return SendResult.temporary("421 try again later")


def test_an_opt_out_during_a_failing_attempt_is_not_undone_by_the_retry(
    fleet: SqlUnitOfWork, clock: FakeClock, travel: Haversine, backend: str
) -> None:
    ticket = booked(fleet, clock, travel)
    plan_messages(fleet, clock, LINKS, BRUSSELS)
    flaky = Flaky(lambda: opt_out(fleet, clock, ticket.tracking_token, "email"))
    report = send_due(fleet, clock, {"email": flaky})
    assert report.retried == 1
    [m] = emails(fleet, ticket)
    assert m.status == MessageStatus.SUPPRESSED and len(m.log) == 1
    clock.advance(timedelta(minutes=5))
    assert send_due(fleet, clock, {"email": flaky}).retried == 0  # nothing is due


def test_opting_out_or_in_twice_is_fine(
    fleet: SqlUnitOfWork, clock: FakeClock, travel: Haversine, backend: str
) -> None:
    token = booked(fleet, clock, travel).tracking_token
    assert opt_out(fleet, clock, token, "email") == OUT
    assert opt_out(fleet, clock, token, "email") == OUT
    assert opt_in(fleet, token, "email") == IN
    assert opt_in(fleet, token, "email") == IN
    assert opt_out(fleet, clock, token, "email") == OUT


def test_a_concurrent_opt_out_of_the_same_address_is_the_same_outcome(
    fleet: SqlUnitOfWork, clock: FakeClock, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fleet:
        fleet.messages.opt_out("email", "zoe@example.org", clock.now())
        fleet.commit()
    with fleet:
        # the other request wrote its row between our check and our insert
        monkeypatch.setattr(type(fleet.messages), "opted_out", lambda self, c, a: False)
        fleet.messages.opt_out("email", "ZOE@example.org", clock.now())
        fleet.commit()
    monkeypatch.undo()
    with fleet:
        assert fleet.messages.opted_out("email", "zoe@example.org")
        assert fleet.messages.opt_in("email", "zoe@example.org")
        fleet.commit()
    with fleet:
        assert not fleet.messages.opted_out("email", "zoe@example.org")


@pytest.mark.parametrize("undo", [False, True])
def test_bad_input_is_refused_with_a_clear_error(
    fleet: SqlUnitOfWork, clock: FakeClock, travel: Haversine, backend: str, undo: bool
) -> None:
    def call(token: str, channel: str) -> Preferences:
        return opt_in(fleet, token, channel) if undo else opt_out(fleet, clock, token, channel)

    token = booked(fleet, clock, travel).tracking_token
    with pytest.raises(NotFound, match="tracking link"):
        call("no-such-token-123", "email")
    for channel in ("sms", "webhook", "EMAIL", ""):
        with pytest.raises(InvalidInput, match=r'a customer can opt out of: "email"'):
            call(token, channel)
    no_mail = booked(fleet, clock, travel, email=None, k=1).tracking_token
    with pytest.raises(InvalidInput, match="no email address was given for this visit"):
        call(no_mail, "email")
    assert track(fleet, no_mail).preferences == Preferences(channels=[], opted_out=[])
    assert track(fleet, token).preferences == IN  # nothing changed
