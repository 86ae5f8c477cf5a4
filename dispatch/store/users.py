"""Users in the database (``UserStore``)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dispatch.domain.users import Role, User
from dispatch.store.ports import DuplicateKey
from dispatch.store.user_table import UserRow


def _user(r: UserRow) -> User:
    return User(r.id, r.username, Role(r.role), r.technician_id, r.disabled, r.created_at,
                r.password_hash)  # fmt: skip


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, u: User) -> int:
        row = UserRow(username=u.username, password_hash=u.password_hash, role=u.role.value,
                      technician_id=u.technician_id, disabled=u.disabled,
                      created_at=u.created_at)  # fmt: skip
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError as exc:
            raise DuplicateKey(str(exc.orig)) from exc
        return int(row.id)

    def by_name(self, username: str) -> User | None:
        row = self.session.scalar(select(UserRow).where(UserRow.username == username))
        return _user(row) if row else None

    def all(self) -> list[User]:
        return [_user(r) for r in self.session.scalars(select(UserRow).order_by(UserRow.id))]

    def set_disabled(self, username: str, disabled: bool) -> bool:
        result = self.session.execute(update(UserRow).where(UserRow.username == username)
                                      .values(disabled=disabled))  # fmt: skip
        return bool(getattr(result, "rowcount", 0) == 1)

    def set_password(self, username: str, password_hash: str) -> bool:
        result = self.session.execute(update(UserRow).where(UserRow.username == username)
                                      .values(password_hash=password_hash))  # fmt: skip
        return bool(getattr(result, "rowcount", 0) == 1)
