"""API keys for integrations: made by an admin, shown once, checked on every request
that carries one, revoked at once (``domain.api_keys``)."""

from __future__ import annotations

from dataclasses import replace

from dispatch.clock import Clock
from dispatch.domain.api_keys import ApiKey, check_new_key, digest, new_secret
from dispatch.domain.errors import NotFound, Unauthenticated
from dispatch.domain.users import Role
from dispatch.services.audit_log import note
from dispatch.store.ports import UnitOfWork


def create_key(uow: UnitOfWork, clock: Clock, name: str, role: Role) -> tuple[ApiKey, str]:
    """The key, and its secret: the only time anyone sees it."""
    check_new_key(name, role)
    secret = new_secret()
    now = clock.now()
    key = ApiKey(0, name, role, secret[:10], now, uow.actor)
    with uow:
        key_id = uow.keys.add(key, digest(secret))
        note(uow, now, "key created", f"key:{key_id}", f"{name} ({role.value})")
        uow.commit()
    return replace(key, id=key_id), secret


def list_keys(uow: UnitOfWork) -> list[ApiKey]:
    with uow:
        return uow.keys.all()


def revoke_key(uow: UnitOfWork, clock: Clock, key_id: int) -> None:
    now = clock.now()
    with uow:
        if not uow.keys.revoke(key_id, now):
            raise NotFound(f"no live API key {key_id}")
        note(uow, now, "key revoked", f"key:{key_id}")
        uow.commit()


def key_for(uow: UnitOfWork, secret: str) -> ApiKey:
    """The live key a request's secret names; Unauthenticated otherwise."""
    with uow:
        key = uow.keys.by_digest(digest(secret))
    if key is None or key.revoked_at is not None:
        raise Unauthenticated("this API key is unknown or revoked; ask an admin for one")
    return key
