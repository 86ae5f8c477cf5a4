"""Every page in Dutch and English, as a customer, a technician and a dispatcher meet
it (issue 17): axe-core finds no serious violation where a script runs, and each page
is photographed (``FD_SCREENSHOTS=docs/screenshots`` keeps them for the docs):

- the customer's page while Jan comes next (his rough place on the little map), after
  his breakdown (new times to choose), and after the visit (solved? a score), each also
  as a browser without JavaScript shows it;
- the technician's and the console's login, and the dispatcher's day (map and board).
"""

from datetime import timedelta

import pytest
from browser import CHROMIUM, playwright, pytestmark  # noqa: F401
from live_server import serving
from scenarios import jan_alone_with_a_customer
from test_accessibility import serious, shot

from api.app import create_app
from dispatch.config import Settings
from dispatch.domain.disruption import DisruptionKind
from dispatch.domain.fieldstate import EventType, FieldEvent
from dispatch.domain.model import Customer, GeoPoint
from dispatch.domain.users import Role
from dispatch.services.disruptions import NewDisruption, record_disruption
from dispatch.services.field_events import record_events
from dispatch.services.force_majeure import handle_pending
from dispatch.services.offers import OfferPolicy
from dispatch.services.tickets import NewTicket, create_ticket
from dispatch.services.users import add_user

LOCALES = ["nl-BE", "en-GB"]
SAYS = {  # a sentence each state must show, with and without a script
    "nl": {"next": "Jan is nu ongeveer", "choose": "Kies uw nieuwe afspraak",
           "completed": "Is alles opgelost zoals u wilde?"},
    "en": {"next": "Jan is now about", "choose": "Choose your new appointment",
           "completed": "Is everything solved the way you wanted?"},
}  # fmt: skip


@pytest.fixture
def served(engine, fleet, clock, backend):
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    app = create_app(Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"}),
                     engine=engine, clock=clock)  # the demo's roads, for the maps  # fmt: skip
    with serving(app) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield app, url, browser
        browser.close()


def visit_both_ways(browser, url, token, state, locale, clock, tmp_path) -> None:
    """The page with its script (axe-checked) and without one, each photographed."""
    lang = locale[:2]
    for script in (True, False):
        context = browser.new_context(locale=locale, bypass_csp=True, java_script_enabled=script,
                                      viewport={"width": 390, "height": 844})  # fmt: skip
        context.clock.set_system_time(clock.now())
        page = context.new_page()
        page.goto(f"{url}/track/{token}")
        if script:
            page.get_by_text(SAYS[lang][state]).first.wait_for()
        else:  # Playwright's text search skips <noscript>; the page's text does not
            assert SAYS[lang][state] in page.locator("body").inner_text(), state
        if script:
            page.wait_for_timeout(300)  # the little map's image, where there is one
            assert serious(page) == [], state
        shot(page, tmp_path, f"customer-{state}{'' if script else '-nojs'}", locale)
        context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_the_customer_page_in_every_state(served, fleet, clock, locale, tmp_path):
    app, url, browser = served
    with fleet:
        fatima = next(t for t in fleet.technicians.all() if t.code == "cpo-fatima")
    done = create_ticket(fleet, clock, app.state.travel, NewTicket(  # the page after a visit
        Customer("Wim Claes", locale=locale[:2]), GeoPoint(fatima.home.lat + 0.01, fatima.home.lon),
        "cable_stuck", frozenset({"cable_release"}), timedelta(minutes=30))).ticket  # fmt: skip
    tech = done.visit.technician_id  # type: ignore[union-attr]
    for k, kind in enumerate(("en_route", "arrived", "started", "completed")):
        clock.advance(timedelta(minutes=5))
        record_events(fleet, clock, app.state.travel, tech,
                      [FieldEvent(f"t{k}", EventType(kind), clock.now(), ticket_id=done.id)])
    jan, ticket = jan_alone_with_a_customer(fleet, clock, app.state.travel, "tine@example.org",
                                            locale[:2])  # fmt: skip
    with fleet:
        fleet.technicians.set_position(jan.id, GeoPoint(jan.home.lat - 0.01, jan.home.lon),
                                       clock.now())  # fmt: skip
        fleet.commit()
    visit_both_ways(browser, url, ticket.tracking_token, "next", locale, clock, tmp_path)

    record_disruption(fleet, clock, NewDisruption(
        DisruptionKind.BREAKDOWN, clock.now() + timedelta(hours=2), "pech op de A12", jan.id))
    handle_pending(fleet, clock, lambda: app.state.travel, OfferPolicy("Europe/Brussels"))
    visit_both_ways(browser, url, ticket.tracking_token, "choose", locale, clock, tmp_path)

    visit_both_ways(browser, url, done.tracking_token, "completed", locale, clock, tmp_path)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_logins_and_the_dispatchers_day(served, fleet, clock, book_for, locale, tmp_path):
    _, url, browser = served
    book_for("cpo-jan", [(0.004, 0.0), (0.008, 0.004)])
    add_user(fleet, clock, "dora", "dispatcher-demo-pass", Role.DISPATCHER)
    context = browser.new_context(locale=locale, bypass_csp=True,
                                  viewport={"width": 360, "height": 740})  # fmt: skip
    context.clock.set_system_time(clock.now())
    page = context.new_page()
    page.goto(f"{url}/tech")
    page.locator("#login").wait_for()
    shot(page, tmp_path, "technician-login", locale)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{url}/console")
    page.locator("#login").wait_for()
    shot(page, tmp_path, "console-login", locale)
    assert serious(page) == []
    page.locator("#username").fill("dora")
    page.locator("#password").fill("dispatcher-demo-pass")
    page.locator("#login-go").click()
    page.locator("#map[data-markers]").wait_for(state="attached")
    page.locator("#board .row, #board [data-technician]").first.wait_for()
    shot(page, tmp_path, "console-day", locale)
    assert serious(page) == []  # the map, the board and the disruption form
    context.close()
