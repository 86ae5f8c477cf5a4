"""Web pages: the customer's tracking page (data comes from /api/track) and the
technician's phone page (data from the API after logging in), and their scripts and
style sheets as files of their own: the pages' content security policy allows no
inline script (``api.security_headers``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.deps import ClockDep, SettingsDep, UowDep
from api.offer_schemas import OfferOut
from api.presenters import Presenter
from api.rate_limits import public_rate_limit
from api.track_map import draw
from api.track_page import WORDS, Page, noscript
from dispatch.domain.errors import DispatchError, NotFound
from dispatch.services.reschedule import current_offer
from dispatch.services.tracking import track
from dispatch.services.tracking_links import check_link

WEB = Path(__file__).resolve().parent.parent / "web"
router = APIRouter(tags=["pages"], include_in_schema=False)


SHELL = (WEB / "track.html").read_text(encoding="utf-8")
TRACKED = [Depends(public_rate_limit)]


def _page(uow: UowDep, clock: ClockDep, settings: SettingsDep, token: str,
          note: str | None) -> Page:  # fmt: skip
    """The visit behind the link, or None for a link unknown or expired (which the page
    says, rather than an error a customer cannot read)."""
    present, now = Presenter(settings.timezone), clock.now()
    today = now.astimezone(settings.timezone).date()
    try:
        if not 8 <= len(token) <= 64:
            raise NotFound("no such link")
        check_link(uow, token, now, settings.tracking_days)
        view = present.tracking(track(uow, token, now))
    except DispatchError:
        return Page(token, None, None, today)
    try:
        offer = OfferOut.of(current_offer(uow, token), present)
    except NotFound:
        offer = None
    return Page(token, view, offer, today, note)


@router.get("/track/{tracking_token}", response_class=HTMLResponse, dependencies=TRACKED)
def tracking_page(tracking_token: str, uow: UowDep, clock: ClockDep, settings: SettingsDep,
                  note: Annotated[str | None, Query(max_length=20)] = None,
                  ) -> HTMLResponse:  # fmt: skip
    # The shell its script fills from the API, with the visit's content and its forms
    # inside <noscript> for a browser that runs no script (``api.track_page``).
    page = _page(uow, clock, settings, tracking_token, note)
    return HTMLResponse(SHELL.replace("<!--noscript-->", noscript(page), 1))


@router.get("/track/{tracking_token}/map.svg", dependencies=TRACKED)
def tracking_map(request: Request, tracking_token: str, uow: UowDep, clock: ClockDep,
                 settings: SettingsDep) -> Response:  # fmt: skip
    # Only while the technician comes next (``services.tracking_near``); 404 otherwise.
    now, seen = clock.now(), None
    try:
        if 8 <= len(tracking_token) <= 64:
            check_link(uow, tracking_token, now, settings.tracking_days)
            seen = track(uow, tracking_token, now)
    except DispatchError:
        seen = None
    if seen is None or seen.near is None:
        return Response(status_code=404, headers={"Cache-Control": "no-store"})
    t = WORDS[seen.locale if seen.locale in WORDS else "nl"]
    name = seen.technician_first_name or str(t["someone"])
    graphs = [r.graph for r in getattr(request.app.state.travel, "regions", None) or []
              if hasattr(r, "graph")]  # fmt: skip
    svg = draw(graphs, seen.near.home, seen.near.at, name, str(t["you"]),
               str(t["mapAlt"]).format(name=name))  # fmt: skip
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.get("/tech")
def technician_page() -> FileResponse:
    # The phone page's shell: it logs in and asks the API, which allows a technician
    # only their own route and events (``api.access``).
    return FileResponse(WEB / "tech.html", media_type="text/html")


@router.get("/console")
def console_page() -> FileResponse:
    # The helpdesk's and dispatchers' console: it logs in and asks the API.
    return FileResponse(WEB / "console.html", media_type="text/html")


ASSETS = {"track.js": "text/javascript", "track.css": "text/css",
          "tech.js": "text/javascript", "tech.css": "text/css",
          "console.js": "text/javascript", "console.css": "text/css",
          "session.js": "text/javascript", "board.js": "text/javascript",
          "map.js": "text/javascript", "board_moves.js": "text/javascript",
          "areas.js": "text/javascript", "later.js": "text/javascript",
          "address.js": "text/javascript", "track-words.json": "application/json",
          # vendored, pinned, licence beside them (README): no CDN at run time
          "vendor/leaflet-1.9.4.js": "text/javascript",
          "vendor/leaflet-1.9.4.css": "text/css"}  # fmt: skip
Asset = Literal["track.js", "track.css", "tech.js", "tech.css", "console.js", "console.css",
                "session.js", "board.js", "map.js", "board_moves.js", "areas.js", "later.js",
                "address.js", "track-words.json", "vendor/leaflet-1.9.4.js",
                "vendor/leaflet-1.9.4.css"]  # fmt: skip


@router.get("/assets/{name:path}")
def asset(name: Asset) -> FileResponse:
    return FileResponse(WEB / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=300"})  # fmt: skip
