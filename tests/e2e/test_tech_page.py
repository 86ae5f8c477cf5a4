"""The technician's phone page at /tech, in Debian's headless Chromium driven by
Playwright on a 360-pixel-wide viewport (issue 17, acceptance 2 and 4): Jan logs in,
goes on his way, arrives, starts and finishes, and the customer's view follows; taps
made offline wait in the browser and arrive once when the network returns."""

from datetime import timedelta

import pytest
from browser import CHROMIUM, playwright, pytestmark  # noqa: F401
from live_server import serving
from sqlalchemy import text

from api.app import create_app
from dispatch.config import Settings
from dispatch.domain.model import LunchBreak
from dispatch.domain.users import Role
from dispatch.services.users import add_user

PHONE = {"width": 360, "height": 740}
PASSWORD = "technician-demo-pass"


@pytest.fixture
def jans_day(engine, fleet, clock, travel, book_for, backend):
    """Jan with two visits today and a login; the app on a port."""
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    tech, tickets = book_for("cpo-jan", [(0.004, 0.0), (0.008, 0.002)])
    add_user(fleet, clock, "jan", PASSWORD, Role.TECHNICIAN, tech.id)
    app = create_app(Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"}),
                     engine=engine, clock=clock, travel=travel)  # fmt: skip
    with serving(app) as url:
        yield url, tech, tickets


def _phone(p, clock, locale: str = "nl-BE"):
    browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    context = browser.new_context(locale=locale, viewport=PHONE, is_mobile=True)
    context.clock.set_system_time(clock.now())  # the phone's clock is the service's
    return browser, context, context.new_page()


def _log_in(page, url: str) -> None:
    page.goto(f"{url}/tech")
    page.get_by_label("Gebruikersnaam").fill("jan")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.locator(".stop.current").wait_for()


def _events(engine, ticket_id: int) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text(
            "SELECT type FROM field_events WHERE ticket_id = :t ORDER BY id"), {"t": ticket_id})]


def _token(engine, ticket_id: int) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT tracking_token FROM tickets WHERE id = :t"),
                                {"t": ticket_id}).scalar_one())  # fmt: skip


def test_jan_goes_through_his_visit_and_the_customer_page_follows_each_step(
        jans_day, engine, clock, tmp_path):  # fmt: skip
    """Acceptance 2: on my way, arrived, done on the phone; the customer's page, open
    the whole time and never reloaded, follows each step, ends on the confirm buttons,
    and confirming closes the case."""
    url, _tech, (first, second) = jans_day
    with playwright.sync_playwright() as p:
        browser, _context, page = _phone(p, clock)
        watcher = browser.new_context(locale="nl-BE", viewport=PHONE)
        watcher.clock.install(time=clock.now())  # its 10-second refresh, run on demand
        customer = watcher.new_page()
        customer.goto(f"{url}/track/{_token(engine, first)}")
        customer.locator("#status", has_text="Ingepland").wait_for()
        _log_in(page, url)
        current = page.locator(".stop.current")
        assert current.get_attribute("data-ticket") == str(first)
        assert "Gepland" in current.inner_text()
        assert current.get_by_role("link", name="Navigeer").get_attribute("href").startswith("geo:")
        page.screenshot(path=tmp_path / "tech-nl.png", full_page=True)
        for button, shown, seen in (("Ik vertrek", "Onderweg", "Onderweg"),
                                    ("Aangekomen", "Ter plaatse", "Ter plaatse"),
                                    ("Begonnen", "Bezig", "Bezig")):  # fmt: skip
            current.get_by_role("button", name=button).click()
            current.locator(".status", has_text=shown).wait_for()
            page.get_by_text("Alles verzonden").wait_for()
            watcher.clock.run_for(11_000)
            customer.locator("#status", has_text=seen).wait_for()
        current.get_by_role("button", name="Klaar").click()
        page.locator(f".stop.current[data-ticket='{second}']").wait_for()  # the next one
        watcher.clock.run_for(11_000)
        customer.locator("#status", has_text="Afgerond").wait_for()
        assert "komt langs" not in customer.locator("#message").inner_text()
        card = customer.locator("#confirm")
        card.get_by_role("button", name="Ja, opgelost").click()
        card.get_by_role("button", name="Verstuur").click()
        card.get_by_text("Bedankt! Uw zaak is afgesloten.").wait_for()
        browser.close()
    assert _events(engine, first) == ["en_route", "arrived", "started", "completed"]
    with engine.connect() as conn:
        status = conn.execute(text("SELECT status FROM tickets WHERE id = :t"),
                              {"t": first}).scalar_one()  # fmt: skip
    assert status == "done"


def test_taps_made_offline_arrive_once_when_the_network_returns(jans_day, engine, clock):
    url, _tech, (first, _second) = jans_day
    with playwright.sync_playwright() as p:
        browser, context, page = _phone(p, clock, "en-GB")
        page.goto(f"{url}/tech")
        page.get_by_label("Username").fill("jan")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        current = page.locator(".stop.current")
        current.wait_for()
        context.set_offline(True)  # a tunnel
        current.get_by_role("button", name="On my way").click()
        current.get_by_role("button", name="Arrived").click()
        page.get_by_text("2 update(s) waiting for the network").wait_for()
        assert current.locator(".status", has_text="Arrived").count() == 1  # shown already
        assert _events(engine, first) == []
        context.set_offline(False)
        page.get_by_text("Everything sent").wait_for(timeout=20_000)
        page.reload()  # a reload after a send resends nothing: the queue is empty
        page.locator(".stop.current .status", has_text="Arrived").wait_for()
        browser.close()
    assert _events(engine, first) == ["en_route", "arrived"]


def test_another_technicians_route_is_not_his_to_see(jans_day, clock):
    url, tech, _tickets = jans_day
    with playwright.sync_playwright() as p:
        browser, _context, page = _phone(p, clock)
        _log_in(page, url)
        answer = page.evaluate(
            "async (id) => (await fetch(`/api/technicians/${id}/route`, {headers: "
            "{Authorization: `Bearer ${sessionStorage.getItem('fd-access')}`}})).status",
            tech.id + 1)  # fmt: skip
        assert answer == 403
        browser.close()


def _break_events(engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text(
            "SELECT type FROM field_events WHERE type LIKE 'break%' ORDER BY id"))]


def test_jan_sees_his_lunch_and_reports_the_break_with_two_taps(jans_day, engine, fleet, clock,
                                                                 tmp_path):  # fmt: skip
    """Lunch from the calendar is on the phone; the taps become break events, and once
    back at work the page says it was taken (the ETAs plan no second one)."""
    url, tech, _tickets = jans_day
    with fleet:
        fleet.technicians.update_shift(tech.id, tech.shift, LunchBreak(
            clock.now() - timedelta(minutes=10), clock.now() + timedelta(minutes=80),
            timedelta(minutes=30)))  # fmt: skip
        fleet.commit()
    with playwright.sync_playwright() as p:
        browser, _context, page = _phone(p, clock)
        _log_in(page, url)
        card = page.locator("#lunch")
        card.get_by_text("Middagpauze: 30 min tussen").wait_for()
        page.screenshot(path=tmp_path / "tech-lunch.png", full_page=True)
        card.get_by_role("button", name="Start pauze").click()
        card.get_by_text("Pauze sinds").wait_for()
        page.get_by_text("Alles verzonden").wait_for()
        card.get_by_role("button", name="Terug aan het werk").click()
        card.get_by_text("Pauze genomen.").wait_for()
        page.get_by_text("Alles verzonden").wait_for()
        browser.close()
    assert _break_events(engine) == ["break_start", "break_end"]
