"""What a replan changed, and when a customer told a name may get another technician."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dispatch.domain.stability import Stability, plan_changes


def test_a_visit_handed_to_another_technician_is_reassigned_not_reordered() -> None:
    changes = plan_changes({"jan": [1, 2, 3], "lotte": [4]}, {"jan": [1, 3], "lotte": [2, 4]})
    assert changes.reassigned == {2}
    assert changes.reordered == 0  # 1 before 3 on Jan, 4 alone on Lotte: order kept


@pytest.mark.parametrize(
    ("after", "reordered"),
    [
        ([1, 2, 3, 4], 0),
        ([2, 1, 3, 4], 1),  # a swap of neighbours is one move
        ([4, 1, 2, 3], 1),  # the last one brought to the front
        ([4, 3, 2, 1], 3),  # reversed: only one stays in place
    ],
)
def test_reordering_counts_the_fewest_visits_moved(after: list[int], reordered: int) -> None:
    assert plan_changes({"jan": [1, 2, 3, 4]}, {"jan": after}).reordered == reordered


def test_a_new_visit_is_neither_reassigned_nor_reordered() -> None:
    changes = plan_changes({"jan": [1, 2]}, {"jan": [1, 9, 2]})
    assert (changes.reassigned, changes.reordered) == (frozenset(), 0)


def test_a_told_name_costs_fifteen_minutes_and_an_untold_one_three() -> None:
    assert (Stability().move_cost_s(True), Stability().move_cost_s(False)) == (900, 180)


@pytest.mark.parametrize(
    ("moved", "saved_min", "rescued", "refused"),
    [
        (0, 0, 0, False),  # nobody handed over: nothing to pay for
        (1, 14, 0, True),
        (1, 15, 0, False),
        (2, 29, 0, True),  # each name moved pays its own quarter hour
        (2, 30, 0, False),
        (1, 0, 1, False),  # a late customer back on time pays for one name ...
        (3, 0, 1, True),  # ... not for three
        (3, 30, 1, False),  # ... or for one, with half an hour of driving for two more
        (1, -20, 1, False),  # driving more to keep a promise is fine
    ],
)
def test_moving_a_told_customer_must_save_fifteen_minutes_each(
    moved: int, saved_min: int, rescued: int, refused: bool
) -> None:
    why = Stability().refusal(moved, saved_min * 60, rescued)
    assert (why is not None) == refused
    assert not refused or f"{moved} customer(s)" in str(why)


@pytest.mark.parametrize(
    ("moved", "slips_saved_min", "refused"),
    [(1, 14, True), (1, 15, False), (4, 60, False), (5, 60, True)],
)
def test_lateness_or_overtime_taken_off_pays_like_driving(
    moved: int, slips_saved_min: int, refused: bool
) -> None:
    """A technician who must leave early: an hour of overtime handed to others pays for
    four names, as an hour of driving would."""
    why = Stability().refusal(moved, 0, 0, slips_saved_min * 60)
    assert (why is not None) == refused
    assert not refused or f"{moved} customer(s)" in str(why)


def test_the_threshold_is_configurable() -> None:
    lenient = Stability(told_move=timedelta(minutes=5))
    assert lenient.refusal(1, 5 * 60, 0) is None
    assert Stability().refusal(1, 5 * 60, 0) is not None


@pytest.mark.parametrize(
    ("moved", "told", "rescued", "refused"),
    [(1, 20, 0, False), (2, 20, 0, True), (2, 40, 0, False), (1, 19, 0, True), (2, 40, 2, False),
     (3, 40, 3, True)],
)
def test_one_replan_moves_at_most_five_percent_of_the_told_names(
    moved: int, told: int, rescued: int, refused: bool
) -> None:
    """However much driving it saves (here ten hours) and however many late customers it
    rescues, a replan reshuffles at most one told name in twenty."""
    why = Stability().refusal(moved, 36_000, rescued, told=told)
    assert (why is not None) == refused
    assert not refused or f"{moved} of {told} customers" in str(why)


def test_overtime_taken_off_is_capped_like_driving() -> None:
    """Two hours of overtime taken off pays for four names, but not for four of five
    told names in one replan."""
    assert Stability().refusal(4, 0, 0, slips_saved_s=2 * 3600, told=5) is not None
    assert Stability().refusal(4, 0, 0, slips_saved_s=2 * 3600, told=80) is None
