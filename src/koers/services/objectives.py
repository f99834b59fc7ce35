"""Use cases for objectives, key results and initiatives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from koers.domain import model
from koers.domain.errors import ValidationError
from koers.domain.plan import parse_plan
from koers.domain.validation import validate_alignment, validate_initiative, validate_key_result, validate_objective
from koers.services import audit
from koers.services.changes import apply_changes
from koers.services.findings import keep_findings
from koers.services.permissions import (
    can_edit_initiative,
    can_edit_key_result,
    can_edit_objective,
    require,
    visible_key_result,
    visible_objective,
)
from koers.services.scores import refresh_key_result, refresh_objectives
from koers.storage.unit_of_work import UnitOfWork

OBJECTIVE_FIELDS = ("title", "description", "level", "type", "team_id", "owner_id", "parent_id", "visibility")
RETROSPECTIVE = "retrospective"  # "what we learned": the one field a closed cycle still takes
KEY_RESULT_FIELDS = (
    "title", "kind", "unit", "baseline", "target", "target_low", "target_high", "weight", "owner_id", "kpi_id",
    "plan", "cadence_days",
)  # fmt: skip
INITIATIVE_FIELDS = ("title", "status", "objective_id", "key_result_id", "owner_id", "due_date")


def create_objective(uow: UnitOfWork, objective: model.Objective) -> model.Objective:
    """A new objective in an open cycle, aligned under its parent when it has one."""
    validate_objective(objective)
    cycle = uow.cycles.get(objective.cycle_id)
    if cycle.status == "closed":
        raise ValidationError("objective.cycle_closed", field="cycle_id", name=cycle.name)
    _check_references(uow, objective)
    if objective.parent_id is not None:
        # Aligning under a closed cycle's objective would change its score.
        require_open_cycle(uow, uow.objectives.get(objective.parent_id), "parent_id")
    require(can_edit_objective(uow.actor, objective), "objective.create_forbidden")
    objective.score = None
    uow.objectives.add(objective)
    refresh_objectives(uow, [objective.parent_id])
    keep_findings(uow, "objective", objective.id, objective.title)
    audit.record(uow, "create", "objective", objective.id, None, objective)
    return objective


def update_objective(
    uow: UnitOfWork, objective_id: int, changes: Mapping[str, Any], version: int | None = None
) -> model.Objective:
    """Edit an objective; changing `parent_id` re-aligns it and rescores both old and new parents."""
    objective = visible_objective(uow, objective_id)
    require(can_edit_objective(uow.actor, objective), "objective.change_forbidden", id=objective_id)
    if set(changes) == {RETROSPECTIVE}:
        return _write_retrospective(uow, objective, changes[RETROSPECTIVE], version)
    require_open_cycle(uow, objective)
    before = replace(objective)
    apply_changes(objective, changes, (*OBJECTIVE_FIELDS, RETROSPECTIVE))
    validate_objective(objective)
    _check_references(uow, objective)
    require_open_cycle(uow, objective, "cycle_id")
    if objective.parent_id is not None and objective.parent_id != before.parent_id:
        # Aligning under a closed cycle's objective would change its score.
        require_open_cycle(uow, uow.objectives.get(objective.parent_id), "parent_id")
    require(can_edit_objective(uow.actor, objective), "objective.team_forbidden")
    uow.objectives.update(objective, version)
    if objective.parent_id != before.parent_id:
        refresh_objectives(uow, [before.parent_id, objective_id])
    keep_findings(uow, "objective", objective_id, objective.title)
    audit.record(uow, "update", "objective", objective_id, before, objective)
    return objective


def _write_retrospective(
    uow: UnitOfWork, objective: model.Objective, text: str, version: int | None
) -> model.Objective:
    """Write "what we learned", in any cycle: a closed cycle's objectives stay read-only apart from this note."""
    before = replace(objective)
    objective.retrospective = text
    validate_objective(objective)
    uow.objectives.update(objective, version)
    audit.record(uow, "update", "objective", objective.id, before, objective)
    return objective


