"""Objective scores over the alignment tree (SPEC §3), children before parents, in one pass.

An objective's score comes from its key results that are not archived or, with none, from the objectives aligned
under it that are not archived and whose cycle has started (`scoring.objective_score`, `scoring.cycle_has_started`;
an objective of a cycle not started still gets its own score, it only does not count above). The stored scores (services/scores.py) and the what-if
(domain/whatif.py) both roll up through `roll_up`, so the two can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import date
from typing import Protocol

from koers.domain.scoring import cycle_has_started, objective_score


class AlignedObjective(Protocol):
    """What the roll-up needs of an objective (storage's `ObjectiveNode` is one)."""

    @property
    def id(self) -> int: ...

    @property
    def parent_id(self) -> int | None: ...

    @property
    def archived(self) -> bool: ...


class DatedObjective(AlignedObjective, Protocol):
    """An objective with its cycle's status and start date (storage's `ObjectiveNode` is one)."""

    @property
    def cycle_status(self) -> str: ...

    @property
    def cycle_start(self) -> date | None: ...


def not_started(objectives: Mapping[int, DatedObjective], today: date) -> frozenset[int]:
    """The objectives whose cycle has not started on `today` (planning, or starting later): `roll_up` leaves them
    out of their parent's mean."""
    return frozenset(
        node.id for node in objectives.values() if not cycle_has_started(node.cycle_status, node.cycle_start, today)
    )


def roll_up(
    objectives: Mapping[int, AlignedObjective],
    key_results: Mapping[int, list[tuple[float, float]]],
    settled: Mapping[int, float | None] | None = None,
    waiting: Collection[int] = frozenset(),
) -> dict[int, float | None]:
    """Every objective's score from the (score, weight) pairs of its key results that are not archived.

    `waiting` objectives (`not_started`: their cycle has not started) are scored but left out of their parent's
    mean, like aligned objectives without a score. `settled` objectives keep the score given (their inputs were not
    read); a loop the database should never hold scores None instead of recursing forever.
    """
    children: dict[int, list[int]] = defaultdict(list)
    for node in objectives.values():
        if node.parent_id is not None and not node.archived and node.id not in waiting:
            children[node.parent_id].append(node.id)
    scores: dict[int, float | None] = dict(settled or {})

    def score_of(objective_id: int, path: frozenset[int]) -> float | None:
        if objective_id in scores:
            return scores[objective_id]
        if objective_id in path:
            return None
        aligned = [score_of(child, path | {objective_id}) for child in children[objective_id]]
        scores[objective_id] = objective_score(key_results.get(objective_id, []), aligned)
        return scores[objective_id]

    for objective_id in objectives:
        score_of(objective_id, frozenset())
    return scores
