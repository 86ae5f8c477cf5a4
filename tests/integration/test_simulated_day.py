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
