"""A whole simulated day on a fake clock, with seeded noise."""

from dispatch.services.simulate import SimConfig, simulate_day


def test_intervals_narrow_as_each_visit_nears(book_for, fleet, clock, travel, backend):
    spots = [(0.003 * ((k % 4) + 1), 0.004 * (k // 4)) for k in range(9)]
    jan, _ = book_for("cpo-jan", spots, minutes=25)
    report = simulate_day(fleet, clock, travel, [jan.id], SimConfig(seed=11))
    assert report.arrivals == 9
    seen = [hw for hw in report.half_widths.values() if {1, 3, 6} <= hw.keys()]
    assert len(seen) >= 3, report.half_widths
    for hw in seen:
        assert hw[6] > hw[3] > hw[1], hw


def test_technicians_leave_when_the_job_ends_and_report_positions_on_the_way(
    book_for, fleet, clock, travel, backend
):
    from dispatch.domain.fieldstate import EventType

    spots = [(0.01 * (k + 1), 0.012 * (k % 2)) for k in range(4)]
    jan, tickets = book_for("cpo-jan", spots, minutes=25)
    report = simulate_day(fleet, clock, travel, [jan.id], SimConfig(seed=3))
    assert sorted(report.arrived_at) == sorted(tickets)
    with fleet:
        events = sorted(fleet.events.for_technician(jan.id), key=lambda e: e.order)
    done = [e.at for e in events if e.type == EventType.COMPLETED]
    left = [e.at for e in events if e.type == EventType.EN_ROUTE]
    assert left[1:] == done[:-1]  # each drive begins the moment the job before ends
    arrived = {e.ticket_id: e.at for e in events if e.type == EventType.ARRIVED}
    assert arrived == report.arrived_at
    for a, b in zip(left, [e.at for e in events if e.type == EventType.ARRIVED], strict=True):
        on_the_way = [e for e in events if e.type == EventType.POSITION and a < e.at <= b]
        if b - a > SimConfig().step:  # a drive longer than a step is reported on the way
            assert on_the_way, (a, b)
