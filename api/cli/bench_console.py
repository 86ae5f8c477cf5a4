"""What the console feels like in a real browser (issue 17): first paint, the intake's
round trip (form sent to candidates drawn), and drawing the map and the board, on a
synthetic day of N technicians served by ``dispatch serve`` on loopback, in Debian's
headless Chromium driven by Playwright. Every figure is measured inside the page
(``performance.now()``), not guessed from outside.
"""

from __future__ import annotations

import json
import shutil
import sys

import typer

from api.cli.bench_http import BENCH_PASSWORD, _summary, live_server


def console(
    technicians: int = typer.Option(200, min=1),
    visits: int = typer.Option(10, min=0),
    tickets: int = typer.Option(40, min=5, help="intakes to time"),
    pause: float = typer.Option(1.0, min=0, help="seconds between intakes (an agent types "
                                "for half a minute; one second is a fast one)"),
    seed: int = typer.Option(1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Console first paint, intake round trip p50/p95, map and board draw times."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise typer.BadParameter("needs Debian's chromium (apt-get install chromium)")
    with live_server(technicians, visits, seed) as (base, _env, _login), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page.goto(f"{base}/console")
        paint = page.evaluate("() => performance.getEntriesByName('first-contentful-paint')"
                              "[0]?.startTime ?? performance.now()")  # fmt: skip
        page.locator("#username").fill("bench")
        page.locator("#password").fill(BENCH_PASSWORD)
        page.locator("#login-go").click()
        page.locator("#map[data-draw-ms]").wait_for(state="attached", timeout=60_000)
        map_ms = [float(page.locator("#map").get_attribute("data-draw-ms") or 0)]
        markers = int(page.locator("#map").get_attribute("data-markers") or 0)
        trips: list[float] = []
        rng_lat = [51.06 + 0.002 * (k % 20) for k in range(tickets)]
        with typer.progressbar(range(tickets), label="intakes", file=sys.stderr) as bar:
            for k in bar:
                page.locator("#name").fill(f"Bench {k}")
                page.locator("#lat").fill(f"{rng_lat[k]:.4f}")
                page.locator("#offers").evaluate("e => delete e.dataset.roundTripMs")
                page.locator("#quote").click()
                page.locator("#offers[data-round-trip-ms]").wait_for(state="attached")
                took = page.locator("#offers").get_attribute("data-round-trip-ms")
                trips.append(float(took or 0))
                page.wait_for_timeout(pause * 1000)
        for _ in range(3):  # redraws, as the 15-second refresh does
            map_ms.append(page.evaluate("async () => { const t0 = performance.now(); "
                                        "await Board.load(); return performance.now() - t0; }"))
        browser.close()
    result = {
        "technicians": technicians, "visits": technicians * visits, "pause_s": pause,
        "first_contentful_paint_ms": round(paint, 1),
        "intake_round_trip": _summary(trips),
        "map_first_draw_ms": map_ms[0], "map_markers": markers,
        "board_and_map_redraw_ms": _summary(map_ms[1:]),
    }  # fmt: skip
    typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))
