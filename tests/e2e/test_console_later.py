"""Later-date slots in the console's intake, in Debian's Chromium driven by Playwright:
after "find a technician" the agent asks for other days, books a window on a later
day, and sees that day and window; the ticket holds it."""

from __future__ import annotations

import pytest
from browser import playwright, pytestmark  # noqa: F401
from consoles import app_with_login, logged_in
from live_server import serving

from dispatch.domain.users import Role

OFFICE = {"start": "08:00", "end": "17:00"}
WEEK = {"zone": "Europe/Brussels", "days": {d: OFFICE for d in ("mon", "tue", "wed", "thu", "fri")}}


def test_an_agent_books_a_window_on_a_later_day(engine, fleet, clock, travel, client, backend):
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    for t in client.get("/api/technicians").json():  # everyone works weekdays
        r = client.put(f"/api/technicians/{t['id']}/calendar/pattern", json=WEEK)
        assert r.status_code == 200, r.text
    app = app_with_login(engine, fleet, clock, travel, "anna", Role.AGENT)
    with serving(app) as url, playwright.sync_playwright() as p:
        browser, page = logged_in(p, url, clock, "anna", "agent-demo-pass")
        page.get_by_label("Klant", exact=True).fill("Cas Claes")
        page.get_by_label("Soort werk").select_option("cable_stuck")
        page.get_by_role("button", name="Zoek technieker").click()
        page.locator("#candidates tbody tr").first.wait_for()
        page.get_by_role("button", name="Andere dagen").click()
        page.get_by_text("Vrije tijdvakken op de volgende werkdagen").wait_for()
        wednesday = page.locator("#later tbody tr[data-date='2026-11-25']").first
        day, window, tech, _ = wednesday.inner_text().split("\t")
        assert "25-11" in day and window.strip() == "08:00 \u2013 10:00"
        wednesday.get_by_role("button", name="Boek").click()
        page.get_by_text("Geboekt bij").wait_for()
        said = page.locator("#booked").inner_text()
        assert f"Geboekt bij {tech.strip()}, {day.strip()} 08:00 \u2013 10:00." in said
        assert page.locator("#later").is_hidden() and page.locator("#candidates").is_hidden()
        page.get_by_role("link", name="Volglink van de klant").wait_for()
        ticket_id = page.evaluate("ticket.id")  # the intake's ticket
        browser.close()
    ticket = client.get(f"/api/tickets/{ticket_id}").json()
    assert ticket["status"] == "assigned"
    assert ticket["assignment"]["window"]["start"] == "2026-11-25T08:00:00+01:00"