def align_objective(uow: UnitOfWork, objective_id: int, parent_id: int | None) -> model.Objective:
    """Put an objective under a parent (None detaches it)."""
    return update_objective(uow, objective_id, {"parent_id": parent_id})


def archive_objective(uow: UnitOfWork, objective_id: int) -> model.Objective:
    """Take an objective out of every score and list; its history stays."""
    objective = visible_objective(uow, objective_id)
    require(can_edit_objective(uow.actor, objective), "objective.archive_forbidden", id=objective_id)
    require_open_cycle(uow, objective)
    before = replace(objective)
    objective.archived = True
    uow.objectives.update(objective)
    refresh_objectives(uow, [objective.parent_id])
    audit.record(uow, "archive", "objective", objective_id, before, objective)
    return objective


def require_open_cycle(uow: UnitOfWork, objective: model.Objective, field: str | None = None) -> model.Cycle:
    """The objective's cycle; nothing in a closed cycle changes (its objectives, key results, initiatives)."""
    cycle = uow.cycles.get(objective.cycle_id)
    if cycle.status == "closed":
        raise ValidationError("cycle.closed_read_only", field=field, name=cycle.name)
    return cycle


def _check_references(uow: UnitOfWork, objective: model.Objective) -> None:
    if objective.team_id is not None:
        uow.teams.get(objective.team_id)
    if objective.owner_id is not None:
        uow.users.get(objective.owner_id)
    if objective.parent_id is None:
        return
    parent = visible_objective(uow, objective.parent_id)
    ancestors = uow.objectives.parent_chain(parent.id or 0)
    validate_alignment(objective.id, objective.level, objective.parent_id, parent.level, ancestors)


def create_key_result(uow: UnitOfWork, kr: model.KeyResult) -> model.KeyResult:
    """A new key result under an objective; its score starts from the baseline (or its KPI's latest value)."""
    validate_key_result(kr)
    objective = visible_objective(uow, kr.objective_id)
    require(can_edit_objective(uow.actor, objective), "key_result.add_forbidden", id=objective.id)
    cycle = uow.cycles.get(objective.cycle_id)
    if cycle.status == "closed":
        raise ValidationError("key_result.cycle_closed", field="objective_id", name=cycle.name)
    check_plan(kr, cycle)
    _check_kr_references(uow, kr)
    uow.key_results.add(kr)
    refresh_key_result(uow, kr, cycle)
    refresh_objectives(uow, [kr.objective_id])
    keep_findings(uow, "key_result", kr.id, kr.title, kr.kind == "milestone")
    audit.record(uow, "create", "key_result", kr.id, None, kr)
    return kr


def update_key_result(
    uow: UnitOfWork, kr_id: int, changes: Mapping[str, Any], version: int | None = None
) -> model.KeyResult:
    """Edit a key result; its score is recomputed from its history with the new numbers."""
    kr, objective = visible_key_result(uow, kr_id)
    require(can_edit_key_result(uow.actor, kr, objective), "key_result.change_forbidden", id=kr_id)
    cycle = require_open_cycle(uow, objective)
    before = replace(kr)
    apply_changes(kr, changes, KEY_RESULT_FIELDS)
    validate_key_result(kr)
    if "plan" in changes:  # a plan made before the cycle's dates moved stays as it was (its outside points unused)
        check_plan(kr, cycle)
    _check_kr_references(uow, kr)
    if kr.kind == "milestone" and before.kind != "milestone":
        _require_milestone_history(uow, kr_id)
    uow.key_results.update(kr, version)
    refresh_key_result(uow, kr, cycle)
    refresh_objectives(uow, [kr.objective_id])
    keep_findings(uow, "key_result", kr_id, kr.title, kr.kind == "milestone")
    audit.record(uow, "update", "key_result", kr_id, before, kr)
    return kr


