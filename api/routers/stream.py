"""``GET /api/stream``: server-sent events for the console (``api.live_stream``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.live_stream import watcher

router = APIRouter(prefix="/api/stream", tags=["dispatch"])


@router.get("", response_class=StreamingResponse,
            summary="Server-sent events: 'change' whenever the day the console shows moved",
            responses={200: {"content": {"text/event-stream": {}}}})  # fmt: skip
def stream(request: Request) -> StreamingResponse:
    unbuffered = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(watcher(request.app).events(), media_type="text/event-stream",
                             headers=unbuffered)
