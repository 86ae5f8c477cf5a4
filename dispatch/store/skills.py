"""The skills a ticket may ask for."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.store.tables import SkillRow


class SkillRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def codes(self) -> set[str]:
        return set(self.session.scalars(select(SkillRow.code)))

    def upsert(self, code: str, label: str) -> None:
        row = self.session.get(SkillRow, code)
        if row is None:
            self.session.add(SkillRow(code=code, label=label))
        else:
            row.label = label
