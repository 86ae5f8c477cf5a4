"""The customer's tracking page, rendered by a real headless Chromium."""

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
import uvicorn

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
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


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
    ticket = httpx.post(f"{live_url}/api/tickets", json=BODY).json()
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
    assert "Deze link is niet (meer) geldig." in dom
