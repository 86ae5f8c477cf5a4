"""Moving a visit on the console's board to another time on its own row, with a pointer
and with the keyboard alone, in Debian's Chromium driven by Playwright: the visit
comes earlier with every window kept, a row changed meanwhile answers with the 409
and a fresh board, and each keyboard step is said in the aria-live region."""

from __future__ import annotations

import pytest
from bearer_tokens import bearer
from browser import playwright, pytestmark  # noqa: F401
from consoles import app_with_login, drag, logged_in, settled
from fastapi.testclient import TestClient
from live_server import serving
from playwright.sync_api import Page

from dispatch.domain.users import Role

EIGHT = [(0.003 * k, 0.0) for k in range(1, 9)]  # Jan's day: wide windows later on


def _order(client: TestClient, technician_id: int) -> list[int]:
    rows = client.get("/api/board").json()["technicians"]
    row = next(r for r in rows if r["technician_id"] == technician_id)
    return [v["ticket_id"] for v in row["visits"]]


def _said(page: Page, text: str) -> None:
    page.locator("#board-live", has_text=text).wait_for()


def test_dragging_a_visit_sideways_moves_it_to_that_time(engine, fleet, clock, travel,
                                                        book_for, client, backend):  # fmt: skip
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    jan, ids = book_for("cpo-jan", EIGHT)
    # no live stream here: it would redraw the board before the stale drag can happen
    app = app_with_login(engine, fleet, clock, travel, "dirk", Role.DISPATCHER, "3600")
    with serving(app) as url, playwright.sync_playwright() as p:
        browser, page = logged_in(p, url, clock, "dirk", "dispatcher-demo-pass")
        row = page.locator(f".g-row[data-technician='{jan.id}']")
        block = row.locator(f".g-visit[data-ticket='{ids[6]}']")
        block.wait_for()
        before = row.locator(f".g-visit[data-ticket='{ids[4]}']")
        settled(page)
        version = next(r for r in client.get("/api/board").json()["technicians"]
                       if r["technician_id"] == jan.id)["route_version"]  # fmt: skip
        other = client.post(f"/api/tickets/{ids[5]}/move", json={  # someone moves one first
            "technician_id": jan.id, "route_version": version, "position": 6})
        assert other.status_code == 200, other.text
        drag(page, block, before, dx=-3)  # just before #ids[4] starts
        page.locator("#board-note", has_text="changed since the board was drawn").wait_for()
        assert _order(client, jan.id) == [*ids[:5], ids[6], ids[5], ids[7]]
        block.wait_for()  # the board, drawn again with the fresh route
        drag(page, block, before, dx=-3)
        page.locator("#board-note", has_text=f"Bezoek #{ids[6]} komt nu om").wait_for()
        assert _order(client, jan.id) == [*ids[:4], ids[6], ids[4], ids[5], ids[7]]
        moved, next_ = block.bounding_box(), before.bounding_box()
        assert moved and next_ and moved["x"] < next_["x"]  # drawn earlier now
        drag(page, block, row.locator(f".g-visit[data-ticket='{ids[0]}']"), dx=-3)
        # first, Jan would wait at its door for its window and make the others late
        page.locator("#board-note", has_text="after the window its customer was told").wait_for()
        assert _order(client, jan.id) == [*ids[:4], ids[6], ids[4], ids[5], ids[7]]
        browser.close()


def test_a_dispatcher_moves_visits_with_the_keyboard_alone(engine, fleet, clock, travel,
                                                           book_for, client, backend):  # fmt: skip
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    jan, ids = book_for("cpo-jan", EIGHT)
    with fleet:
        fatima = fleet.technicians.by_code("cpo-fatima")
    app = app_with_login(engine, fleet, clock, travel, "dirk", Role.DISPATCHER, "3600")
    with serving(app) as url, playwright.sync_playwright() as p:
        browser, page = logged_in(p, url, clock, "dirk", "dispatcher-demo-pass")
        settled(page)
        for _ in range(200):  # Tab through the page to the visit
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.dataset.ticket") == str(ids[6]):
                break
        else:
            pytest.fail(f"Tab never reached visit #{ids[6]}")
        label = page.evaluate("document.activeElement.getAttribute('aria-label')")
        assert label.startswith(f"Bezoek #{ids[6]}") and "Enter of spatie" in label
        page.keyboard.press("Enter")
        _said(page, f"#{ids[6]} opgenomen")
        page.keyboard.press("ArrowLeft")
        _said(page, f"plaats 6 van 8, na #{ids[4]}, voor #{ids[5]}")
        page.keyboard.press("Escape")  # changed his mind: nothing moves
        _said(page, f"Verplaatsen van #{ids[6]} geannuleerd")
        assert _order(client, jan.id) == ids
        page.keyboard.press(" ")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        _said(page, f"plaats 5 van 8, na #{ids[3]}, voor #{ids[4]}")
        page.keyboard.press("Enter")
        _said(page, f"Bezoek #{ids[6]} komt nu om")
        assert _order(client, jan.id) == [*ids[:4], ids[6], ids[4], ids[5], ids[7]]
        assert page.evaluate("document.activeElement.dataset.ticket") == str(ids[6])
        page.keyboard.press("Enter")  # and on to Fatima, still by keyboard
        for _ in range(12):
            page.keyboard.press("ArrowDown")
            if "Fatima" in page.locator("#board-live").inner_text():
                break
        _said(page, f"Naar {fatima.name}: het bezoek komt waar het best past.")
        page.keyboard.press("ArrowLeft")
        _said(page, "Een ander tijdstip kies je op de eigen rij")
        page.keyboard.press("Enter")
        _said(page, f"Bezoek #{ids[6]} gaat naar {fatima.name}")
        page.locator(f".g-row[data-technician='{fatima.id}'] .g-visit[data-ticket='{ids[6]}']"
                     ).wait_for()  # fmt: skip
        browser.close()
    assert client.get(f"/api/tickets/{ids[6]}", headers=bearer()).json()["assignment"][
        "technician_id"] == fatima.id  # fmt: skip
