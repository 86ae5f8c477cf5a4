"""The customer's view tells the truth before "Jan will come by" (issue 17: the page
said "On the way" while Jan's van had broken down): a technician taken out shows as
held up with the reason, force majeure as "choose a new time", a closed case as closed."""

from __future__ import annotations

from datetime import timedelta

from test_api_cases import visit

from dispatch.domain.disruption import DisruptionKind
from dispatch.services.disruptions import NewDisruption, record_disruption


def test_a_broken_down_technician_is_never_shown_as_coming(client, fleet, clock, book_for,
                                                          backend):  # fmt: skip
    tech, [ticket] = book_for("cpo-jan", [(0.004, 0.0)])
    token = client.get(f"/api/tickets/{ticket}").json()["tracking_token"]
    before = client.get(f"/api/track/{token}").json()
    assert before["situation"] is None and before["technician_first_name"] == "Jan"
    record_disruption(fleet, clock, NewDisruption(
        DisruptionKind.BREAKDOWN, clock.now() + timedelta(hours=3), "pech op de A12", tech.id))
    seen = client.get(f"/api/track/{token}").json()
    assert seen["situation"] == "disrupted" and seen["reason"] == "pech op de A12"
    clock.advance(timedelta(hours=4))  # repaired: the plan stands again
    assert client.get(f"/api/track/{token}").json()["situation"] is None


def test_a_closed_case_has_no_situation_to_explain(client, fleet, clock, backend):
    t = visit(client, clock)
    seen = client.get(f"/api/track/{t['tracking_token']}").json()
    assert seen["status"] == "completed" and seen["situation"] is None


def test_a_window_moved_later_says_why(client, fleet, clock, book_for, backend):
    tech, [ticket] = book_for("cpo-jan", [(0.02, 0.0)])
    token = client.get(f"/api/tickets/{ticket}").json()["tracking_token"]
    late = {"event_id": "late-1", "type": "delayed", "at": clock.now().isoformat(),
            "delay_min": 90, "ticket_id": ticket, "note": "file op de A12"}  # fmt: skip
    assert client.post(f"/api/technicians/{tech.id}/events", json=[late]).status_code == 200
    seen = client.get(f"/api/track/{token}").json()
    assert seen["situation"] == "delayed" and seen["reason"] == "traffic"
