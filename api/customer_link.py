"""What every endpoint behind a customer's tracking link checks first: the caller's rate
(``api.rate_limits``) and that the link has not expired (``services.tracking_links``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path

from api.deps import ClockDep, SettingsDep, UowDep
from api.rate_limits import LIMITED, public_rate_limit
from dispatch.services.tracking_links import check_link

Token = Annotated[str, Path(min_length=8, max_length=64)]
PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
EXPIRED: dict[int | str, dict[str, Any]] = {
    **LIMITED, 410: {"description": "the link expired: its case closed too long ago", **PROBLEM}}


def live_link(tracking_token: Token, uow: UowDep, clock: ClockDep, settings: SettingsDep) -> None:
    check_link(uow, tracking_token, clock.now(), settings.tracking_days)


CUSTOMER_LINK = [Depends(public_rate_limit), Depends(live_link)]
