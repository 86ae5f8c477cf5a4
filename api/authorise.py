"""Who is calling, and may they: one dependency on every API route (``api.app``).

The caller is an access token (``Authorization: Bearer``, from ``/api/auth/token``) or an
integration's API key (``X-API-Key``); the route's line in ``api.access.MATRIX`` says
whether their role may. Checking a token is one HMAC and no database read (the issue's
budget is 2 ms per quote); a key is one indexed read. Public routes (the tracking link,
health, logging in) pass without either.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from api.access import is_public, rule_for
from api.tokens import Caller, read
from dispatch.clock import Clock
from dispatch.config import Settings
from dispatch.domain.audit import SYSTEM
from dispatch.domain.errors import Forbidden, Unauthenticated
from dispatch.domain.users import Role
from dispatch.services.api_keys import key_for
from dispatch.store.uow import SqlUnitOfWork

# DISPATCH_AUTH=off (never in production mode): the benchmark's "without" side
UNCHECKED = Caller("unchecked", Role.ADMIN, None)


def template_of(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", request.url.path))


def identify(request: Request) -> Caller:
    settings = cast(Settings, request.app.state.settings)
    if settings.auth_disabled:
        return UNCHECKED
    key = request.headers.get("x-api-key")
    if key:
        found = key_for(SqlUnitOfWork(request.app.state.sessions), key[:200])
        return Caller(f"key:{found.name}", found.role, None)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("log in first: send Authorization: Bearer <access token> "
                              "(POST /api/auth/token) or X-API-Key: <key>")  # fmt: skip
    return read(token.strip(), settings.secret_key, cast(Clock, request.app.state.clock).now())


def authorise(request: Request) -> Caller | None:
    """The caller of a protected route, checked against the matrix; None on public ones."""
    template = template_of(request)
    if is_public(template):
        request.state.actor = "customer" if template.startswith("/api/track/") else SYSTEM
        return None
    caller = identify(request)
    rule = rule_for(request.method, template)
    if rule is None:
        raise Forbidden(f"{request.method} {template} is open to no role")
    own = str(caller.technician_id) == request.path_params.get("technician_id")
    if not rule.allows(caller.role, own):
        if caller.role == Role.TECHNICIAN and caller.role in rule.roles:
            raise Forbidden(f"this is another technician's; you are technician "
                            f"{caller.technician_id}")  # fmt: skip
        allowed = ", ".join(sorted(r.value for r in rule.roles))
        role = caller.role.value
        article = "an" if role[0] in "aeiou" else "a"
        raise Forbidden(f"{article} {role} may not {request.method} {template} "
                        f"(allowed: {allowed})")  # fmt: skip
    request.state.actor = f"{caller.role.value}:{caller.username}"
    return caller


def caller_of(caller: Annotated[Caller | None, Depends(authorise)]) -> Caller:
    if caller is None:  # a public route asked who is calling: a programming error
        raise Unauthenticated("log in first")
    return caller


CallerDep = Annotated[Caller, Depends(caller_of)]