def check_plan(kr: model.KeyResult, cycle: model.Cycle) -> None:
    """A key result's plan, read against its cycle (points strictly inside it), in the form it is stored."""
    if kr.plan is not None:
        kr.plan = parse_plan(kr.plan, cycle.start_date, cycle.end_date).as_dict()


def _require_milestone_history(uow: UnitOfWork, kr_id: int) -> None:
    """A key result becomes a milestone only when its check-ins already read as one (0 or 1): check-ins are never
    edited, and a value such as 77 would read as progress 77.0 (score 100)."""
    odd = [v for v in uow.bulk.check_in_values([kr_id]).get(kr_id, []) if v not in (0.0, 1.0)]
    if odd:
        raise ValidationError("key_result.milestone_history", field="kind", value=odd[0])


def archive_key_result(uow: UnitOfWork, kr_id: int) -> model.KeyResult:
    """Take a key result out of its objective's score; its check-ins stay."""
    kr, objective = visible_key_result(uow, kr_id)
    require(can_edit_key_result(uow.actor, kr, objective), "key_result.archive_forbidden", id=kr_id)
    require_open_cycle(uow, objective)
    before = replace(kr)
    kr.archived = True
    uow.key_results.update(kr)
    refresh_objectives(uow, [kr.objective_id])
    audit.record(uow, "archive", "key_result", kr_id, before, kr)
    return kr


def _check_kr_references(uow: UnitOfWork, kr: model.KeyResult) -> None:
    if kr.owner_id is not None:
        uow.users.get(kr.owner_id)
    if kr.kpi_id is not None:
        uow.kpis.get(kr.kpi_id)


def create_initiative(uow: UnitOfWork, initiative: model.Initiative) -> model.Initiative:
    """Work that moves an objective or one of its key results."""
    validate_initiative(initiative)
    objective = _check_initiative_references(uow, initiative)
    require(can_edit_objective(uow.actor, objective), "initiative.add_forbidden", id=objective.id)
    require_open_cycle(uow, objective, "objective_id")
    uow.initiatives.add(initiative)
    audit.record(uow, "create", "initiative", initiative.id, None, initiative)
    return initiative


def update_initiative(
    uow: UnitOfWork, initiative_id: int, changes: Mapping[str, Any], version: int | None = None
) -> model.Initiative:
    """Edit an initiative (status, owner, due date...)."""
    initiative = uow.initiatives.get(initiative_id)
    before = replace(initiative)
    _require_initiative_edit(uow, initiative)
    apply_changes(initiative, changes, INITIATIVE_FIELDS)
    validate_initiative(initiative)
    _require_initiative_edit(uow, initiative)
    uow.initiatives.update(initiative, version)
    audit.record(uow, "update", "initiative", initiative_id, before, initiative)
    return initiative


def archive_initiative(uow: UnitOfWork, initiative_id: int) -> model.Initiative:
    """Hide an initiative from lists."""
    initiative = uow.initiatives.get(initiative_id)
    before = replace(initiative)
    _require_initiative_edit(uow, initiative)
    initiative.archived = True
    uow.initiatives.update(initiative)
    audit.record(uow, "archive", "initiative", initiative_id, before, initiative)
    return initiative


def _require_initiative_edit(uow: UnitOfWork, initiative: model.Initiative) -> None:
    objective = _check_initiative_references(uow, initiative)
    require(can_edit_initiative(uow.actor, initiative, objective), "initiative.change_forbidden", id=initiative.id)
    require_open_cycle(uow, objective)


def _check_initiative_references(uow: UnitOfWork, initiative: model.Initiative) -> model.Objective:
    """The objective the initiative serves (directly or through its key result), visible to the actor."""
    if initiative.owner_id is not None:
        uow.users.get(initiative.owner_id)
    if initiative.key_result_id is not None:
        return visible_key_result(uow, initiative.key_result_id)[1]
    return visible_objective(uow, initiative.objective_id or 0)
