"""What the console's browser tests share: the app with a login of a given role, a
logged-in Chromium page, and a dispatcher's drag on the board."""

from __future__ import annotations

from browser import CHROMIUM
from fastapi import FastAPI
from playwright.sync_api import Browser, Locator, Page, Playwright
from sqlalchemy.engine import Engine

from api.app import create_app
from dispatch.clock import FakeClock
from dispatch.config import Settings
from dispatch.domain.users import Role
from dispatch.services.users import add_user
from dispatch.store.uow import SqlUnitOfWork
from solver.traveltime.protocol import TravelTimes


def app_with_login(engine: Engine, fleet: SqlUnitOfWork, clock: FakeClock, travel: TravelTimes,
                   username: str, role: Role, stream_s: str = "0.2") -> FastAPI:  # fmt: skip
    """The app, and a login whose password is the demo's for its role."""
    add_user(fleet, clock, username, f"{role.value}-demo-pass", role)
    return create_app(Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0",
                                         "DISPATCH_STREAM_INTERVAL_S": stream_s}),
                      engine=engine, clock=clock, travel=travel)  # fmt: skip


def logged_in(p: Playwright, url: str, clock: FakeClock, username: str,
              password: str) -> tuple[Browser, Page]:  # fmt: skip
    browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    context.clock.set_system_time(clock.now())
    page = context.new_page()
    page.goto(f"{url}/console")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    return browser, page


def drag(page: Page, source: Locator, target: Locator, dx: float | None = None) -> None:
    """A dispatcher's drag: press on the block, move in steps, let go over the target
    (its middle, or ``dx`` pixels right of the block's left edge on the same line)."""
    # the whole board on screen, both rows with it (a board partly in view would not
    # scroll "if needed", and a row below the fold cannot be dropped on)
    page.locator("#board").evaluate("b => b.scrollIntoView({block: 'center'})")
    a, b = source.bounding_box(), target.bounding_box()
    assert a is not None and b is not None, "both on screen"
    x0, y0 = a["x"] + a["width"] / 2, a["y"] + a["height"] / 2
    page.mouse.move(x0, y0)
    page.mouse.down()
    if dx is None:
        page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=8)
    else:
        page.mouse.move(b["x"] + dx + a["width"] / 2, y0, steps=8)
    page.mouse.up()


def settled(page: Page) -> None:
    """The board drawn twice: at login, and again on the live stream's first word (a
    fresh stream always says "change"), with the attention list below it. A change
    made after this is one the open board has not seen."""
    # a selector, not a script: the page's policy allows no eval
    page.locator("#board[data-drawn]:not([data-drawn='1'])").wait_for(state="attached")
    page.locator("#attention li").first.wait_for()
