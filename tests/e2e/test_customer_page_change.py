"""The customer's page with its script (issue 17): the technician roughly on a map only
when the visit is next, and moving or cancelling the visit outside force majeure; the
JSON answers behind them, on both databases."""

from datetime import date, timedelta

import pytest
from browser import CHROMIUM, playwright
from fastapi.testclient import TestClient
from live_server import serving
from scenarios import jan_alone_with_a_customer

from api.app import create_app
from dispatch.config import Settings
from dispatch.domain.model import GeoPoint

THURSDAY = date(2026, 11, 26)  # the fixtures' clock stands on Tuesday the 24th
SETTINGS = {"DISPATCH_REOPTIMISE_AFTER_BOOKING": "0"}


@pytest.fixture
def app(engine, fleet, clock):
    """The app on the demo's own road network (Puurs), so the little map has roads."""
    return create_app(Settings.from_env(SETTINGS), engine=engine, clock=clock)


def jan_reports(fleet, jan, clock, north_km: float) -> None:
    with fleet:
        where = GeoPoint(jan.home.lat + north_km / 111, jan.home.lon)
        fleet.technicians.set_position(jan.id, where, clock.now())
        fleet.commit()


def test_the_map_shows_only_while_the_visit_is_next(app, fleet, clock):
    jan, ticket = jan_alone_with_a_customer(fleet, clock, app.state.travel)
    http = TestClient(app)
    url = f"/track/{ticket.tracking_token}/map.svg"
    assert http.get(url).status_code == 404  # his phone never reported
    assert http.get(f"/api/track/{ticket.tracking_token}").json()["technician_near"] is None
    jan_reports(fleet, jan, clock, -3)
    svg = http.get(url)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["cache-control"] == "no-store"
    assert "OpenStreetMap" in svg.text and svg.text.count("L") > 100  # roads drawn
    view = http.get(f"/api/track/{ticket.tracking_token}").json()
    assert view["technician_km"] in (3.5, 4.0, 4.5)  # 3 km south of home, home is 1.1 km north
    near = view["technician_near"]
    assert near == {"lat": round(near["lat"], 2), "lon": round(near["lon"], 2)}
    clock.advance(timedelta(minutes=31))  # the phone went quiet
    assert http.get(url).status_code == 404


def test_moving_to_another_day_through_the_api(app, fleet, clock, backend):
    _, ticket = jan_alone_with_a_customer(fleet, clock, app.state.travel)
    http, base = TestClient(app), f"/api/track/{ticket.tracking_token}"
    none = http.post(f"{base}/change-day", json={"date": "2026-11-28"})  # a Saturday
    assert none.status_code == 409 and none.json()["code"] == "nothing_free"
    assert http.post(f"{base}/change-day", json={"date": "2026-11-24"}).status_code == 422
    assert http.post(f"{base}/change-day", json={"day": "2026-11-26"}).status_code == 422
    moved = http.post(f"{base}/change-day", json={"date": THURSDAY.isoformat()})
    assert moved.status_code == 200 and moved.json()["window"]["start"].startswith("2026-11-26")
    assert http.get(base).json()["window"] == moved.json()["window"]



def test_forms_no_page_of_ours_sends_are_a_clear_422(app, fleet, clock, backend):
    _, ticket = jan_alone_with_a_customer(fleet, clock, app.state.travel)
    http, base = TestClient(app, follow_redirects=False), f"/track/{ticket.tracking_token}"
    for path, form in (("cancel", {}), ("confirm", {"solved": "maybe"}),
                       ("confirm", {"solved": "yes", "nps": "11"}), ("reschedule", {"slot": "-1"}),
                       ("change", {"date": "soon"}), ("emails", {"want": "all"})):  # fmt: skip
        r = http.post(f"{base}/{path}", data=form)
        assert r.status_code == 422, (path, form, r.status_code)
        assert r.headers["content-type"] == "application/problem+json"
    assert http.post(f"{base}/change", data={"date": "2026-11-24"}).headers["location"] == (
        f"{base}?note=badDate")  # today: said on the page, not an error
    assert http.post("/track/not-a-real-token/cancel", data={"sure": "yes"}).status_code == 404
    assert http.get(base).status_code == 200


def test_the_page_shows_jan_nearby_and_moves_then_cancels_the_visit(app, fleet, clock, backend):
    if backend != "sqlite" or CHROMIUM is None:
        pytest.skip("one database is enough for a browser test; needs Chromium")
    jan, ticket = jan_alone_with_a_customer(fleet, clock, app.state.travel)
    jan_reports(fleet, jan, clock, -2)
    with serving(app) as url, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(locale="nl-BE", viewport={"width": 420, "height": 900},
                                bypass_csp=True)  # wait_for_function evaluates a string
        page.goto(f"{url}/track/{ticket.tracking_token}")
        page.get_by_text("Jan is nu ongeveer").wait_for()
        page.wait_for_function("(m => m.complete && m.naturalWidth > 0)"
                               "(document.getElementById('near-map'))")  # fmt: skip
        assert "Kaartje: ongeveer waar Jan nu is" in page.locator("#near-map").get_attribute("alt")

        page.get_by_label("Verplaats naar een andere dag:").fill(THURSDAY.isoformat())
        page.get_by_role("button", name="Verplaats", exact=True).click()
        page.get_by_text("Uw afspraak is verplaatst.").wait_for()
        page.get_by_text("donderdag 26 november").wait_for()
        assert page.locator("#near").is_hidden()  # not today any more: no van to show

        page.get_by_role("button", name="Annuleer dit bezoek").click()
        page.get_by_role("button", name="Ja, ik wil annuleren").click()
        page.get_by_text("Uw bezoek is geannuleerd.").wait_for()
        page.locator("#status").get_by_text("Geannuleerd").wait_for()
        assert page.locator("#change-form").is_hidden()
        browser.close()
    with fleet:
        assert fleet.tickets.get(ticket.id).status.value == "cancelled"
