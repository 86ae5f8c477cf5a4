"""Two agents book the same ticket onto two technicians at the same moment (issue 16):
one booking wins, the other gets a 409 naming who has it, never a 500, on SQLite and
PostgreSQL; the ticket ends on exactly one route, and the loser's next request works."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text
from test_create_ticket import new

from dispatch.domain.errors import Conflict
from dispatch.services.bookings import book
from dispatch.services.tickets import create_ticket
from dispatch.store.engine import session_factory
from dispatch.store.uow import SqlUnitOfWork


def test_of_two_agents_booking_one_ticket_at_once_one_wins_and_one_hears_who(
    fleet, engine, clock, travel, backend
):
    sessions = session_factory(engine)
    agents = [SqlUnitOfWork(sessions), SqlUnitOfWork(sessions)]
    with fleet:
        two = [t.id for t in fleet.technicians.all() if "cable_release" in t.skills][:2]
    for _ in range(8):
        ticket = create_ticket(fleet, clock, travel, new(), quote_only=True).ticket

        def go(k: int, tid: int = ticket.id) -> str:
            try:
                book(agents[k], clock, travel, tid, two[k])
                return "booked"
            except Conflict as exc:
                return str(exc)

        with ThreadPoolExecutor(max_workers=2) as pool:
            said = list(pool.map(go, range(2)))
        assert sorted(said)[0] == "booked", said
        lost = sorted(said)[1]
        assert lost.startswith(f"ticket {ticket.id} ") and "technician" in lost, said
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM visits WHERE ticket_id = :t"),
                                {"t": ticket.id}).scalar()  # fmt: skip
        assert rows == 1
    again = create_ticket(agents[1], clock, travel, new())  # the loser's session carries on
    assert again.ticket.visit is not None
