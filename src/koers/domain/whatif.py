"""What-if: the scores key results and objectives would have with other values. Nothing is stored.

A hypothetical value is taken as a check-in of that value now: it is checked like one
(`validation.validate_check_in_value`), scored with `scoring.key_result_score` (for the maintain kinds it joins the
cycle's values), and the tree is rolled up with `rollup.roll_up`, the function behind the stored scores.
Objectives are compared between the roll-up of the stored key result scores and the roll-up with the new ones, so
only changes the values cause are reported, even where a stored objective score were out of date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from koers.domain.errors import NotFound, ValidationError
from koers.domain.rollup import AlignedObjective, roll_up
from koers.domain.scoring import MAINTAIN_KINDS, Target, key_result_score
from koers.domain.validation import validate_check_in_value


@dataclass(frozen=True)
class ScoredKeyResult:
    """A key result as stored: its target, stored score and weight; for maintain kinds, this cycle's values."""

    id: int
    objective_id: int
    goal: Target
    score: float
    weight: float = 1.0
    archived: bool = False
    cycle_values: tuple[float, ...] = ()


@dataclass(frozen=True)
class ScoreChange:
    """One key result's or objective's score before and after."""

    id: int
    score_before: float | None
    score: float | None


@dataclass(frozen=True)
class WhatIf:
    """Every key result given a value, and every objective whose score would change (deepest first)."""

    key_results: tuple[ScoreChange, ...]
    objectives: tuple[ScoreChange, ...]


def hypothetical_score(key_result: ScoredKeyResult, value: float) -> float:
    """The score a key result would have after a check-in of `value`."""
    if key_result.goal.kind in MAINTAIN_KINDS:
        return key_result_score(key_result.goal, value, (*key_result.cycle_values, value))
    return key_result_score(key_result.goal, value)


def what_if(
    objectives: Mapping[int, AlignedObjective],
    key_results: Iterable[ScoredKeyResult],
    values: Mapping[int, float],
    settled: Mapping[int, float | None] | None = None,
    waiting: Collection[int] = frozenset(),
) -> WhatIf:
    """The scores with `values` (key result id -> value) in place of the key results' current values.

    `objectives` and `key_results` are the stored tree (or the part of it around the key results asked about, with
    `settled` the stored scores of the objectives whose inputs were not read, as `roll_up` takes them); `waiting`
    holds the objectives whose cycle has not started (`rollup.not_started`), left out of their parent's mean.
    """
    by_id = {kr.id: kr for kr in key_results}
    after_scores: dict[int, float] = {}
    for kr_id, value in values.items():
        kr = by_id.get(kr_id)
        if kr is None:
            raise NotFound("key_result.not_found", field="values", id=kr_id)
        if kr.archived:
            raise ValidationError("key_result.archived", field="values", id=kr_id)
        after_scores[kr_id] = hypothetical_score(kr, validate_check_in_value(kr.goal.kind, value))
    before = roll_up(objectives, _pairs(by_id.values(), {}), settled, waiting)
    after = roll_up(objectives, _pairs(by_id.values(), after_scores), settled, waiting)
    changed = [i for i in objectives if before.get(i) != after.get(i)]
    changed.sort(key=lambda i: (-_depth(objectives, i), i))
    return WhatIf(
        key_results=tuple(ScoreChange(i, by_id[i].score, score) for i, score in after_scores.items()),
        objectives=tuple(ScoreChange(i, before.get(i), after.get(i)) for i in changed),
    )


def _pairs(key_results: Iterable[ScoredKeyResult], scores: Mapping[int, float]) -> dict[int, list[tuple[float, float]]]:
    """(score, weight) of each objective's key results that are not archived, with `scores` where given."""
    pairs: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for kr in key_results:
        if not kr.archived:
            pairs[kr.objective_id].append((scores.get(kr.id, kr.score), kr.weight))
    return pairs


def _depth(objectives: Mapping[int, AlignedObjective], objective_id: int) -> int:
    """How many ancestors an objective has in the tree given (a loop counts once round)."""
    seen = {objective_id}
    parent = objectives[objective_id].parent_id
    while parent is not None and parent in objectives and parent not in seen:
        seen.add(parent)
        parent = objectives[parent].parent_id
    return len(seen) - 1
