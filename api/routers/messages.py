"""The dispatcher's dead-letter view: messages every attempt failed for, newest first,
each with its attempts, so someone can call those customers."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDep, UowDep
from api.message_schemas import MessageOut
from api.presenters import Presenter
from dispatch.services.message_log import dead_letters

router = APIRouter(prefix="/api/messages", tags=["dispatcher"])


@router.get(
    "/dead",
    response_model=list[MessageOut],
    summary="Messages that could not be delivered, with every attempt",
)
def get_dead_letters(uow: UowDep, settings: SettingsDep) -> list[MessageOut]:
    present = Presenter(settings.timezone)
    return [present.message(m) for m in dead_letters(uow)]
