"""Logging in: the OAuth2 password flow (the OpenAPI page's "Authorize" button speaks
it), refreshing, and who the token says you are."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from api.authorise import CallerDep
from api.deps import ClockDep, SettingsDep, UowDep
from api.rate_limits import LIMITED, login_rate_limit
from api.tokens import issue, read
from dispatch.domain.errors import Unauthenticated
from dispatch.services.users import authenticate

router = APIRouter(prefix="/api/auth", tags=["login"])
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"description": "wrong or expired login or token"}}


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="seconds the access token lives")


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=10, max_length=2000)


class MeOut(BaseModel):
    username: str
    role: str
    technician_id: int | None


@router.post("/token", response_model=TokenOut, responses={**UNAUTHORIZED, **LIMITED},
             summary="Log in with username and password (OAuth2 password flow)")  # fmt: skip
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request,
          uow: UowDep, settings: SettingsDep, clock: ClockDep) -> TokenOut:  # fmt: skip
    login_rate_limit(request, form.username)
    user = authenticate(uow, form.username, form.password)
    now = clock.now()
    return TokenOut(access_token=issue(user, settings.secret_key, now),
                    refresh_token=issue(user, settings.secret_key, now, "refresh"),
                    expires_in=15 * 60)  # fmt: skip


@router.post("/refresh", response_model=TokenOut, responses=UNAUTHORIZED,
             summary="New tokens for a refresh token, while the login is enabled")  # fmt: skip
def refresh(body: RefreshIn, uow: UowDep, settings: SettingsDep, clock: ClockDep) -> TokenOut:
    now = clock.now()
    caller = read(body.refresh_token, settings.secret_key, now, "refresh")
    with uow:
        user = uow.users.by_name(caller.username)
    if user is None or user.disabled:
        raise Unauthenticated("this login is disabled or gone; ask an admin")
    return TokenOut(access_token=issue(user, settings.secret_key, now),
                    refresh_token=issue(user, settings.secret_key, now, "refresh"),
                    expires_in=15 * 60)  # fmt: skip


@router.get("/me", response_model=MeOut, responses=UNAUTHORIZED,
            summary="Who the access token says you are")  # fmt: skip
def me(caller: CallerDep) -> MeOut:
    return MeOut(username=caller.username, role=caller.role.value,
                 technician_id=caller.technician_id)  # fmt: skip
