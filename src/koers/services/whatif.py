"""What-if: the scores key results and objectives would have with other values, up the alignment tree. Nothing is
stored: the unit of work only reads.

The tree is read around the key results asked about, a level at a time: their objectives, the objectives above them
(`ancestors`) and, settled at their stored score, the objectives aligned beside them. `domain.whatif.what_if` scores
it with `rollup.roll_up`, the function behind the stored scores, with the same `not_started` objectives left out of
their parent's mean as `scores.refresh_objectives`.

Objectives of a closed cycle keep their stored score (a check-in elsewhere never moves them either), unless a value
asked about belongs to that cycle: then the question is how that cycle would have ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from koers.domain import model
from koers.domain.errors import NotFound, ValidationError
from koers.domain.rollup import not_started
from koers.domain.scoring import MAINTAIN_KINDS
from koers.domain.validation import validate_check_in_value
from koers.domain.whatif import ScoredKeyResult, what_if
from koers.services.permissions import can_see_objective
from koers.services.scores import cycle_values, target_of
from koers.storage.unit_of_work import UnitOfWork

MAX_VALUES = 100  # key results in one question


@dataclass(frozen=True)
class Change:
    """A key result's or objective's score before and after, with its title."""

    id: int
    title: str
    score_before: float | None
    score: float | None


@dataclass(frozen=True)
class WhatIfAnswer:
    """Every key result given a value, and every objective the caller may see whose score would change."""

    key_results: list[Change]
    objectives: list[Change]


def what_if_values(uow: UnitOfWork, values: Mapping[int, float], today: date | None = None) -> WhatIfAnswer:
    """The scores with `values` (key result id -> value) in place of the key results' current values.

    A key result the actor may not see is NotFound (its existence does not leak); objectives the actor may not see
    are left out of the answer (they still count in the scores above them, as they do in the stored ones).
    """
    today = today or date.today()
    if not values:
        raise ValidationError("what_if.no_values", field="values")
    if len(values) > MAX_VALUES:
        raise ValidationError("what_if.too_many_values", field="values", max=MAX_VALUES)
    asked = {kr.id: kr for kr in uow.key_results.list_for("id", values)}
    owners = {o.id: o for o in uow.objectives.list_for("id", [kr.objective_id for kr in asked.values()])}
    for kr_id in sorted(values):
        kr = asked.get(kr_id)
        if kr is None or not can_see_objective(uow.actor, owners[kr.objective_id]):
            raise NotFound("key_result.not_found", field=f"values.{kr_id}", id=kr_id)
        if kr.archived:
            raise ValidationError("key_result.archived", field=f"values.{kr_id}", id=kr_id)
        try:
            validate_check_in_value(kr.kind, values[kr_id])
        except ValidationError as error:
            error.field = f"values.{kr_id}"
            raise

    chain = ancestors(uow, owners.values())
    cycles = {c.id: c for c in uow.cycles.list()}
    asked_cycles = {owners[kr.objective_id].cycle_id for kr in asked.values()}
    frozen = {i for i, o in chain.items() if cycles[o.cycle_id].status == "closed" and o.cycle_id not in asked_cycles}
    scored = [i for i in chain if i not in frozen]
    nodes = uow.bulk.objective_tree(around=chain)
    settled = {i: node.score for i, node in nodes.items() if i not in scored}
    key_results = {kr.id: kr for kr in uow.key_results.list_for("objective_id", scored, include_archived=False)}
    key_results.update(asked)
    scored_krs = [
        _scored(uow, kr, cycles[chain[kr.objective_id].cycle_id], kr.id in asked) for kr in key_results.values()
    ]
    result = what_if(nodes, scored_krs, dict(values), settled, not_started(nodes, today))
    visible = {i for i, o in chain.items() if can_see_objective(uow.actor, o)}
    return WhatIfAnswer(
        key_results=[Change(c.id, asked[c.id].title, c.score_before, c.score) for c in result.key_results],
        objectives=[
            Change(c.id, chain[c.id].title, c.score_before, c.score) for c in result.objectives if c.id in visible
        ],
    )


def ancestors(uow: UnitOfWork, objectives: Iterable[model.Objective]) -> dict[int, model.Objective]:
    """These objectives and every objective above them: one query per level of the tree (a loop stops)."""
    found: dict[int, model.Objective] = {o.id: o for o in objectives if o.id is not None}
    frontier = {o.parent_id for o in found.values()} - set(found) - {None}
    while frontier:
        above = uow.objectives.list_for("id", frontier)
        found.update((o.id, o) for o in above if o.id is not None)
        frontier = {o.parent_id for o in above} - set(found) - {None}
    return found


def _scored(uow: UnitOfWork, kr: model.KeyResult, cycle: model.Cycle, asked: bool) -> ScoredKeyResult:
    """A key result as the what-if needs it; one asked about of the maintain kinds with this cycle's values."""
    assert kr.id is not None
    values = tuple(cycle_values(uow, kr, cycle)) if asked and kr.kind in MAINTAIN_KINDS else ()
    return ScoredKeyResult(kr.id, kr.objective_id, target_of(kr), kr.score, kr.weight, kr.archived, values)
