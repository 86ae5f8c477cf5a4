from datetime import timedelta

from dispatch.domain.model import Customer, GeoPoint, Priority, TicketStatus, TimeWindow
from dispatch.services.backlog import assign_waiting
from dispatch.services.tickets import NewTicket, create_ticket, get_ticket


def delivery(window=None) -> NewTicket:
    return NewTicket(
        customer=Customer("Lien Smets"),
        location=GeoPoint(51.09, 4.28),
        kind="parcel_delivery",
        skills=frozenset({"delivery"}),
        service=timedelta(minutes=10),
        priority=Priority.NORMAL,
        window=window,
    )


def test_a_waiting_ticket_is_booked_once_a_technician_can_take_it(fleet, clock, travel, backend):
    with fleet:
        drivers = [t for t in fleet.technicians.all() if "delivery" in t.skills]
        for d in drivers:  # every driver is off today
            fleet.technicians.update_shift(
                d.id, TimeWindow(clock.now() - timedelta(hours=9), clock.now() - timedelta(hours=1))
            )
        fleet.commit()
    waiting = create_ticket(fleet, clock, travel, delivery())
    assert waiting.ticket.status == TicketStatus.UNASSIGNED
    assert assign_waiting(fleet, clock, travel) == 0

    with fleet:  # one driver is called in for the afternoon
        fleet.technicians.update_shift(
            drivers[0].id,
            TimeWindow(clock.now() + timedelta(hours=1), clock.now() + timedelta(hours=6)),
        )
        fleet.commit()
    assert assign_waiting(fleet, clock, travel) == 1
    booked = get_ticket(fleet, waiting.ticket.id)
    assert booked.ticket.status == TicketStatus.ASSIGNED
    assert booked.technician is not None and booked.technician.id == drivers[0].id
    assert booked.ticket.visit is not None
    assert booked.ticket.visit.eta >= clock.now() + timedelta(hours=1)
    assert assign_waiting(fleet, clock, travel) == 0  # nothing is booked twice
