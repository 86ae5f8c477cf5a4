"""``dispatch deliver`` and what it relies on: one round with ``--once``, and a sender
asked to stop hands the messages it claimed but did not send back at once."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from api.cli.main import app
from benchmarks.deliver_process import cli_url
from benchmarks.loopback import WebhookReceiver
from benchmarks.message_load import book, prepare
from dispatch.notify.channels import WebhookChannel, new_webhook_secret
from dispatch.services.deliver import send_due
from dispatch.services.messages import Links, plan_messages

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def receiver():
    with WebhookReceiver(new_webhook_secret()) as r:
        yield r


def test_a_stopped_sender_hands_back_what_it_did_not_send(uow, clock, travel, receiver, backend):
    prepare(uow, clock, travel, receiver.url, receiver.secret, technicians=3)
    book(uow, clock, travel, 3)
    assert plan_messages(uow, clock, Links("https://d.example.org"), BRUSSELS) == 3
    answers = iter([False, True])
    hook = WebhookChannel(timeout=2.0)
    try:
        stopped = send_due(uow, clock, {"webhook": hook}, stop=lambda: next(answers))
        assert stopped.sent == 1
        # not leased for a minute: the next sender takes them at once
        assert send_due(uow, clock, {"webhook": hook}).sent == 2
    finally:
        hook.close()
    assert len({d.webhook_id for d in receiver.deliveries}) == 3


def test_deliver_once_plans_and_sends_one_round(
    uow, clock, travel, receiver, database_url, tmp_path, monkeypatch, backend
):
    prepare(uow, clock, travel, receiver.url, receiver.secret, technicians=2)
    book(uow, clock, travel, 2)
    monkeypatch.setenv("DISPATCH_DATABASE_URL", cli_url(database_url))
    monkeypatch.setenv("DISPATCH_CLOCK_START", (clock.now() + timedelta(minutes=1)).isoformat())
    monkeypatch.setenv("DISPATCH_OUTBOX_DIR", str(tmp_path / "outbox"))
    result = CliRunner().invoke(app, ["deliver", "--once", "--lease", "5"])
    assert result.exit_code == 0, result.output
    assert "messages 2 planned, 2 sent, 0 to retry, 0 dead" in result.output
    assert len(receiver.deliveries) == 2
    again = CliRunner().invoke(app, ["deliver", "--once"])
    assert again.exit_code == 0 and "planned" not in again.output  # an idle round is quiet
