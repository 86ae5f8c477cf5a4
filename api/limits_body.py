"""Request bodies are capped before they are read in full: a 40 MB array of events
used to be parsed whole (+211 MB of server memory) before the 1,000-item limit refused
it. A declared ``Content-Length`` over the cap is refused at once; a body sent without
one (chunked) is counted as it streams and refused the moment it passes the cap."""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import PROBLEM_JSON

MAX_BODY_BYTES = 1_000_000  # 1,000 events of ~300 bytes fit, with room to spare


class TooLarge(HTTPException):
    """Raised from inside the body's reading: FastAPI passes an HTTPException on (any
    other error there becomes a 400), and the problem handler words it (413)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, _detail(max_bytes))


def _detail(max_bytes: int) -> str:
    return (f"the request body is over {max_bytes:,} bytes; send less at once (at most "
            "1,000 events per request)")  # fmt: skip


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise TooLarge(self.max_bytes)
            return message

        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body: dict[str, Any] = {
            "type": "about:blank", "title": "Request body too large", "status": 413,
            "detail": _detail(self.max_bytes),
            "instance": scope.get("path", ""),
        }  # fmt: skip
        raw = json.dumps(body).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", PROBLEM_JSON.encode()),
                                (b"content-length", str(len(raw)).encode()),
                                (b"connection", b"close")]})  # fmt: skip
        await send({"type": "http.response.body", "body": raw})
