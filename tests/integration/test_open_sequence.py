"""One number per open visit of a technician (issue 16: after crash-and-retry runs two
open visits of one technician were numbered alike, and the route's order was ambiguous).
The database refuses it; a route that would store it is told to read again; old
duplicates are renumbered by the migration."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from dispatch.domain.errors import StaleRoute
from dispatch.domain.route import Route
from dispatch.store.migrate import _config, upgrade


def _numbers(engine, tech_id: int) -> list[tuple[int, int]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT ticket_id, sequence FROM visits WHERE technician_id = :t "
            "ORDER BY sequence"), {"t": tech_id})]  # fmt: skip


def test_the_database_refuses_two_open_visits_with_one_number(engine, book_for, backend):
    tech, (a, b, _c) = book_for("cpo-jan", [(0.003, 0), (0.006, 0), (0.009, 0)])
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE visits SET sequence = (SELECT sequence FROM visits "
                          "WHERE ticket_id = :b) WHERE ticket_id = :a"), {"a": a, "b": b})
    with engine.begin() as conn:  # a closed visit keeps its number out of the way
        conn.execute(text("UPDATE visits SET status = 'completed' WHERE ticket_id = :a"),
                     {"a": a})  # fmt: skip
    assert [n for _, n in _numbers(engine, tech.id)] == [1, 2, 3]


def test_a_route_that_missed_a_visit_is_told_to_read_again(fleet, engine, book_for, backend):
    tech, (a, _b, c) = book_for("cpo-jan", [(0.003, 0), (0.006, 0), (0.009, 0)])
    before = _numbers(engine, tech.id)
    with fleet:
        whole = fleet.routes.get(tech.id)
        stale = Route(tech.id, whole.version, [v for v in whole.visits if v.ticket_id != c])
        # a replan of what it sees, b before a, numbers a 3: c's number
        stale.plan([(v, v.eta, v.leg_s) for v in reversed(stale.open_visits)],
                   whole.visit(a).eta)  # fmt: skip
        assert [v.sequence for v in stale.open_visits] == [2, 3]
        with pytest.raises(StaleRoute, match="read it again"):
            fleet.routes.save(stale)
    assert _numbers(engine, tech.id) == before


def test_upgrading_renumbers_old_duplicates_in_their_order(engine, book_for, backend):
    tech, (a, b, c) = book_for("cpo-jan", [(0.003, 0), (0.006, 0), (0.009, 0)])
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0018")
    with engine.begin() as conn:  # the state a crash-and-retry run left behind
        conn.execute(text("UPDATE visits SET sequence = 2 WHERE ticket_id = :c"), {"c": c})
    upgrade(engine)
    after = _numbers(engine, tech.id)
    assert [t for t, _ in after] == [a, b, c] and len({n for _, n in after}) == 3
