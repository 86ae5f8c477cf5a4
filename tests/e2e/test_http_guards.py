"""What every response carries and what no request gets past: a body over the cap is
refused before it is read in full (413), pages carry a content security policy that
allows no inline script, and other sites' pages may not call the API unless configured."""

import json

from fastapi.testclient import TestClient

from api.app import create_app
from dispatch.config import Settings


def event(i: int) -> dict:
    return {"event_id": f"e{i}", "type": "position", "at": "2026-11-24T09:00:00+01:00",
            "lat": 51.07, "lon": 4.29, "note": "x" * 200}  # fmt: skip


def test_a_body_over_the_cap_is_refused_before_it_is_read(client, backend):
    big = json.dumps([event(i) for i in range(4000)]).encode()  # ~1.2 MB
    r = client.post("/api/technicians/1/events", content=big,
                    headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 413 and r.headers["content-type"] == "application/problem+json"
    assert "over 1,000,000 bytes" in r.json()["detail"]

    def chunks():  # no Content-Length: counted as it streams
        for k in range(0, len(big), 64 * 1024):
            yield big[k:k + 64 * 1024]

    r = client.post("/api/technicians/1/events", content=chunks(),
                    headers={"content-type": "application/json"})  # fmt: skip
    assert r.status_code == 413
    assert client.get("/healthz").status_code == 200  # the server carries on


def test_pages_allow_no_inline_script_and_every_response_says_nosniff(client, backend):
    page = client.get("/track/abcdefghijkl")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'self'" in csp and page.headers["x-frame-options"] == "SAMEORIGIN"
    assert "<script>" not in page.text and '<script src="/assets/track.js"' in page.text
    assert client.get("/assets/track.js").headers["content-type"].startswith("text/javascript")
    api = client.get("/healthz")
    assert api.headers["x-content-type-options"] == "nosniff"
    assert api.headers["referrer-policy"] == "no-referrer"
    assert "content-security-policy" not in api.headers  # JSON, not a page


def test_cors_is_closed_unless_an_origin_is_configured(client, engine, clock, travel, backend):
    ask = {"Origin": "https://crm.example.org", "Access-Control-Request-Method": "POST"}
    closed = client.options("/api/tickets", headers=ask)
    assert "access-control-allow-origin" not in closed.headers
    settings = Settings.from_env({"DISPATCH_CORS_ORIGINS": "https://crm.example.org"})
    opened = TestClient(create_app(settings, engine=engine, clock=clock, travel=travel))
    r = opened.options("/api/tickets", headers=ask)
    assert r.headers["access-control-allow-origin"] == "https://crm.example.org"


def test_the_tracking_links_endpoints_answer_429_with_retry_after_past_the_limit(
    engine, fleet, clock, travel, backend
):
    """300 wrong tokens went through at 900 per second; past the configured count a
    caller waits, told how long, and the other callers do not."""
    settings = Settings.from_env({"DISPATCH_PUBLIC_RATE": "5/minute",
                                  "DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"})  # fmt: skip
    app = create_app(settings, engine=engine, clock=clock, travel=travel)
    guesser = TestClient(app, client=("203.0.113.7", 50000))
    said = [guesser.get(f"/api/track/guess-{i:04d}").status_code for i in range(5)]
    assert said == [404] * 5
    r = guesser.get("/api/track/guess-0005")
    assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 60
    assert r.json()["title"] == "Too many requests" and "try again in" in r.json()["detail"]
    assert guesser.post("/api/track/guess-0006/confirm", json={"solved": True}).status_code == 429
    other = TestClient(app, client=("198.51.100.2", 50000))
    assert other.get("/api/track/guess-0007").status_code == 404
    assert guesser.get("/healthz").status_code == 200  # only the public endpoints count
