"""Security headers on every response, and a content security policy on the HTML pages:
their script and style come from this origin only (no inline script), they talk to this
origin only, and no other site may frame them. A response that sets its own policy
keeps it."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; "
       "form-action 'self'")  # fmt: skip
EVERYWHERE = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # a tracking link's token never leaks onward
]
PAGES = [(b"content-security-policy", CSP.encode()), (b"x-frame-options", b"SAMEORIGIN")]
# FastAPI's own /docs page loads Swagger UI from a CDN with an inline script: it keeps
# its own rules (it holds no customer's data).
OWN_RULES = ("/docs", "/redoc")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = str(scope.get("path", "")).startswith(OWN_RULES)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                html = any(k == b"content-type" and v.startswith(b"text/html")
                           for k, v in headers)  # fmt: skip
                own = docs or any(k == b"content-security-policy" for k, _ in headers)
                headers += EVERYWHERE + (PAGES if html and not own else [])
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
