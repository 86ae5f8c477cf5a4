"""Web pages: the customer's tracking page (data comes from /api/track) and the
technician's phone page (data from the API after logging in), and their scripts and
style sheets as files of their own: the pages' content security policy allows no
inline script (``api.security_headers``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, HTMLResponse

from api.deps import ClockDep, SettingsDep, UowDep
from api.presenters import Presenter
from api.rate_limits import public_rate_limit
from api.track_page import noscript
from dispatch.domain.errors import DispatchError
from dispatch.services.tracking import track
from dispatch.services.tracking_links import check_link

WEB = Path(__file__).resolve().parent.parent / "web"
router = APIRouter(tags=["pages"], include_in_schema=False)


SHELL = (WEB / "track.html").read_text(encoding="utf-8")


@router.get("/track/{tracking_token}", response_class=HTMLResponse,
            dependencies=[Depends(public_rate_limit)])  # fmt: skip
def tracking_page(tracking_token: str, uow: UowDep, clock: ClockDep,
                  settings: SettingsDep) -> HTMLResponse:  # fmt: skip
    # The shell its script fills from the API, with the visit's first content inside
    # <noscript> for a browser that runs no script (``api.track_page``).
    view = None
    try:
        if 8 <= len(tracking_token) <= 64:
            check_link(uow, tracking_token, clock.now(), settings.tracking_days)
            view = Presenter(settings.timezone).tracking(track(uow, tracking_token, clock.now()))
    except DispatchError:  # unknown or expired: the fragment says so
        view = None
    return HTMLResponse(SHELL.replace("<!--noscript-->", noscript(view), 1))


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
          "address.js": "text/javascript",
          # vendored, pinned, licence beside them (README): no CDN at run time
          "vendor/leaflet-1.9.4.js": "text/javascript",
          "vendor/leaflet-1.9.4.css": "text/css"}  # fmt: skip
Asset = Literal["track.js", "track.css", "tech.js", "tech.css", "console.js", "console.css",
                "session.js", "board.js", "map.js", "board_moves.js", "areas.js", "later.js",
                "address.js",
                "vendor/leaflet-1.9.4.js",
                "vendor/leaflet-1.9.4.css"]  # fmt: skip


@router.get("/assets/{name:path}")
def asset(name: Asset) -> FileResponse:
    return FileResponse(WEB / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=300"})  # fmt: skip
