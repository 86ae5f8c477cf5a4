"""The customer's tracking page, rendered by a real headless Chromium."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bearer_tokens import bearer
from browser import playwright
from fastapi.responses import HTMLResponse
from live_server import serving

from api.app import create_app
from dispatch.config import Settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed"),
]
BODY = {
    "customer": {"name": "Tine Smets", "email": "tine@example.org", "locale": "nl"},
    "location": {"lat": 51.0745, "lon": 4.2885},
    "kind": "cable_stuck",
    "skills": ["cable_release"],
    "duration_min": 30,
}


@pytest.fixture
def live_url(engine, fleet, clock, travel):
    app = create_app(
        Settings.from_env({"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"}),
        engine=engine, clock=clock, travel=travel,
    )  # fmt: skip
    # under /track/: public, as the page it frames (every other route needs a login)
    app.add_api_route("/track/test/click-twice/{token}", click_twice, include_in_schema=False)
    with serving(app) as url:
        yield url


def page(dom: str) -> str:
    """What the page shows: the dumped DOM without its script (which holds every text)."""
    return re.sub(r"<script>.*?</script>", "", dom, flags=re.S)


def click_twice(token: str) -> HTMLResponse:
    """A test-only page of the same origin: the tracking page in a frame, its e-mail
    button clicked twice, the text shown after each step written out for --dump-dom
    (by an inline script: this page sets its own policy)."""
    return HTMLResponse(f"""<!doctype html><iframe id="f" src="/track/{token}#messages"></iframe>
