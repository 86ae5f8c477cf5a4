"""Users in memory, for the use cases' tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from dispatch.domain.api_keys import ApiKey
from dispatch.domain.audit import AuditEntry
from dispatch.domain.users import User
from dispatch.store.ports import DuplicateKey


class FakeUsers:
    def __init__(self) -> None:
        self.rows: dict[str, User] = {}

    def add(self, u: User) -> int:
        if u.username in self.rows:
            raise DuplicateKey(f"username {u.username} is taken")
        self.rows[u.username] = replace(u, id=len(self.rows) + 1)
        return len(self.rows)

    def by_name(self, username: str) -> User | None:
        return self.rows.get(username)

    def all(self) -> list[User]:
        return sorted(self.rows.values(), key=lambda u: u.id)

    def set_disabled(self, username: str, disabled: bool) -> bool:
        if username not in self.rows:
            return False
        self.rows[username] = replace(self.rows[username], disabled=disabled)
        return True

    def set_password(self, username: str, password_hash: str) -> bool:
        if username not in self.rows:
            return False
        self.rows[username] = replace(self.rows[username], password_hash=password_hash)
        return True


class FakeApiKeys:
    def __init__(self) -> None:
        self.rows: dict[str, ApiKey] = {}  # by digest

    def add(self, key: ApiKey, digest: str) -> int:
        self.rows[digest] = replace(key, id=len(self.rows) + 1)
        return len(self.rows)

    def by_digest(self, digest: str) -> ApiKey | None:
        return self.rows.get(digest)

    def all(self) -> list[ApiKey]:
        return sorted(self.rows.values(), key=lambda k: k.id)

    def revoke(self, key_id: int, at: datetime) -> bool:
        for digest, key in self.rows.items():
            if key.id == key_id and key.revoked_at is None:
                self.rows[digest] = replace(key, revoked_at=at)
                return True
        return False


class FakeAudit:
    def __init__(self) -> None:
        self.rows: list[AuditEntry] = []

    def add_many(self, entries: list[AuditEntry]) -> None:
        self.rows += [replace(e, id=len(self.rows) + 1 + k) for k, e in enumerate(entries)]

    def recent(self, limit: int, before_id: int | None = None,
               subject: str | None = None) -> list[AuditEntry]:  # fmt: skip
        rows = [e for e in reversed(self.rows) if (before_id is None or e.id < before_id)
                and (subject is None or e.subject == subject)]  # fmt: skip
        return rows[:limit]
