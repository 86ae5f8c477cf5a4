"""The intake's address search in Debian's Chromium driven by Playwright: an agent types
part of the street the customer names, picks the one in the right village, and the
ticket's place is that street, pinned on the map."""

from __future__ import annotations

import pytest
from browser import playwright, pytestmark  # noqa: F401
from consoles import app_with_login, logged_in
from live_server import serving

from dispatch.domain.users import Role


def test_an_agent_finds_the_customers_street_and_it_becomes_the_place(
        engine, fleet, clock, travel, client, backend):  # fmt: skip
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    [bornem] = [s for s in client.get("/api/map/streets?q=kapelstraat&limit=50").json()
                if s["label"] == "Kapelstraat, Bornem"]  # fmt: skip
    app = app_with_login(engine, fleet, clock, travel, "anna", Role.AGENT)
    with serving(app) as url, playwright.sync_playwright() as p:
        browser, page = logged_in(p, url, clock, "anna", "agent-demo-pass")
        page.locator("#map[data-markers]").wait_for(state="attached")
        page.get_by_label("Straat (zoek)").fill("kapelstr")
        page.get_by_role("button", name="Kapelstraat, Bornem").click()
        page.get_by_text("Plaats: Kapelstraat, Bornem.").wait_for()
        assert float(page.locator("#lat").input_value()) == pytest.approx(bornem["lat"], abs=1e-5)
        assert float(page.locator("#lon").input_value()) == pytest.approx(bornem["lon"], abs=1e-5)
        assert page.locator("#street-found li").count() == 0  # the choices are gone
        pinned = page.evaluate("RoadMap.pin.getLatLng().lat")  # and the pin is there
        assert pinned == pytest.approx(bornem["lat"], abs=1e-9)
        page.get_by_label("Straat (zoek)").fill("zzzqqq")
        page.get_by_text("Geen straat met die naam in onze kaart.").wait_for()
        browser.close()
