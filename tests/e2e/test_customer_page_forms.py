"""The customer's page without JavaScript (issue 17): every answer works as a plain form
that posts and comes back, in Debian's headless Chromium with scripts off: confirming
and scoring, picking a time offered after force majeure, moving the visit to another
day, cancelling it."""

from datetime import date, timedelta

import pytest
from browser import CHROMIUM, playwright, pytestmark  # noqa: F401
from live_server import serving
from scenarios import jan_alone_with_a_customer

from api.app import create_app
from dispatch.config import Settings
from dispatch.domain.disruption import DisruptionKind
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.services.disruptions import NewDisruption, record_disruption
from dispatch.services.field_events import record_events
from dispatch.services.force_majeure import handle_pending
from dispatch.services.offers import OfferPolicy

THURSDAY = date(2026, 11, 26)  # the fixtures' clock stands on Tuesday the 24th


@pytest.fixture
def tine(engine, fleet, clock, travel, backend):
    """Tine's locked cable booked with Jan (the only one still on shift today), the
    app serving, a browser with scripts off."""
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    jan, ticket = jan_alone_with_a_customer(fleet, clock, travel, "tine@example.org")
    app = create_app(Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"}),
                     engine=engine, clock=clock, travel=travel)  # fmt: skip
    with serving(app) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(java_script_enabled=False, locale="nl-BE").new_page()
        page.goto(f"{url}/track/{ticket.tracking_token}")
        yield page, jan, ticket
        browser.close()


def shown(page) -> str:
    return page.locator("body").inner_text()


def test_moving_to_another_day_then_cancelling_works_without_a_script(tine, fleet):
    page, _, ticket = tine
    assert "Past het niet meer?" in shown(page)
    page.get_by_label("Verplaats naar een andere dag:").fill(THURSDAY.isoformat())
    page.get_by_role("button", name="Verplaats", exact=True).click()
    page.wait_for_url("**note=moved")
    assert "Uw afspraak is verplaatst." in shown(page)
    assert "donderdag 26 november" in shown(page)
    with fleet:
        planned = fleet.day_plans.of_ticket(ticket.id)
    assert planned is not None and planned.day == THURSDAY

    page.get_by_label("Ja, ik wil annuleren").check()
    page.get_by_role("button", name="Annuleer dit bezoek").click()
    page.wait_for_url("**note=cancelled")
    assert "Uw bezoek is geannuleerd." in shown(page) and "Geannuleerd" in shown(page)
    assert "Past het niet meer?" not in shown(page)  # nothing left to move
    with fleet:
        assert fleet.tickets.get(ticket.id).status.value == "cancelled"
        assert fleet.day_plans.of_ticket(ticket.id) is None


def test_a_day_with_nothing_free_says_so_and_keeps_the_visit(tine, fleet):
    page, _, ticket = tine
    saturday = THURSDAY + timedelta(days=2)  # nobody works on Saturdays
    page.get_by_label("Verplaats naar een andere dag:").fill(saturday.isoformat())
    page.get_by_role("button", name="Verplaats", exact=True).click()
    page.wait_for_url("**note=noneFree")
    assert "Die dag is er niets meer vrij." in shown(page)
    with fleet:
        assert fleet.tickets.get(ticket.id).visit.open


def test_after_force_majeure_the_customer_picks_an_offered_time(tine, fleet, clock, travel):
    page, jan, ticket = tine
    record_disruption(fleet, clock, NewDisruption(
        DisruptionKind.BREAKDOWN, clock.now() + timedelta(hours=8), "pech op de A12", jan.id))
    handle_pending(fleet, clock, lambda: travel, OfferPolicy("Europe/Brussels"))  # fmt: skip
    with fleet:
        offer = fleet.offers.latest(ticket.id)
    page.reload()
    assert "kan niet doorgaan zoals gepland: pech op de A12" in shown(page)
    assert "Past het niet meer?" not in shown(page)  # the offer is the way to move now
    slots = page.locator("button[name=slot]")
    assert slots.count() == len(offer.slots) >= 2
    assert "voor u vastgehouden" in slots.nth(0).inner_text()
    chosen = slots.nth(1).inner_text()
    slots.nth(1).click()
    page.wait_for_url("**note=offerDone")
    assert "Uw nieuwe afspraak staat vast." in shown(page)
    start = page.locator("strong.window").inner_text().split(" \u2013 ")[0]
    assert start in chosen
    with fleet:
        assert fleet.offers.latest(ticket.id).chosen == 1


def test_after_the_visit_the_customer_confirms_and_scores_with_a_form(tine, fleet, clock,
                                                                     travel):  # fmt: skip
    page, jan, ticket = tine
    for k, kind in enumerate(("en_route", "arrived", "started", "completed")):
        clock.advance(timedelta(minutes=10))
        record_events(fleet, clock, travel, jan.id,
                      [FieldEvent(f"f{k}", EventType(kind), clock.now(), ticket_id=ticket.id)])
    page.reload()
    assert "Is alles opgelost zoals u wilde?" in shown(page)
    page.get_by_label("Ja, opgelost").check()
    page.locator("input[name=nps][value='8']").check()
    page.get_by_label("Wilt u nog iets kwijt? (niet verplicht)").fill("Vlot geholpen")
    page.get_by_role("button", name="Verstuur").click()
    page.wait_for_url("**note=thanks")
    assert "Bedankt! Uw zaak is afgesloten." in shown(page)
    assert "Is alles opgelost" not in shown(page)  # asked once
    with fleet:
        assert fleet.tickets.get(ticket.id).status.value == "done"
        [said] = [e for e in fleet.cases.of(ticket.id) if e.kind.value == "confirmed"]
    assert said.detail["nps"] == 8 and said.detail["comment"] == "Vlot geholpen"

    page.go_back()  # an old copy of the page, sent again: answered already, said kindly
    page.get_by_label("Nee, nog niet").check()
    page.get_by_role("button", name="Verstuur").click()
    page.wait_for_url("**note=already")
    assert "We hadden uw antwoord al." in shown(page)
