"""Carrying an unfinished objective over into another cycle: a copy that starts where the original ended.

The copy keeps the original's texts, level, type, team, owner and visibility, and `carried_from_id` names the
original (which may be in a closed cycle: that is the point). Its key results keep their kinds, targets, units,
weights, owners, KPI links, cadence and plan shape; each copy's baseline is the last value of the original (its
stored `current`, else its baseline).

Choices, each for a reason:
- the copy stays aligned under the original's parent only when that parent is in the target cycle, not archived
  and visible to the caller; otherwise it is aligned under nothing (a parent in another cycle would tie two cycles'
  scores together, and aligning under a closed cycle's objective is refused anyway);
- a key result that already reached its target (an increase, decrease or milestone at 100) is done and not carried
  over: as a baseline its last value would equal or pass the target, which no key result of those kinds may have;
- a plan of dated points belongs to the original's cycle: the copy keeps the plan's shape only when it has no points
  (linear, back_loaded, s_curve), and is linear otherwise.
"""

from __future__ import annotations

from koers.domain import model
from koers.domain.errors import ValidationError
from koers.services.objectives import create_key_result, create_objective
from koers.services.permissions import can_see_objective, visible_objective
from koers.storage.unit_of_work import UnitOfWork

DONE_AT_100 = ("increase", "decrease", "milestone")  # kinds whose last value at the target leaves nothing to do


def carry_over(uow: UnitOfWork, objective_id: int, cycle_id: int) -> model.Objective:
    """A copy of the objective and its open key results in cycle `cycle_id`, which must not be closed."""
    original = visible_objective(uow, objective_id)
    cycle = uow.cycles.get(cycle_id)
    if cycle.status == "closed":
        raise ValidationError("objective.cycle_closed", field="cycle_id", name=cycle.name)
    if cycle.id == original.cycle_id:
        raise ValidationError("carry_over.same_cycle", field="cycle_id", name=cycle.name)
    copy = model.Objective(
        title=original.title,
        cycle_id=cycle_id,
        level=original.level,
        type=original.type,
        description=original.description,
        team_id=original.team_id,
        owner_id=original.owner_id,
        parent_id=_parent_in(uow, original, cycle_id),
        visibility=original.visibility,
        carried_from_id=original.id,
    )
    create_objective(uow, copy)  # checks that the caller may create objectives for this team, and audits
    assert copy.id is not None
    for kr in uow.key_results.list(objective_id=objective_id):
        if kr.kind in DONE_AT_100 and kr.score >= 100.0:
            continue
        create_key_result(uow, _carried_key_result(kr, copy.id))
    return copy


def _parent_in(uow: UnitOfWork, original: model.Objective, cycle_id: int) -> int | None:
    """The original's parent when it is in the target cycle, not archived and visible to the caller; else None."""
    if original.parent_id is None:
        return None
    parent = uow.objectives.find(original.parent_id)
    if parent is None or parent.archived or parent.cycle_id != cycle_id or not can_see_objective(uow.actor, parent):
        return None
    return parent.id


def _carried_key_result(kr: model.KeyResult, objective_id: int) -> model.KeyResult:
    """The key result for the copy: the same goal, starting from the original's last value."""
    last = kr.current if kr.current is not None else kr.baseline
    plan = kr.plan if kr.plan is not None and kr.plan.get("shape") != "points" else None
    return model.KeyResult(
        objective_id=objective_id,
        title=kr.title,
        kind=kr.kind,
        unit=kr.unit,
        baseline=kr.baseline if kr.kind == "milestone" else last,
        target=kr.target,
        target_low=kr.target_low,
        target_high=kr.target_high,
        weight=kr.weight,
        owner_id=kr.owner_id,
        kpi_id=kr.kpi_id,
        plan=plan,
        cadence_days=kr.cadence_days,
    )
