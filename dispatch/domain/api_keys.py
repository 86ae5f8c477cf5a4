"""API keys for integrations (a CRM, a helpdesk tool): a long random secret shown once,
kept only as its SHA-256, scoped to one role.

SHA-256 rather than argon2: a key is 256 random bits, not a person's password, so a fast
hash cannot be brute-forced, and checking one costs microseconds on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from dispatch.domain.errors import InvalidInput
from dispatch.domain.users import Role

PREFIX = "fdk_"
KEY_ROLES = (Role.AGENT, Role.DISPATCHER, Role.ADMIN)  # a technician logs in on the phone


@dataclass(frozen=True)
class ApiKey:
    id: int
    name: str
    role: Role
    hint: str  # the first characters, so an admin can tell keys apart
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_new_key(name: str, role: Role) -> None:
    if not 2 <= len(name) <= 64 or not name.isprintable():
        raise InvalidInput("a key's name has 2 to 64 printable characters")
    if role not in KEY_ROLES:
        raise InvalidInput(f"a key's role is one of {', '.join(r.value for r in KEY_ROLES)}")
