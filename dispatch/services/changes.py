"""Has anything the console shows changed? One small reading (``ChangeStore``) for the
live stream, shared by every open console of a process."""

from __future__ import annotations

from dispatch.store.ports import UnitOfWork


def change_stamp(uow: UnitOfWork) -> tuple[int, ...]:
    with uow:
        return uow.changes.stamp()
