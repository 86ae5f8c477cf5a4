"""The OpenAPI document, completed from what the app really does: who may call each
operation (``api.access``), how to log in (the "Authorize" button: a password login or
an API key), and every problem status an operation can answer, with an example.

Written once here rather than in every route's ``responses=``: the body cap, the login
check, malformed JSON and validation apply to all routes alike, and a route that forgot
to declare one would break the contract schemathesis checks in CI.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.access import is_public, rule_for

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "integer"}, "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}},
    },
}  # fmt: skip
EXAMPLES: dict[int, tuple[str, str, str]] = {
    400: ("Malformed JSON", "the request body is not valid JSON (Expecting value)",
          "the body is not valid JSON"),
    401: ("Unauthorized", "log in first: send Authorization: Bearer <access token>",
          "no login, or a wrong or expired token or API key"),
    403: ("Forbidden", "an agent may not POST /api/disruptions (allowed: admin, dispatcher)",
          "logged in, but this role (or this technician) may not"),
    404: ("Not found", "ticket 42 does not exist", "no such thing"),
    409: ("Conflict", "the route changed since it was read; read it again and retry",
          "clashes with what is stored"),
    413: ("Payload too large", "the body is larger than 1000000 bytes",
          "the body is over DISPATCH_MAX_BODY_BYTES"),
    422: ("Invalid request", "duration_min: Input should be a valid integer",
          "a field is missing, of the wrong type, or makes no sense for dispatch"),
    429: ("Too many requests", "too many requests from 203.0.113.7; try again in 12 s",
          "rate limited; Retry-After says when to retry"),
}  # fmt: skip
SECURITY_SCHEMES = {
    "OAuth2Password": {"type": "oauth2", "flows": {"password": {
        "tokenUrl": "/api/auth/token", "refreshUrl": "/api/auth/refresh", "scopes": {}}}},
    "BearerToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "an access token from /api/auth/token, pasted"},
    "ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
}  # fmt: skip


def _problem(status: int, description: str | None = None) -> dict[str, Any]:
    title, detail, what = EXAMPLES[status]
    example = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return {"description": description or what, "content": {"application/problem+json": {
        "schema": {"$ref": "#/components/schemas/Problem"}, "example": example}}}  # fmt: skip


def _complete(path: str, method: str, op: dict[str, Any]) -> None:
    responses: dict[str, Any] = op.setdefault("responses", {})

    def declare(status: int) -> None:
        known = responses.get(str(status), {})
        if "content" not in known or status == 422:  # FastAPI's 422 is not our body
            responses[str(status)] = _problem(status, known.get("description"))

    rule = rule_for(method.upper(), path)
    if is_public(path):
        op["security"] = []
    else:
        op["security"] = [{"OAuth2Password": []}, {"BearerToken": []}, {"ApiKey": []}]
        declare(401)
        declare(403)
        if rule is not None:
            roles = ", ".join(sorted(r.value for r in rule.roles))
            own = " (a technician: only their own)" if rule.own else ""
            op["description"] = (op.get("description", "") + f"\n\nRoles: {roles}{own}.").strip()
    if "requestBody" in op:
        for status in (400, 413, 422):
            declare(status)
    if op.get("parameters"):
        declare(422)
    if any(p.get("in") == "path" for p in op.get("parameters", [])):
        declare(404)
    for status in map(int, list(responses)):
        if status in EXAMPLES:
            declare(status)


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, description=app.description,
                          routes=app.routes)  # fmt: skip
        components = doc.setdefault("components", {})
        components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        components["securitySchemes"] = SECURITY_SCHEMES
        for path, item in doc.get("paths", {}).items():
            for method, op in item.items():
                _complete(path, method, op)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
