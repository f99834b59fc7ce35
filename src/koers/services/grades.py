"""Grades set by hand (issue 15): after the close, an admin or the team's lead may override an objective's grade,
with a note; the computed grade (`score / 100` at the close) stays beside it, and the audit trail keeps both."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from koers.domain import model
from koers.domain.errors import ValidationError
from koers.domain.validation import validate_grade_override
from koers.services import audit
from koers.services.permissions import can_override_grade, require, visible_objective
from koers.storage.unit_of_work import UnitOfWork


def may_override_grade(uow: UnitOfWork, objective: model.Objective) -> bool:
    """Whether the actor may override this objective's grade: admins, and the lead of its team."""
    team = None if objective.team_id is None else uow.teams.find(objective.team_id)
    return can_override_grade(uow.actor, team)


def override_grade(
    uow: UnitOfWork, objective_id: int, grade: Any, note: Any, now: datetime | None = None
) -> model.Objective:
    """Set (grade 0.0–1.0 with a note) or remove (grade None) the grade given by hand to a closed cycle's objective."""
    objective = visible_objective(uow, objective_id)
    require(may_override_grade(uow, objective), "grade.override_forbidden", id=objective_id)
    cycle = uow.cycles.get(objective.cycle_id)
    if cycle.status != "closed":
        raise ValidationError("grade.cycle_open", field="grade", id=objective_id, name=cycle.name)
    value, why = validate_grade_override(grade, note)
    before = replace(objective)
    changes: dict[str, Any] = {
        "grade_override": value,
        "grade_note": why if value is not None else "",
        "grade_overridden_by": None if value is None or uow.actor is None else uow.actor.id,
        "grade_overridden_at": None if value is None else (now or datetime.now(UTC)),
    }
    uow.objectives.set_fields(objective_id, **changes)
    after = replace(objective, **changes)
    audit.record(
        uow, "override_grade" if value is not None else "clear_grade", "objective", objective_id, before, after
    )
    return after


def grade_to_override(uow: UnitOfWork, objective_id: int) -> dict[str, Any]:
    """What the grade form shows: the objective, its cycle and who set the grade by hand; refused like the change
    (a cycle still open is no refusal here: `not_yet` says the grade comes with the close)."""
    objective = visible_objective(uow, objective_id)
    require(may_override_grade(uow, objective), "grade.override_forbidden", id=objective_id)
    cycle = uow.cycles.get(objective.cycle_id)
    not_yet = None
    if cycle.status != "closed":
        not_yet = ValidationError("grade.cycle_open", field="grade", id=objective_id, name=cycle.name)
    by = None if objective.grade_overridden_by is None else uow.users.find(objective.grade_overridden_by)
    name = None if by is None else (by.name or by.email)
    return {"objective": objective, "cycle": cycle, "overridden_by": name, "not_yet": not_yet}
