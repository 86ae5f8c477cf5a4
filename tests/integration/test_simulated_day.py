"""A whole simulated day on a fake clock, with seeded noise."""

from datetime import timedelta

from dispatch.domain.model import Customer, GeoPoint
from dispatch.services.bookings import book
from dispatch.services.simulate import SimConfig, simulate_day
from dispatch.services.tickets import NewTicket, create_ticket


def jan_day(uow, clock, travel, n):
    with uow:
        jan = uow.technicians.by_code("cpo-jan")
    for k in range(n):
        spot = GeoPoint(jan.home.lat + 0.003 * ((k % 4) + 1), jan.home.lon + 0.004 * (k // 4))
        created = create_ticket(
            uow,
            clock,
            travel,
            NewTicket(
                customer=Customer(f"C{k}"),
                location=spot,
                kind="charger_offline",
                skills=frozenset({"ac_charger"}),
                service=timedelta(minutes=25),
            ),
            quote_only=True,
        )
        book(uow, clock, travel, created.ticket.id, jan.id)
    return jan


def test_intervals_narrow_as_each_visit_nears(fleet, clock, travel, backend):
    jan = jan_day(fleet, clock, travel, 9)
    report = simulate_day(fleet, clock, travel, [jan.id], SimConfig(seed=11))
    assert report.arrivals == 9
    seen = [hw for hw in report.half_widths.values() if {1, 3, 6} <= hw.keys()]
    assert len(seen) >= 3, report.half_widths
    for hw in seen:
        assert hw[6] > hw[3] > hw[1], hw
