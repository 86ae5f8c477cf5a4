"""The kinds of work the helpdesk can pick, with the skills each implies: the console's
intake form lists them, so the form and the API never disagree."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from dispatch.domain.work_kinds import KINDS

router = APIRouter(prefix="/api/kinds", tags=["helpdesk"])


class KindOut(BaseModel):
    code: str
    label: str
    skills: list[str]
    property_at_risk: bool


@router.get("", response_model=list[KindOut], summary="Kinds of work and the skills they imply")
def kinds() -> list[KindOut]:
    return [KindOut(code=k.code, label=k.label, skills=sorted(k.skills),
                    property_at_risk=k.at_risk) for k in KINDS.values()]  # fmt: skip
