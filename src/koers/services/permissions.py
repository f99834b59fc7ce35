"""Who may see and change what (SECURITY.md): everyone reads everything public, people change what is theirs.

`uow.actor` is the acting user; None is the system itself (CLI, demo, import) and may do everything.
Objects a user may not see answer NotFound, never PermissionDenied, so their existence does not leak.
"""

from __future__ import annotations

from koers.domain import model
from koers.domain.errors import NotFound, PermissionDenied
from koers.storage.unit_of_work import UnitOfWork


def is_admin(actor: model.User | None) -> bool:
    """The system and admins may do everything."""
    return actor is None or actor.role == "admin"


def can_see_objective(actor: model.User | None, objective: model.Objective) -> bool:
    """Public objectives for everyone; `team` objectives for that team's members, their owner and admins."""
    if objective.visibility == "public" or is_admin(actor):
        return True
    assert actor is not None
    return objective.team_id in actor.team_ids or objective.owner_id == actor.id


def can_edit_objective(actor: model.User | None, objective: model.Objective) -> bool:
    """Admins, the owner, and members of the objective's team."""
    if is_admin(actor):
        return True
    assert actor is not None
    return objective.owner_id == actor.id or (objective.team_id is not None and objective.team_id in actor.team_ids)


def can_edit_key_result(actor: model.User | None, kr: model.KeyResult, objective: model.Objective) -> bool:
    """Whoever may edit its objective, and the key result's owner."""
    return can_edit_objective(actor, objective) or (actor is not None and kr.owner_id == actor.id)


def can_check_in(actor: model.User | None, kr: model.KeyResult, objective: model.Objective) -> bool:
    """Admins, the key result's owner, and members of its objective's team."""
    if is_admin(actor):
        return True
    assert actor is not None
    return kr.owner_id == actor.id or (objective.team_id is not None and objective.team_id in actor.team_ids)


def can_edit_kpi(actor: model.User | None, kpi: model.Kpi) -> bool:
    """Admins, the KPI's owner, and members of its team."""
    if is_admin(actor):
        return True
    assert actor is not None
    return kpi.owner_id == actor.id or (kpi.team_id is not None and kpi.team_id in actor.team_ids)


def require(allowed: bool, message: str) -> None:
    """Refuse with PermissionDenied (403) when not allowed."""
    if not allowed:
        raise PermissionDenied(message)


def require_admin(uow: UnitOfWork, what: str) -> None:
    """Only admins (and the system) may do this."""
    require(is_admin(uow.actor), f"only admins may {what}")


def visible_objective(uow: UnitOfWork, objective_id: int) -> model.Objective:
    """The objective, or NotFound when it does not exist or the actor may not see it."""
    objective = uow.objectives.get(objective_id)
    if not can_see_objective(uow.actor, objective):
        raise NotFound(f"objective {objective_id} does not exist")
    return objective


def visible_key_result(uow: UnitOfWork, kr_id: int) -> tuple[model.KeyResult, model.Objective]:
    """The key result and its objective, or NotFound when the actor may not see them."""
    kr = uow.key_results.get(kr_id)
    objective = uow.objectives.get(kr.objective_id)
    if not can_see_objective(uow.actor, objective):
        raise NotFound(f"key result {kr_id} does not exist")
    return kr, objective
