"""The people who log in, and what each role is for.

- ``agent``: the helpdesk; creates, quotes, books and cancels tickets, reads customers.
- ``dispatcher``: all of that, plus disruptions, calendars and reassignments.
- ``technician``: linked to one technician; reads their own route, posts their own events.
- ``admin``: users, API keys and webhooks.

Customers never log in: their tracking link is their key.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime

from dispatch.domain.errors import InvalidInput


class Role(enum.StrEnum):
    AGENT = "agent"
    DISPATCHER = "dispatcher"
    TECHNICIAN = "technician"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: Role
    technician_id: int | None  # a technician's own technician record
    disabled: bool
    created_at: datetime
    password_hash: str = ""  # never leaves the service


USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,62}$")
MIN_PASSWORD = 10


def check_new_user(username: str, role: Role, technician_id: int | None) -> None:
    if not USERNAME.match(username):
        raise InvalidInput(f"username {username!r}: 2 to 63 of a-z, 0-9, '.', '_', '@', '-', "
                           "starting with a letter or digit")  # fmt: skip
    if (role == Role.TECHNICIAN) != (technician_id is not None):
        raise InvalidInput("a technician's login names their technician (--technician), "
                           "and only a technician's does")  # fmt: skip


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password has at least {MIN_PASSWORD} characters")
