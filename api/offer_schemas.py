"""Bodies of the customer's answer to a force-majeure message (``/api/track/{token}``)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from api.presenters import Presenter
from api.schemas import Day, WindowOut
from dispatch.domain.force_majeure import Offer


class OfferedSlotOut(BaseModel):
    slot: int = Field(description="what to send as `slot` to take it")
    date: dt.date
    window: WindowOut
    held: bool = Field(description="booked for the customer until hold_until")


class OfferOut(BaseModel):
    status: str = Field(description="held (waiting for an answer), chosen or confirmed")
    hold_until: dt.datetime = Field(description="without an answer, the held slot is confirmed")
    slots: list[OfferedSlotOut]
    chosen: int | None = Field(description="the slot taken; null for another day")

    @classmethod
    def of(cls, o: Offer, present: Presenter) -> OfferOut:
        return cls(status=o.status.value, hold_until=present.t(o.hold_until), chosen=o.chosen,
                   slots=[OfferedSlotOut(slot=k, date=s.day, window=present.window(s.window),
                                         held=k == 0) for k, s in enumerate(o.slots)])  # fmt: skip


class RescheduleIn(BaseModel):
    """Either ``slot`` (0 keeps the held one) or ``date`` (the best time that day)."""

    model_config = ConfigDict(extra="forbid")

    slot: StrictInt | None = Field(None, ge=0, le=20, examples=[1])
    date: Day | None = Field(None, description="another day, when no offered time suits")


class RescheduleOut(BaseModel):
    window: WindowOut = Field(description="the customer's appointment now")
    offer: OfferOut


class ChangeDayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: Day = Field(description="a later day, at most 31 days ahead; the best time free "
                      "that day is booked")  # fmt: skip


class ChangeDayOut(BaseModel):
    window: WindowOut = Field(description="the customer's appointment now")
