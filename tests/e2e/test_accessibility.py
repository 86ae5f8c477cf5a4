"""axe-core in Debian's Chromium on the customer's page, the technician's page and the
console's intake
(issue 17, acceptance 6): no serious or critical violations (labels, contrast, names of
buttons and links, keyboard use), in Dutch and English.

axe-core 4.14.1 is vendored under tests/e2e/vendor (MPL-2.0, its licence beside it);
the test context bypasses the pages' content security policy only to inject it."""

import os
from pathlib import Path

import pytest
from browser import CHROMIUM, playwright, pytestmark  # noqa: F401
from live_server import serving

from api.app import create_app
from dispatch.config import Settings
from dispatch.domain.users import Role
from dispatch.services.users import add_user

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"


def shot(page, tmp_path: Path, name: str, locale: str) -> None:
    """Every page as the test sees it; ``FD_SCREENSHOTS=docs/screenshots`` keeps them
    for the docs (how docs/screenshots/ was made)."""
    where = Path(os.environ.get("FD_SCREENSHOTS") or tmp_path)
    where.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=where / f"{name}-{locale[:2]}.png", full_page=True)


def serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations"
                          ".map(v => [v.id, v.impact, v.nodes.length])")  # fmt: skip
    return [f"{rule} ({impact}, {n} places)" for rule, impact, n in found
            if impact in ("serious", "critical")]  # fmt: skip


@pytest.mark.parametrize("locale", ["nl-BE", "en-GB"])
def test_the_customer_page_and_the_technician_page_have_no_serious_violations(
        engine, fleet, clock, travel, book_for, backend, locale, tmp_path):  # fmt: skip
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    tech, [ticket] = book_for("cpo-jan", [(0.004, 0.0)])
    add_user(fleet, clock, "jan", "technician-demo-pass", Role.TECHNICIAN, tech.id)
    add_user(fleet, clock, "anna", "agent-demo-pass", Role.AGENT)
    with fleet:
        token = fleet.tickets.get(ticket).tracking_token  # type: ignore[union-attr]
    app = create_app(Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"}),
                     engine=engine, clock=clock)  # the demo's roads, drawn on the map  # fmt: skip
    with serving(app) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(locale=locale, bypass_csp=True,
                                      viewport={"width": 360, "height": 740})  # fmt: skip
        context.clock.set_system_time(clock.now())
        page = context.new_page()
        page.goto(f"{url}/track/{token}")
        page.locator("#window").filter(has_text=":").wait_for()
        assert serious(page) == []
        page.goto(f"{url}/tech")
        page.locator("#login").wait_for()
        assert serious(page) == []  # the login form
        page.locator("#username").fill("jan")
        page.locator("#password").fill("technician-demo-pass")
        page.locator("#login-go").click()
        page.locator(".stop.current").wait_for()
        shot(page, tmp_path, "technician", locale)
        assert serious(page) == []  # the day, with its buttons
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{url}/console")
        page.locator("#username").fill("anna")
        page.locator("#password").fill("agent-demo-pass")
        page.locator("#login-go").click()
        page.locator("#desk").wait_for()
        page.locator("#quote").click()  # the customer's name is missing: the form says so
        page.locator("#name").fill("An Aerts")
        page.locator("#quote").click()
        page.locator("#candidates tbody tr").first.wait_for()
        shot(page, tmp_path, "console-intake", locale)
        assert serious(page) == []  # the console's intake with its candidates
        browser.close()
