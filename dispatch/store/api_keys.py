"""API keys in the database (``ApiKeyStore``): found by their digest, never by the key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dispatch.domain.api_keys import ApiKey
from dispatch.domain.users import Role
from dispatch.store.security_tables import ApiKeyRow


def _key(r: ApiKeyRow) -> ApiKey:
    return ApiKey(r.id, r.name, Role(r.role), r.hint, r.created_at, r.created_by, r.revoked_at)


class ApiKeyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, key: ApiKey, digest: str) -> int:
        row = ApiKeyRow(name=key.name, role=key.role.value, digest=digest, hint=key.hint,
                        created_at=key.created_at, created_by=key.created_by)  # fmt: skip
        self.session.add(row)
        self.session.flush()
        return int(row.id)

    def by_digest(self, digest: str) -> ApiKey | None:
        row = self.session.scalar(select(ApiKeyRow).where(ApiKeyRow.digest == digest))
        return _key(row) if row else None

    def all(self) -> list[ApiKey]:
        return [_key(r) for r in self.session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]

    def revoke(self, key_id: int, at: datetime) -> bool:
        result = self.session.execute(
            update(ApiKeyRow).where(ApiKeyRow.id == key_id, ApiKeyRow.revoked_at.is_(None))
            .values(revoked_at=at))  # fmt: skip
        return bool(getattr(result, "rowcount", 0) == 1)
