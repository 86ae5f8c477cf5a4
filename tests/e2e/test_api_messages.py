"""Messages over HTTP: integrators register webhooks, a dispatcher reads what a customer
was sent, and the customer's tracking page lists what they were told."""

from zoneinfo import ZoneInfo

from standardwebhooks.webhooks import Webhook
from test_api_tickets import BODY, assert_problem

from dispatch.notify.channels import FileSink, WebhookChannel
from dispatch.services.deliver import send_due
from dispatch.services.messages import Links, plan_messages
from dispatch.store.uow import SqlUnitOfWork


def deliver(client, clock, tmp_path):
    uow = SqlUnitOfWork(client.app.state.sessions)
    plan_messages(uow, clock, Links("http://testserver"), ZoneInfo("Europe/Brussels"))
    hook = WebhookChannel(timeout=1.0)
    send_due(uow, clock, {"email": FileSink(tmp_path), "webhook": hook})
    hook.close()


def test_a_webhook_is_registered_with_a_secret_shown_once(client, backend):
    r = client.post(
        "/api/webhooks",
        json={"url": "https://crm.example.org/hooks", "event_types": ["message.running_late"]},
    )
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["secret"].startswith("whsec_")
    Webhook(made["secret"])  # the official library accepts it
    listed = client.get("/api/webhooks").json()
    assert [(w["id"], w["secret"]) for w in listed] == [(made["id"], None)]
    assert client.delete(f"/api/webhooks/{made['id']}").status_code == 204
    assert client.get("/api/webhooks").json() == []
    assert_problem(client.delete(f"/api/webhooks/{made['id']}"), 404, "does not exist")


def test_bad_webhooks_are_refused_with_a_clear_problem(client, backend):
    assert_problem(
        client.post("/api/webhooks", json={"url": "ftp://x.example", "event_types": ["*"]}),
        422,
        "http(s)",
    )
    assert_problem(
        client.post(
            "/api/webhooks",
            json={"url": "https://x.example/h", "event_types": ["message.lottery_won"]},
        ),
        422,
        "message.lottery_won",
        "message.running_late",
    )
    r = client.post("/api/webhooks", json={"url": "https://x.example/h", "event_types": []})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem")


def test_a_booking_is_confirmed_by_mail_and_listed_for_the_dispatcher_and_the_customer(
    client, clock, backend, tmp_path
):
    created = client.post("/api/tickets", json=BODY).json()
    deliver(client, clock, tmp_path)
    messages = client.get(f"/api/tickets/{created['id']}/messages").json()
    assert [(m["kind"], m["channel"], m["status"]) for m in messages] == [
        ("booking_confirmation", "email", "sent")
    ]
    assert messages[0]["recipient"] == "an@example.org"
    assert messages[0]["attempts"][0]["ok"] is True
    [eml] = tmp_path.glob("*.eml")
    assert created["tracking_token"] in eml.read_text(encoding="utf-8")
    seen = client.get(f"/api/track/{created['tracking_token']}").json()
    assert [m["kind"] for m in seen["messages"]] == ["booking_confirmation"]
    assert "recipient" not in seen["messages"][0]  # no addresses on the customer's page


def test_messages_of_an_unknown_ticket_are_a_404(client, backend):
    assert_problem(client.get("/api/tickets/999999/messages"), 404, "does not exist")


def test_ids_too_large_for_a_row_and_broken_urls_are_422_not_500(client, backend):
    huge = 99999999999999999999
    for path in (f"/api/tickets/{huge}", f"/api/tickets/{huge}/messages"):
        assert_problem(client.get(path), 422)
    assert_problem(client.delete(f"/api/webhooks/{huge}"), 422)
    for url in ("http://[::1/hooks", "https://[x]/h"):
        r = client.post("/api/webhooks", json={"url": url, "event_types": ["*"]})
        assert_problem(r, 422, "http(s)")


def test_removing_a_webhook_keeps_what_was_sent_to_the_customer(client, clock, backend, tmp_path):
    made = client.post(
        "/api/webhooks", json={"url": "http://127.0.0.1:9/hooks", "event_types": ["*"]}
    ).json()
    created = client.post("/api/tickets", json=BODY).json()
    deliver(client, clock, tmp_path)
    before = client.get(f"/api/tickets/{created['id']}/messages").json()
    assert {m["channel"] for m in before} == {"email", "webhook"}
    assert client.delete(f"/api/webhooks/{made['id']}").status_code == 204
    after = client.get(f"/api/tickets/{created['id']}/messages").json()
    assert [m["id"] for m in after] == [m["id"] for m in before]


def test_a_message_no_attempt_could_deliver_is_listed_for_the_dispatcher(
    client, clock, backend, tmp_path
):
    from datetime import timedelta

    client.post("/api/webhooks", json={"url": "http://127.0.0.1:9/hooks", "event_types": ["*"]})
    created = client.post("/api/tickets", json=BODY).json()
    assert client.get("/api/messages/dead").json() == []
    for _ in range(7):  # the first try and every retry of the schedule, all refused
        deliver(client, clock, tmp_path)
        clock.advance(timedelta(hours=1))
    [dead] = client.get("/api/messages/dead").json()
    assert (dead["kind"], dead["channel"], dead["status"]) == (
        "booking_confirmation", "webhook", "dead"
    )
    assert len(dead["attempts"]) == 6 and not any(a["ok"] for a in dead["attempts"])
    sent = client.get(f"/api/tickets/{created['id']}/messages").json()
    assert {m["channel"]: m["status"] for m in sent} == {"email": "sent", "webhook": "dead"}
