"""What a route has changed since it was loaded, for the repository to store.

The bookkeeping half of the route aggregate (``Route``): the visits to insert or
update, the rows that move, the events raised since the last save and those saved
with it for the outbox. ``Route`` holds the rules; this holds what they changed.
"""

from __future__ import annotations

from dispatch.domain.events import Event
from dispatch.domain.model import Visit


class RouteChanges:
    def __init__(self, version: int) -> None:
        self.version = version
        self.events: list[Event] = []  # raised since the last save
        self.outgoing: list[Event] = []  # saved with the route, for the outbox
        self._changed: dict[int, Visit] = {}
        self._added: set[int] = set()
        self.renumbered: set[int] = set()  # stored visits whose sequence or route changes
        self._touched = False
        self.released: set[int] = set()  # visits taken off with nobody to take them

    @property
    def changed(self) -> bool:
        return bool(self._changed) or self._touched

    def pending_writes(self) -> tuple[list[Visit], list[Visit]]:
        """(new visits, changed visits) for the repository to store."""
        added = [v for t, v in self._changed.items() if t in self._added]
        updated = [v for t, v in self._changed.items() if t not in self._added]
        return added, updated

    def mark_saved(self) -> None:
        """The repository stored the route: its events may now reach the outbox."""
        self.version += 1
        self.outgoing.extend(self.events)
        self.events.clear()
        self._changed.clear()
        self._added.clear()
        self.renumbered.clear()
        self._touched = False
        self.released.clear()
