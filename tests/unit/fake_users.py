"""Users in memory, for the use cases' tests."""

from __future__ import annotations

from dataclasses import replace

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
