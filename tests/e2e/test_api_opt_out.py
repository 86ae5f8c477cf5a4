"""A customer stops and restarts e-mails from their tracking link, over HTTP; every bad
request is a clear problem (RFC 9457), never a 500."""

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_api_tickets import BODY, assert_problem, body

from dispatch.notify.channels import FileSink
from dispatch.services.deliver import send_due
from dispatch.services.messages import Links, plan_messages
from dispatch.store.uow import SqlUnitOfWork

EMAIL = {"channel": "email"}


def deliver(client, clock, outbox: Path) -> None:
    uow = SqlUnitOfWork(client.app.state.sessions)
    plan_messages(uow, clock, Links("http://testserver"), ZoneInfo("Europe/Brussels"))
    send_due(uow, clock, {"email": FileSink(outbox)})


def emails(outbox: Path) -> list[Path]:
    return sorted(outbox.glob("*.eml"))


def statuses(client, ticket) -> list[tuple[str, str, str]]:
    messages = client.get(f"/api/tickets/{ticket['id']}/messages").json()
    return [(m["kind"], m["channel"], m["status"]) for m in messages]


def test_opting_out_suppresses_the_next_email_and_opting_in_sends_again(
    client, clock, backend, tmp_path
):
    outbox = tmp_path / "outbox"
    first = client.post("/api/tickets", json=BODY).json()
    deliver(client, clock, outbox)
    [mail] = emails(outbox)
    text = mail.read_text(encoding="utf-8")
    assert f"http://testserver/track/{first['tracking_token']}#messages" in text
    track = f"/api/track/{first['tracking_token']}"
    seen = client.get(track).json()
    assert (seen["channels"], seen["opted_out"]) == (["email"], [])

    r = client.post(f"{track}/opt-out", json=EMAIL)
    assert r.status_code == 200, r.text
    assert r.json() == {"channels": ["email"], "opted_out": ["email"]}
    assert client.post(f"{track}/opt-out", json=EMAIL).json() == r.json()  # idempotent
    assert client.get(track).json()["opted_out"] == ["email"]

    second = client.post("/api/tickets", json=BODY).json()  # the same customer's address
    assert second["status"] == "assigned"
    deliver(client, clock, outbox)
    assert statuses(client, second) == [("booking_confirmation", "email", "suppressed")]
    assert emails(outbox) == [mail]  # nothing new in the file sink

    r = client.post(f"/api/track/{second['tracking_token']}/opt-in", json=EMAIL)
    assert r.status_code == 200, r.text
    assert r.json() == {"channels": ["email"], "opted_out": []}
    assert client.get(track).json()["opted_out"] == []  # one address, every visit
    third = client.post("/api/tickets", json=BODY).json()
    deliver(client, clock, outbox)
    assert statuses(client, third) == [("booking_confirmation", "email", "sent")]
    assert len(emails(outbox)) == 2
    assert statuses(client, second) == [("booking_confirmation", "email", "suppressed")]


def test_a_customer_without_an_address_has_no_channels(client, backend):
    no_mail = client.post(
        "/api/tickets", json=body(customer={"name": "Bert", "locale": "en"})
    ).json()
    track = f"/api/track/{no_mail['tracking_token']}"
    seen = client.get(track).json()
    assert (seen["channels"], seen["opted_out"]) == ([], [])
    for action in ("opt-out", "opt-in"):
        assert_problem(client.post(f"{track}/{action}", json=EMAIL), 422, "no email address")


@pytest.mark.parametrize("action", ["opt-out", "opt-in"])
def test_bad_requests_are_clear_problems(client, backend, action):
    token = client.post("/api/tickets", json=BODY).json()["tracking_token"]
    url = f"/api/track/{token}/{action}"

    assert_problem(
        client.post(f"/api/track/no-such-token-0000/{action}", json=EMAIL), 404, "tracking link"
    )
    for channel in ("sms", "webhook"):
        p = assert_problem(
            client.post(url, json={"channel": channel}), 422, f"'{channel}'", '"email"'
        )
        assert p["instance"] == url
    assert_problem(client.post(url, json={}), 422, "channel is required")
    assert_problem(client.post(url, json={"channel": 7}), 422, "channel")
    assert_problem(client.post(url, json={"channel": "x" * 33}), 422, "channel")
    assert_problem(client.post(url, json={"channel": "email", "why": "spam"}), 422, "why")
    assert_problem(client.post(url, json=["email"]), 422)
    malformed = client.post(
        url, content=b'{"channel": "email"', headers={"Content-Type": "application/json"}
    )
    assert_problem(malformed, 400, "not valid JSON")
    assert_problem(client.post(url), 422, "required")
    assert client.get(f"/api/track/{token}").json()["opted_out"] == []  # nothing changed


def test_the_endpoints_are_documented(client, backend):
    paths = client.get("/openapi.json").json()["paths"]
    for action in ("opt-out", "opt-in"):
        post = paths[f"/api/track/{{tracking_token}}/{action}"]["post"]
        assert {"200", "400", "404", "422"} <= set(post["responses"])
