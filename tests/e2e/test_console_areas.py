"""A dispatcher draws a slowdown area on the console's map (two clicks are the corners
of a box), in Debian's Chromium driven by Playwright: it is declared as a slowdown
with its factor and reason, the API lists it, and the map draws it; clicks made while
drawing do not move the intake's place."""

from __future__ import annotations

import pytest
from browser import playwright, pytestmark  # noqa: F401
from consoles import app_with_login, logged_in
from live_server import serving

from dispatch.domain.users import Role


def test_a_dispatcher_draws_a_slowdown_area_and_the_api_lists_it(engine, fleet, clock, travel,
                                                                 client, backend):  # fmt: skip
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    app = app_with_login(engine, fleet, clock, travel, "dirk", Role.DISPATCHER, "3600")
    with serving(app) as url, playwright.sync_playwright() as p:
        browser, page = logged_in(p, url, clock, "dirk", "dispatcher-demo-pass")
        page.locator("#map[data-areas='0']").wait_for(state="attached")  # none yet
        form = page.locator("#area")
        form.get_by_label("Reden").fill("sneeuw op de E40")
        form.get_by_role("button", name="Meld vertraging").click()
        form.get_by_text("Teken eerst een zone.").wait_for()
        place = page.locator("#lat").input_value()
        form.get_by_role("button", name="Teken vertraagzone").click()
        form.get_by_text("de eerste hoek").wait_for()
        page.locator("#map").click(position={"x": 200, "y": 120})
        form.get_by_text("tegenoverliggende hoek").wait_for()
        page.locator("#map").click(position={"x": 420, "y": 300})
        form.get_by_text("Zone gekozen").wait_for()
        assert page.locator("#lat").input_value() == place  # corners, not the intake's place
        corners = page.evaluate("""() => [[200, 120], [420, 300]].map(
            (xy) => RoadMap.map.containerPointToLatLng(xy))""")
        form.get_by_label("Rijtijd maal").fill("2")
        form.get_by_label("Hoe lang").select_option("240")
        form.get_by_role("button", name="Meld vertraging").click()
        form.get_by_text("Gemeld: vertraging").wait_for()
        page.locator("#map[data-areas='1']").wait_for(state="attached")  # drawn on the map
        browser.close()
    [area] = client.get("/api/disruptions", params={"active": "true"}).json()
    assert area["kind"] == "slowdown" and area["factor"] == 2.0
    assert area["reason"] == "sneeuw op de E40" and area["technician_id"] is None
    lats = sorted(c["lat"] for c in corners)
    lons = sorted(c["lng"] for c in corners)
    box = [(lats[0], lons[0]), (lats[0], lons[1]), (lats[1], lons[1]), (lats[1], lons[0])]
    # the corners as clicked, to a pixel (a click lands on whole pixels, the map may not)
    assert [pytest.approx(c, abs=1e-3) for c in box] == [tuple(c) for c in area["area"]]
