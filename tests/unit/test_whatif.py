"""What-if (issue 10): scores with hypothetical values, up a three-level alignment tree, worked out by hand.

The tree:
    1 strategic (no key results)
    ├── 2 tactical: kr 10 (increase 0 → 100, stored 40, weight 1), kr 11 (stored 80, weight 3)
    │   └── 7 team objective: kr 14 (stored 0): ignored by 2, which has key results of its own
    ├── 3 tactical (no key results)
    │   └── 4 team objective: kr 12 (decrease 10 → 5, value 7.5, stored 50)
    └── 5 archived: kr 15 (stored 0): left out of 1's mean
    6 another root: kr 13 (above 95, values 96 and 94, stored 50)

Stored scores: 2 = (40·1 + 80·3)/4 = 280/4 = 70; 4 = 50; 3 = 50; 1 = (70 + 50)/2 = 60; 6 = 50; 7 = 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from koers.domain.errors import NotFound, ValidationError
from koers.domain.rollup import roll_up
from koers.domain.scoring import Target
from koers.domain.whatif import ScoreChange, ScoredKeyResult, WhatIf, what_if


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    archived: bool = False


OBJECTIVES = {
    1: Node(1, None),
    2: Node(2, 1),
    3: Node(3, 1),
    4: Node(4, 3),
    5: Node(5, 1, archived=True),
    6: Node(6, None),
    7: Node(7, 2),
}
ZERO_TO_HUNDRED = Target("increase", baseline=0, target=100)
KEY_RESULTS = [
    ScoredKeyResult(10, 2, ZERO_TO_HUNDRED, score=40.0),
    ScoredKeyResult(11, 2, ZERO_TO_HUNDRED, score=80.0, weight=3.0),
    ScoredKeyResult(12, 4, Target("decrease", baseline=10, target=5), score=50.0),
    ScoredKeyResult(13, 6, Target("above", target=95), score=50.0, cycle_values=(96.0, 94.0)),
    ScoredKeyResult(14, 7, ZERO_TO_HUNDRED, score=0.0),
    ScoredKeyResult(15, 5, ZERO_TO_HUNDRED, score=0.0),
    ScoredKeyResult(16, 2, ZERO_TO_HUNDRED, score=100.0, archived=True),  # archived: not in 2's mean
]


def test_the_stored_tree_rolls_up_as_the_docstring_says():
    pairs: dict[int, list[tuple[float, float]]] = {}
    for kr in KEY_RESULTS:
        if not kr.archived:
            pairs.setdefault(kr.objective_id, []).append((kr.score, kr.weight))
    assert roll_up(OBJECTIVES, pairs) == {1: 60.0, 2: 70.0, 3: 50.0, 4: 50.0, 5: 0.0, 6: 50.0, 7: 0.0}


def test_what_if_reports_the_changes_up_the_tree():
    result = what_if(OBJECTIVES, KEY_RESULTS, {10: 60.0, 12: 6.0})
    # kr 10: (60 − 0)/(100 − 0) = 0.6 → 60; kr 12: (10 − 6)/(10 − 5) = 4/5 = 0.8 → 80
    # 2 = (60·1 + 80·3)/4 = 300/4 = 75; 4 = 80; 3 = 80 (its one child); 1 = (75 + 80)/2 = 77.5
    # 6 and 7 do not change and are not listed; deepest first, then by id
    assert result == WhatIf(
        key_results=(ScoreChange(10, 40.0, 60.0), ScoreChange(12, 50.0, 80.0)),
        objectives=(
            ScoreChange(4, 50.0, 80.0),
            ScoreChange(2, 70.0, 75.0),
            ScoreChange(3, 50.0, 80.0),
            ScoreChange(1, 60.0, 77.5),
        ),
    )


def test_walking_up_stops_where_an_objective_has_key_results_of_its_own():
    # kr 14 to 100 moves 7 from 0 to 100, but 2 scores on its own key results, so 2 and 1 stay
    result = what_if(OBJECTIVES, KEY_RESULTS, {14: 100.0})
    assert result.objectives == (ScoreChange(7, 0.0, 100.0),)


def test_a_value_that_changes_no_score_lists_the_key_result_and_no_objective():
    # kr 10 at 40 again: (40 − 0)/100 → 40, the stored score; nothing above moves
    assert what_if(OBJECTIVES, KEY_RESULTS, {10: 40.0}) == WhatIf((ScoreChange(10, 40.0, 40.0),), ())


def test_a_maintain_key_result_counts_the_value_with_the_cycles_values():
    # above 95 with 96, 94 and now 97: 2 of 3 met = 0.666… → 66.7; objective 6 follows
    result = what_if(OBJECTIVES, KEY_RESULTS, {13: 97.0})
    assert result == WhatIf((ScoreChange(13, 50.0, 66.7),), (ScoreChange(6, 50.0, 66.7),))


def test_settled_objectives_keep_their_stored_score():
    # only 1's subtree around objective 4 was read: 2 is settled at its stored 70
    around = {i: OBJECTIVES[i] for i in (1, 2, 3, 4)}
    result = what_if(around, [KEY_RESULTS[2]], {12: 6.0}, settled={2: 70.0})
    # 4 = 80, 3 = 80, 1 = (70 + 80)/2 = 75
    assert result.objectives == (ScoreChange(4, 50.0, 80.0), ScoreChange(3, 50.0, 80.0), ScoreChange(1, 60.0, 75.0))


def test_values_are_checked_like_check_ins():
    with pytest.raises(NotFound) as missing:
        what_if(OBJECTIVES, KEY_RESULTS, {99: 1.0})
    assert missing.value.code == "key_result.not_found"
    with pytest.raises(ValidationError) as archived:
        what_if(OBJECTIVES, KEY_RESULTS, {16: 1.0})
    assert archived.value.code == "key_result.archived"
    with pytest.raises(ValidationError) as huge:
        what_if(OBJECTIVES, KEY_RESULTS, {10: 1e16})
    assert huge.value.code == "number.too_large"
    with pytest.raises(ValidationError) as not_a_number:
        what_if(OBJECTIVES, KEY_RESULTS, {10: float("nan")})
    assert not_a_number.value.code == "number.not_finite"
    milestone = [ScoredKeyResult(17, 6, Target("milestone"), score=0.0)]
    with pytest.raises(ValidationError) as halfway:
        what_if(OBJECTIVES, milestone, {17: 0.5})
    assert halfway.value.code == "check_in.milestone_value"
