"""Today's lunch over HTTP: the route and the board say it is planned, a break reported
from the phone shows as under way and then as taken (both databases)."""

from datetime import timedelta

from test_api_events import booked

from dispatch.domain.model import LunchBreak


def _lunch(rows: list[dict], tech: int) -> dict | None:
    return next(r["lunch"] for r in rows if r["technician_id"] == tech)


def test_the_route_and_the_board_follow_the_lunch_from_planned_to_taken(client, fleet, clock):
    _ticket, tech = booked(client)
    noon = clock.now().replace(hour=12, minute=0)
    with fleet:
        jan = fleet.technicians.get(tech)
        assert jan is not None
        fleet.technicians.update_shift(tech, jan.shift, LunchBreak(
            noon, noon + timedelta(minutes=90), timedelta(minutes=30)))  # fmt: skip
        fleet.commit()
    route = client.get(f"/api/technicians/{tech}/route").json()
    assert route["lunch"]["status"] == "planned" and route["lunch"]["minutes"] == 30
    assert route["lunch"]["window"]["start"].startswith(noon.date().isoformat())
    board = client.get("/api/board").json()["technicians"]
    assert _lunch(board, tech)["status"] == "planned"
    assert all(_lunch(board, r["technician_id"]) is None for r in board
               if r["technician_id"] != tech)  # fmt: skip
    at = clock.now()
    said = client.post(f"/api/technicians/{tech}/events", json=[
        {"event_id": "b1", "type": "break_start", "at": at.isoformat()}])  # fmt: skip
    assert said.status_code == 200, said.text
    on_break = _lunch(client.get("/api/board").json()["technicians"], tech)
    assert on_break["status"] == "on_break" and on_break["since"] is not None
    said = client.post(f"/api/technicians/{tech}/events", json=[
        {"event_id": "b2", "type": "break_end", "at": (at + timedelta(minutes=1)).isoformat()}])
    assert said.status_code == 200, said.text
    assert client.get(f"/api/technicians/{tech}/route").json()["lunch"]["status"] == "taken"
