"""Who is calling. There is no authentication yet; this is where it plugs in.

Once tokens exist, ``current_actor`` resolves the caller and ``may_post_for`` makes sure
a technician posts events only for themselves; every route already depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from dispatch.domain.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    technician_id: int | None = None  # None: a dispatcher or, for now, anyone


def current_actor() -> Actor:
    return Actor()


ActorDep = Annotated[Actor, Depends(current_actor)]


def may_post_for(actor: Actor, technician_id: int) -> None:
    if actor.technician_id is not None and actor.technician_id != technician_id:
        raise Forbidden(f"you may post events only for technician {actor.technician_id}")
