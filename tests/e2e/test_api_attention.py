"""What needs a person now, on SQLite and PostgreSQL: a ticket nobody could take and
the started visit of a technician who broke down show up, each with what happened."""

from __future__ import annotations

from datetime import timedelta

from dispatch.domain.disruption import DisruptionKind
from dispatch.domain.model import TicketStatus
from dispatch.services.disruptions import NewDisruption, record_disruption


def test_unassigned_tickets_and_stranded_started_work_need_attention(
        client, fleet, clock, book_for, backend):  # fmt: skip
    calm = client.get("/api/attention").json()["items"]
    assert calm == []
    jan, [started, waiting] = book_for("cpo-jan", [(0.004, 0.0), (0.008, 0.0)])
    step = {"event_id": "a1", "type": "en_route", "at": clock.now().isoformat(),
            "ticket_id": started}  # fmt: skip
    assert client.post(f"/api/technicians/{jan.id}/events", json=[step]).status_code == 200
    record_disruption(fleet, clock, NewDisruption(
        DisruptionKind.BREAKDOWN, clock.now() + timedelta(hours=2), "pech", jan.id))
    with fleet:
        fleet.tickets.set_status(waiting, TicketStatus.UNASSIGNED, "nobody free before 17:00")
        fleet.commit()
    items = {(i["what"], i["ticket_id"]): i for i in client.get("/api/attention").json()["items"]}
    assert items[("stranded", started)]["detail"] == (
        f"en_route with technician {jan.id}, who is out")
    assert items[("unassigned", waiting)]["detail"] == "nobody free before 17:00"
