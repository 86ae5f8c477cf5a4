"""The stores of who may do what: users, API keys and the audit log of their changes.

Apart from ``dispatch.store.ports`` (the day's work, messages and cases) because they
serve the security layer, not the dispatch use cases; the unit of work carries both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from dispatch.domain.api_keys import ApiKey
from dispatch.domain.audit import AuditEntry
from dispatch.domain.users import User


class UserStore(Protocol):
    def add(self, u: User) -> int: ...
    def by_name(self, username: str) -> User | None: ...
    def all(self) -> list[User]: ...
    def set_disabled(self, username: str, disabled: bool) -> bool: ...
    def set_password(self, username: str, password_hash: str) -> bool: ...


class ApiKeyStore(Protocol):
    def add(self, key: ApiKey, digest: str) -> int: ...
    def by_digest(self, digest: str) -> ApiKey | None: ...
    def all(self) -> list[ApiKey]: ...
    def revoke(self, key_id: int, at: datetime) -> bool: ...


class AuditStore(Protocol):
    def add_many(self, entries: list[AuditEntry]) -> None: ...
    def recent(self, limit: int, before_id: int | None = None,
               subject: str | None = None) -> list[AuditEntry]: ...  # fmt: skip
