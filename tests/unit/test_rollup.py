"""The roll-up leaves out aligned objectives whose cycle has not started (SPEC §3), worked out by hand.

The tree, on 2026-10-15:
    1 strategic, year 2026 (active, from 2026-01-01), no key results
    ├── 2 tactical, 2026-Q3 (closed):          key result scored 60
    ├── 3 tactical, 2026-Q4 (active, from 10-01): key results 50 (weight 1) and 80 (weight 2) -> (50 + 160) / 3 = 70
    ├── 4 tactical, 2027-Q1 (planning):         key result scored 0   -> its cycle has not started: left out
    └── 5 tactical, 2026-Q4b (active, from 11-01): key result scored 90 -> starts after today: left out
Counting every child: (60 + 70 + 0 + 90) / 4 = 220 / 4 = 55.0.
The rule: only 2 and 3 count, (60 + 70) / 2 = 130 / 2 = 65.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from koers.domain.rollup import not_started, roll_up
from koers.domain.scoring import Target, cycle_has_started
from koers.domain.whatif import ScoredKeyResult, what_if

TODAY = date(2026, 10, 15)


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    cycle_status: str
    cycle_start: date | None
    archived: bool = False


TREE = {
    1: Node(1, None, "active", date(2026, 1, 1)),
    2: Node(2, 1, "closed", date(2026, 7, 1)),
    3: Node(3, 1, "active", date(2026, 10, 1)),
    4: Node(4, 1, "planning", date(2027, 1, 1)),
    5: Node(5, 1, "active", date(2026, 11, 1)),
}
KEY_RESULTS = {2: [(60.0, 1.0)], 3: [(50.0, 1.0), (80.0, 2.0)], 4: [(0.0, 1.0)], 5: [(90.0, 1.0)]}


@pytest.mark.parametrize(
    ("status", "start", "started"),
    [
        ("active", date(2026, 10, 15), True),  # starts today: counts from its first day
        ("active", date(2026, 10, 16), False),  # starts tomorrow
        ("planning", date(2026, 1, 1), False),  # planning, whatever its dates
        ("closed", date(2026, 7, 1), True),
    ],
)
def test_a_cycle_has_started_once_it_is_out_of_planning_and_its_start_date_came(status, start, started):
    assert cycle_has_started(status, start, TODAY) is started


def test_objectives_of_cycles_not_started_are_left_out_of_their_parents_mean():
    waiting = not_started(TREE, TODAY)
    assert waiting == {4, 5}
    scores = roll_up(TREE, KEY_RESULTS, waiting=waiting)
    assert scores[1] == 65.0  # (60 + 70) / 2, not (60 + 70 + 0 + 90) / 4 = 55.0
    assert roll_up(TREE, KEY_RESULTS)[1] == 55.0  # without the rule
    # the objectives left out still have their own score
    assert (scores[3], scores[4], scores[5]) == (70.0, 0.0, 90.0)


def test_once_the_start_date_comes_the_objective_counts():
    on_the_first = date(2026, 11, 1)
    waiting = not_started(TREE, on_the_first)
    assert waiting == {4}
    assert roll_up(TREE, KEY_RESULTS, waiting=waiting)[1] == 73.3  # (60 + 70 + 90) / 3 = 220 / 3 = 73.33


def test_a_parent_whose_aligned_objectives_have_all_not_started_has_no_score():
    tree = {1: TREE[1], 4: TREE[4], 5: TREE[5]}
    assert roll_up(tree, KEY_RESULTS, waiting=not_started(tree, TODAY))[1] is None


def test_the_what_if_leaves_them_out_too():
    # 5 (not started) would go from 90 to 100: nothing above it changes; 3's 50 -> 80 changes 3 and 1.
    zero_to_hundred = Target("increase", baseline=0, target=100)
    krs = [
        ScoredKeyResult(20, 2, zero_to_hundred, 60.0),
        ScoredKeyResult(30, 3, zero_to_hundred, 50.0),
        ScoredKeyResult(31, 3, zero_to_hundred, 80.0, weight=2.0),
        ScoredKeyResult(40, 4, zero_to_hundred, 0.0),
        ScoredKeyResult(50, 5, zero_to_hundred, 90.0),
    ]
    waiting = not_started(TREE, TODAY)
    result = what_if(TREE, krs, {50: 100.0}, waiting=waiting)
    assert [(c.id, c.score_before, c.score) for c in result.objectives] == [(5, 90.0, 100.0)]
    # 3 = (80 + 80·2) / 3 = 240 / 3 = 80; 1 = (60 + 80) / 2 = 70
    result = what_if(TREE, krs, {30: 80.0}, waiting=waiting)
    assert [(c.id, c.score_before, c.score) for c in result.objectives] == [(3, 70.0, 80.0), (1, 65.0, 70.0)]
