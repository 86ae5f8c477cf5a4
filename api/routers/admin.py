"""The admin's endpoints: logins, API keys for integrations, and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from api.admin_schemas import AuditOut, KeyIn, KeyOut, UserIn, UserOut
from api.authorise import CallerDep
from api.deps import ClockDep, RowId, UowDep
from api.schemas import MAX_ID
from dispatch.domain.api_keys import ApiKey
from dispatch.domain.errors import Conflict
from dispatch.domain.users import User
from dispatch.services.api_keys import create_key, list_keys, revoke_key
from dispatch.services.audit_log import MAX_PAGE, read_log
from dispatch.services.users import add_user, list_users, set_disabled

router = APIRouter(prefix="/api", tags=["admin"])
Username = Annotated[str, Path(min_length=2, max_length=63)]


def _user(u: User) -> UserOut:
    return UserOut(username=u.username, role=u.role, technician_id=u.technician_id,
                   disabled=u.disabled, created_at=u.created_at)  # fmt: skip


def _key(k: ApiKey, secret: str | None = None) -> KeyOut:
    return KeyOut(id=k.id, name=k.name, role=k.role, hint=k.hint, created_at=k.created_at,
                  created_by=k.created_by, revoked_at=k.revoked_at, key=secret)  # fmt: skip


@router.get("/users", response_model=list[UserOut], summary="Everyone who may log in")
def get_users(uow: UowDep) -> list[UserOut]:
    return [_user(u) for u in list_users(uow)]


@router.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED,
             responses={404: {"description": "no such technician"},
                        409: {"description": "the username is taken"}},
             summary="Add a login")  # fmt: skip
def post_user(body: UserIn, uow: UowDep, clock: ClockDep) -> UserOut:
    return _user(add_user(uow, clock, body.username, body.password, body.role,
                          body.technician_id))  # fmt: skip


def _switch(username: str, disabled: bool, caller: CallerDep, uow: UowDep,
            clock: ClockDep) -> Response:  # fmt: skip
    if disabled and caller.username == username:
        raise Conflict("you cannot disable your own login; ask another admin")
    set_disabled(uow, clock, username, disabled)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/users/{username}/disable", status_code=204, response_class=Response,
             responses={409: {"description": "your own login"}},
             summary="Stop a login at once (its refresh token buys no more)")  # fmt: skip
def disable_user(username: Username, caller: CallerDep, uow: UowDep, clock: ClockDep) -> Response:
    return _switch(username, True, caller, uow, clock)


@router.post("/users/{username}/enable", status_code=204, response_class=Response,
             summary="Let a disabled login in again")  # fmt: skip
def enable_user(username: Username, caller: CallerDep, uow: UowDep, clock: ClockDep) -> Response:
    return _switch(username, False, caller, uow, clock)


@router.get("/keys", response_model=list[KeyOut], summary="API keys (never the keys themselves)")
def get_keys(uow: UowDep) -> list[KeyOut]:
    return [_key(k) for k in list_keys(uow)]


@router.post("/keys", response_model=KeyOut, status_code=status.HTTP_201_CREATED,
             summary="Make an API key for an integration; the answer is the only copy")  # fmt: skip
def post_key(body: KeyIn, uow: UowDep, clock: ClockDep) -> KeyOut:
    key, secret = create_key(uow, clock, body.name, body.role)
    return _key(key, secret)


@router.delete("/keys/{key_id}", status_code=204, response_class=Response,
               summary="Revoke an API key at once")  # fmt: skip
def delete_key(key_id: RowId, uow: UowDep, clock: ClockDep) -> Response:
    revoke_key(uow, clock, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/audit", response_model=list[AuditOut],
            summary="Who booked, moved, cancelled, declared a disruption or changed a "
                    "login, newest first")  # fmt: skip
def get_audit(uow: UowDep, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
              before_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
              subject: Annotated[str | None, Query(max_length=80,
                                                   examples=["ticket:12"])] = None,
              ) -> list[AuditOut]:  # fmt: skip
    entries = read_log(uow, limit, before_id, subject)
    return [AuditOut(id=e.id, at=e.at, actor=e.actor, action=e.action, subject=e.subject,
                     detail=e.detail) for e in entries]  # fmt: skip
