"""Logins: adding, listing, disabling users, resetting passwords, and checking a login.

Passwords are hashed with argon2 (``argon2-cffi``, its default parameters: memory-hard,
tuned by the library's maintainers); a login that fails says the same whether the user
is unknown, disabled or the password wrong, and still takes one hash's time.
"""

from __future__ import annotations

from dataclasses import replace

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

from dispatch.clock import Clock
from dispatch.domain.errors import Conflict, NotFound, Unauthenticated
from dispatch.domain.users import Role, User, check_new_user, check_password
from dispatch.services.audit_log import note
from dispatch.store.ports import DuplicateKey, UnitOfWork

HASHER = PasswordHasher()
_DUMMY = HASHER.hash("not anyone's password")  # a failed login costs one hash too


class LoginFailed(Unauthenticated):
    pass


def add_user(uow: UnitOfWork, clock: Clock, username: str, password: str, role: Role,
             technician_id: int | None = None) -> User:  # fmt: skip
    check_new_user(username, role, technician_id)
    check_password(password)
    user = User(0, username, role, technician_id, False, clock.now(), HASHER.hash(password))
    with uow:
        if technician_id is not None and uow.technicians.get(technician_id) is None:
            raise NotFound(f"technician {technician_id} does not exist")
        try:
            user_id = uow.users.add(user)
        except DuplicateKey:
            raise Conflict(f"username {username!r} is taken") from None
        note(uow, user.created_at, "user added", f"user:{username}", role.value)
        uow.commit()
    return replace(user, id=user_id, password_hash="")


def list_users(uow: UnitOfWork) -> list[User]:
    with uow:
        return [replace(u, password_hash="") for u in uow.users.all()]


def set_disabled(uow: UnitOfWork, clock: Clock, username: str, disabled: bool) -> None:
    with uow:
        if not uow.users.set_disabled(username, disabled):
            raise NotFound(f"no user {username!r}")
        note(uow, clock.now(), "user disabled" if disabled else "user enabled",
             f"user:{username}")  # fmt: skip
        uow.commit()


def reset_password(uow: UnitOfWork, clock: Clock, username: str, password: str) -> None:
    check_password(password)
    with uow:
        if not uow.users.set_password(username, HASHER.hash(password)):
            raise NotFound(f"no user {username!r}")
        note(uow, clock.now(), "password reset", f"user:{username}")
        uow.commit()


def authenticate(uow: UnitOfWork, username: str, password: str) -> User:
    with uow:
        user = uow.users.by_name(username)
    try:
        HASHER.verify(user.password_hash if user else _DUMMY, password)
    except (VerifyMismatchError, InvalidHashError):
        user = None
    if user is None or user.disabled:
        raise LoginFailed("wrong username or password, or the login is disabled")
    return replace(user, password_hash="")
