"""Bodies of the admin's endpoints: logins, API keys and the audit log."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from api.schemas import MAX_ID
from dispatch.domain.users import Role


class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=63, examples=["nele"])
    password: str = Field(min_length=10, max_length=200)
    role: Role
    technician_id: int | None = Field(None, ge=1, le=MAX_ID,
                                      description="a technician's login: their id")  # fmt: skip


class UserOut(BaseModel):
    username: str
    role: Role
    technician_id: int | None
    disabled: bool
    created_at: datetime


class KeyIn(BaseModel):
    name: str = Field(min_length=2, max_length=64, examples=["crm"])
    role: Role = Field(description="agent, dispatcher or admin")


class KeyOut(BaseModel):
    id: int
    name: str
    role: Role
    hint: str = Field(description="the key's first characters, to tell keys apart")
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    key: str | None = Field(None, description="the key itself: only in the answer that made it")


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    detail: str
