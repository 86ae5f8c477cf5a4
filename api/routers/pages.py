"""Web pages: the customer's tracking page (data comes from /api/track)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

WEB = Path(__file__).resolve().parent.parent / "web"
router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/track/{tracking_token}")
def tracking_page(tracking_token: str) -> FileResponse:
    # The page is the same for every token; its script asks the API, which decides
    # what (if anything) this token may see.
    return FileResponse(WEB / "track.html", media_type="text/html")
