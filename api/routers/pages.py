"""Web pages: the customer's tracking page (data comes from /api/track), and its script
and style sheet as files of their own: the pages' content security policy allows no
inline script (``api.security_headers``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import FileResponse

WEB = Path(__file__).resolve().parent.parent / "web"
router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/track/{tracking_token}")
def tracking_page(tracking_token: str) -> FileResponse:
    # The page is the same for every token; its script asks the API, which decides
    # what (if anything) this token may see.
    return FileResponse(WEB / "track.html", media_type="text/html")


ASSETS = {"track.js": "text/javascript", "track.css": "text/css"}


@router.get("/assets/{name}")
def asset(name: Literal["track.js", "track.css"]) -> FileResponse:
    return FileResponse(WEB / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=300"})  # fmt: skip
