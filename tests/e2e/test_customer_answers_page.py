"""The customer answers on the tracking page, in Debian's headless Chromium driven by
Playwright: after force majeure they pick a new appointment (issue 14, acceptance 2:
the held slot marked, a time taken meanwhile answered with fresh times, the choice
confirmed); after the visit they say it is solved and score us (issue 15)."""

from datetime import timedelta

import pytest
from browser import CHROMIUM, playwright, pytestmark  # noqa: F401
from live_server import serving
from scenarios import jan_alone_with_a_customer

from api.app import create_app
from dispatch.config import Settings
from dispatch.domain.disruption import DisruptionKind
from dispatch.domain.model import Customer, GeoPoint
from dispatch.services.disruptions import NewDisruption, record_disruption
from dispatch.services.force_majeure import handle_pending
from dispatch.services.offers import OfferPolicy
from dispatch.services.tickets import NewTicket, create_ticket


@pytest.fixture
def offered(engine, fleet, clock, travel, backend):
    """Jan alone on shift breaks down for the day: his customer is offered new times."""
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    now = clock.now()
    jan, ticket = jan_alone_with_a_customer(fleet, clock, travel, "tine@example.org")
    out = NewDisruption(DisruptionKind.BREAKDOWN, now + timedelta(hours=8), "pech", jan.id)
    record_disruption(fleet, clock, out)
    handle_pending(fleet, clock, lambda: travel, OfferPolicy("Europe/Brussels"))
    with fleet:
        offer = fleet.offers.latest(ticket.id)
    assert offer is not None
    app = create_app(Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"}),
                     engine=engine, clock=clock, travel=travel)  # fmt: skip
    with serving(app) as url:
        yield url, ticket.tracking_token, offer


def test_the_customer_sees_the_held_time_and_takes_another(offered, fleet, clock, tmp_path):
    url, token, offer = offered
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(locale="nl-BE", viewport={"width": 420, "height": 900})
        page.goto(f"{url}/track/{token}#reschedule")
        card = page.locator("#offer")
        card.get_by_text("Kies uw nieuwe afspraak").wait_for()
        buttons = card.locator("#offer-slots button")
        assert buttons.count() == len(offer.slots) >= 2
        assert "voor u vastgehouden" in buttons.nth(0).inner_text()
        assert "vastgehouden" not in buttons.nth(1).inner_text()
        said = page.locator("#message").inner_text()  # the truth first, not "Jan komt langs"
        assert "kan niet doorgaan zoals gepland: pech" in said and "komt langs" not in said
        page.screenshot(path=tmp_path / "offer.png", full_page=True)
        assert (tmp_path / "offer.png").stat().st_size > 5_000

        taken = offer.slots[1]  # somebody else's now: that technician is away all that day
        record_disruption(fleet, clock, NewDisruption(
            DisruptionKind.UNAVAILABLE, clock.now() + timedelta(days=1, hours=20), "training",
            taken.technician_id, start=clock.now() + timedelta(hours=12)))  # fmt: skip
        buttons.nth(1).click()
        card.get_by_text("Dat moment is intussen bezet").wait_for()
        assert card.locator("#offer-slots button").count() >= 2

        fresh = card.locator("#offer-slots button").nth(1)
        chosen = fresh.inner_text()
        before = page.locator("#window").inner_text()
        fresh.click()
        card.get_by_text("Uw nieuwe afspraak staat vast.").wait_for()
        playwright.expect(page.locator("#window")).not_to_have_text(before)  # refreshed
        window = page.locator("#window").inner_text()
        assert window.split(" \u2013 ")[0] in chosen
        browser.close()


def test_the_customer_confirms_it_is_solved_and_scores_us(engine, fleet, clock, travel,
                                                         backend):  # fmt: skip
    """Issue 15: the completed visit's message links to #confirm; one tap, a score, sent."""
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    from dispatch.domain.fieldstate import EventType, FieldEvent
    from dispatch.services.field_events import record_events

    with fleet:
        jan = next(t for t in fleet.technicians.all() if t.code == "cpo-jan")
    ticket = create_ticket(fleet, clock, travel, NewTicket(
        customer=Customer("Tine Smets", locale="nl"),
        location=GeoPoint(jan.home.lat + 0.01, jan.home.lon), kind="cable_stuck",
        skills=frozenset({"cable_release"}), service=timedelta(minutes=30))).ticket  # fmt: skip
    tech = ticket.visit.technician_id
    for k, kind in enumerate(("en_route", "arrived", "started", "completed")):
        clock.advance(timedelta(minutes=10))
        step = FieldEvent(f"c{k}", EventType(kind), clock.now(), ticket_id=ticket.id)
        record_events(fleet, clock, travel, tech, [step])
    app = create_app(Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"}),
                     engine=engine, clock=clock, travel=travel)  # fmt: skip
    with serving(app) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(locale="nl-BE")
        page.goto(f"{url}/track/{ticket.tracking_token}#confirm")
        card = page.locator("#confirm")
        card.get_by_text("Is alles opgelost zoals u wilde?").wait_for()
        card.get_by_role("button", name="Ja, opgelost").click()
        card.locator("#score button").nth(9).click()
        card.locator("#comment").fill("Snel en vriendelijk")
        card.get_by_role("button", name="Verstuur").click()
        card.get_by_text("Bedankt! Uw zaak is afgesloten.").wait_for()
        browser.close()
    with fleet:
        assert fleet.tickets.get(ticket.id).status.value == "done"
        [said] = [e for e in fleet.cases.of(ticket.id) if e.kind.value == "confirmed"]
    assert said.detail["nps"] == 9 and said.detail["comment"] == "Snel en vriendelijk"
