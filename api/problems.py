"""Every error leaves as RFC 9457 problem details with a message a person can act on."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Route

from dispatch.domain.errors import (
    Conflict,
    DispatchError,
    Forbidden,
    Gone,
    InvalidInput,
    NotFound,
    Unauthenticated,
)
from dispatch.services.booking import WouldBreakPromises
from solver.traveltime.osrm import OsrmError
from solver.traveltime.protocol import OutsideServiceArea

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"

# The HTTP status and title of each kind of domain error; the most specific kind wins.
STATUSES: tuple[tuple[type[DispatchError], int, str], ...] = (
    (InvalidInput, 422, "Invalid input"),
    (NotFound, 404, "Not found"),
    (Conflict, 409, "Conflict"),
    (Unauthenticated, 401, "Unauthorized"),
    (Forbidden, 403, "Forbidden"),
    (Gone, 410, "Gone"),
    (DispatchError, 400, "Bad request"),
)
# What to send to act on an error, in the terms of the HTTP contract.
HINTS: dict[type[DispatchError], str] = {
    WouldBreakPromises: 'send "allow_breaking_promises": true to book it anyway',
}


def status_of(exc: DispatchError) -> tuple[int, str]:
    return next((status, title) for kind, status, title in STATUSES if isinstance(exc, kind))


def problem(status: int, title: str, detail: str, request: Request, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _where(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p != "body"]
    return ".".join(parts) or "body"


def _describe(err: dict[str, Any]) -> str:
    where = _where(tuple(err.get("loc", ())))
    if err.get("type") == "json_invalid":
        reason = err.get("ctx", {}).get("error", "invalid JSON")
        return f"the request body is not valid JSON ({reason})"
    if err.get("type") == "missing":
        return f"{where} is required"
    msg = str(err.get("msg", "is invalid"))
    msg = msg.removeprefix("Value error, ")
    return f"{where}: {msg}"


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        raw = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in raw):
            bad = next(e for e in raw if e.get("type") == "json_invalid")
            return problem(400, "Malformed JSON", _describe(bad), request)
        errors = [{"field": _where(tuple(e.get("loc", ()))), "message": _describe(e)} for e in raw]
        detail = "; ".join(e["message"] for e in errors) or "the request is invalid"
        return problem(422, "Invalid request", detail, request, errors=errors)

    @app.exception_handler(DispatchError)
    async def _domain(request: Request, exc: DispatchError) -> JSONResponse:
        status, title = status_of(exc)
        hint = HINTS.get(type(exc))
        answer = problem(status, title, f"{exc}; {hint}" if hint else str(exc), request)
        if status == 401:  # RFC 6750: how to authenticate
            answer.headers["WWW-Authenticate"] = "Bearer"
        return answer

    @app.exception_handler(OutsideServiceArea)
    async def _outside(request: Request, exc: OutsideServiceArea) -> JSONResponse:
        return problem(422, "Outside the service area", str(exc), request)

    @app.exception_handler(OsrmError)
    async def _osrm(request: Request, exc: OsrmError) -> JSONResponse:
        return problem(
            503,
            "Travel times unavailable",
            f"{exc}; nothing was changed, please retry in a moment",
            request,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"nothing is served at {request.url.path}"
        answer = problem(exc.status_code, _title(exc.status_code), detail, request)
        answer.headers.update(exc.headers or {})  # Retry-After on a 429, ...
        if exc.status_code == 405:  # every method on this path, not one route's
            answer.headers["Allow"] = ", ".join(_methods_at(request))
        return answer

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(
            500,
            "Internal error",
            "something went wrong on our side; nothing was changed, please retry",
            request,
        )


def _methods_at(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, Route) and route.matches(request.scope)[0] != Match.NONE:
            methods |= route.methods or set()
    return sorted(methods)


def _title(status: int) -> str:
    return {
        400: "Bad request",
        404: "Not found",
        405: "Method not allowed",
        409: "Conflict",
        413: "Payload too large",
        415: "Unsupported media type",
        429: "Too many requests",
    }.get(status, "Request failed")