<pre id="out"></pre><script>
const f = document.getElementById("f"), seen = [];
const el = (id) => f.contentDocument.getElementById(id);
const shown = () => `${{el("prefs-state").textContent}} [${{el("prefs-toggle").textContent}}]`;
function after(cond, then) {{
  const t = setInterval(() => {{ if (cond()) {{ clearInterval(t); then(); }} }}, 50);
}}
f.onload = () => after(() => el("prefs-toggle").textContent, () => {{
  seen.push(shown()); el("prefs-toggle").click();
  after(() => shown() !== seen[0], () => {{
    seen.push(shown()); el("prefs-toggle").click();
    after(() => shown() !== seen[1], () => {{
      seen.push(shown()); document.getElementById("out").textContent = seen.join("\\n");
    }});
  }});
}});
</script>""", headers={"Content-Security-Policy": "script-src 'unsafe-inline'"})


def chromium(url: str, tmp: Path, *extra: str) -> str:
    assert CHROMIUM is not None
    out = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp / 'profile'}", "--lang=nl",
            "--virtual-time-budget=5000", *extra, url,
        ],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return out.stdout


def test_the_customer_sees_the_window_and_the_first_name_in_their_language(
    live_url, tmp_path, backend
):
    import httpx

    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    ticket = httpx.post(f"{live_url}/api/tickets", json=BODY, headers=bearer()).json()
    window = ticket["assignment"]["window"]
    first = ticket["assignment"]["technician_name"].split()[0]
    dom = chromium(f"{live_url}/track/{ticket['tracking_token']}", tmp_path, "--dump-dom")
    assert f"{window['start'][11:16]} \u2013 {window['end'][11:16]}" in dom
    assert f"{first} komt langs binnen dit tijdvak." in dom
    assert "Laadkabel vrijmaken" in dom and "Ingepland" in dom
    assert "Tine" not in dom and "tine@example.org" not in dom  # nothing private
    shot = tmp_path / "track.png"
    chromium(f"{live_url}/track/{ticket['tracking_token']}", tmp_path,
             f"--screenshot={shot}", "--window-size=420,640")  # fmt: skip
    assert shot.exists() and shot.stat().st_size > 5_000


def test_an_unknown_link_says_so(live_url, tmp_path, backend):
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    dom = chromium(f"{live_url}/track/not-a-real-token", tmp_path, "--dump-dom")
    said = re.search(r'id="message">([^<]*)<', dom)  # in the browser's language
    assert said and said.group(1) in ("Deze link is niet (meer) geldig.",
                                      "This link is not (or no longer) valid.")  # fmt: skip


def test_the_customer_stops_and_restarts_emails_from_the_page(live_url, tmp_path, backend):
    import httpx

    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    made = httpx.post(f"{live_url}/api/tickets", json=BODY, headers=bearer())
    token = made.json()["tracking_token"]
    shown = page(chromium(f"{live_url}/track/{token}", tmp_path, "--dump-dom"))
    assert '<p class="muted" id="prefs-state">We houden u per e-mail op de hoogte.</p>' in shown
    assert 'data-action="opt-out">Geen e-mails meer</button>' in shown

    shown = page(chromium(f"{live_url}/track/test/click-twice/{token}", tmp_path, "--dump-dom"))
    assert (
        "We houden u per e-mail op de hoogte. [Geen e-mails meer]\n"
        "U krijgt geen e-mails meer van ons. [E-mails weer aanzetten]\n"
        "We houden u per e-mail op de hoogte. [Geen e-mails meer]"
    ) in shown, shown

    httpx.post(f"{live_url}/api/track/{token}/opt-out", json={"channel": "email"})
    shown = page(chromium(f"{live_url}/track/{token}", tmp_path, "--dump-dom"))
    assert '<p class="muted" id="prefs-state">U krijgt geen e-mails meer van ons.</p>' in shown
    assert 'data-action="opt-in">E-mails weer aanzetten</button>' in shown


def test_without_an_email_address_there_is_nothing_to_stop(live_url, tmp_path, backend):
    import httpx

    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    no_mail = {**BODY, "customer": {"name": "Tine Smets", "locale": "en"}}
    made = httpx.post(f"{live_url}/api/tickets", json=no_mail, headers=bearer())
    token = made.json()["tracking_token"]
    dom = chromium(f"{live_url}/track/{token}", tmp_path, "--dump-dom")
    assert "Scheduled" in dom  # the page rendered, in English
    assert '<div class="card told" id="messages" hidden="">' in dom
    assert page(dom).count("Stop e-mails") == 0


def test_a_later_window_is_explained_on_the_page(live_url, tmp_path, clock, backend):
    """The page said "Jan will come by" whatever happened; a window pushed later now
    says why (issue 17)."""
    import httpx

    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    made = httpx.post(f"{live_url}/api/tickets", json=BODY, headers=bearer()).json()
    tech = made["assignment"]["technician_id"]
    late = {"event_id": "late-page", "type": "delayed", "at": clock.now().isoformat(),
            "delay_min": 90, "ticket_id": made["id"]}  # fmt: skip
    assert httpx.post(f"{live_url}/api/technicians/{tech}/events", json=[late],
                      headers=bearer()).status_code == 200  # fmt: skip
    shown = page(chromium(f"{live_url}/track/{made['tracking_token']}", tmp_path, "--dump-dom"))
    assert "komt later dan eerst gezegd: er is veel verkeer" in shown


@pytest.mark.parametrize("late", [False, True])
def test_without_javascript_the_page_still_tells_the_truth(live_url, clock, backend, late):
    """A browser that runs no script (or a text browser) reads the status, the window
    and why it changed, rendered by the server (issue 17)."""
    import httpx

    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    made = httpx.post(f"{live_url}/api/tickets", json=BODY, headers=bearer()).json()
    if late:
        step = {"event_id": "nojs-late", "type": "delayed", "at": clock.now().isoformat(),
                "delay_min": 90, "ticket_id": made["id"]}  # fmt: skip
        httpx.post(f"{live_url}/api/technicians/{made['assignment']['technician_id']}/events",
                   json=[step], headers=bearer())  # fmt: skip
    window = httpx.get(f"{live_url}/api/tickets/{made['id']}",
                       headers=bearer()).json()["assignment"]["window"]  # fmt: skip
    first = made["assignment"]["technician_name"].split()[0]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page_ = browser.new_context(java_script_enabled=False, locale="nl-BE").new_page()
        page_.goto(f"{live_url}/track/{made['tracking_token']}")
        shown = page_.locator("body").inner_text()
        browser.close()
    between = f"{window['start'][11:16]} \u2013 {window['end'][11:16]}"
    assert "Ingepland" in shown and between in shown
    said = "komt later dan eerst gezegd: er is veel verkeer" if late else "komt langs binnen"
    assert f"{first} {said}" in shown
    assert "Tine" not in shown and "…" not in shown  # nobody's data; no empty shell


def test_without_javascript_an_unknown_link_says_so(live_url, backend):
    if backend != "sqlite":
        pytest.skip("one database is enough for a browser test")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page_ = browser.new_context(java_script_enabled=False).new_page()
        page_.goto(f"{live_url}/track/not-a-real-token")
        assert "Deze link is niet (meer) geldig." in page_.locator("body").inner_text()
        browser.close()
