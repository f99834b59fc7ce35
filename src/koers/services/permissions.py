"""Permission checks that need the unit of work, built on the pure predicates of `koers.domain.permissions`.

Objects a user may not see answer NotFound, never PermissionDenied, so their existence does not leak.
"""

from __future__ import annotations

from typing import Any

from koers.domain import model
from koers.domain.errors import NotFound, PermissionDenied
from koers.domain.permissions import (
    can_check_in,
    can_edit_initiative,
    can_edit_key_result,
    can_edit_kpi,
    can_edit_objective,
    can_override_grade,
    can_see_objective,
    is_admin,
    is_mine,
)
from koers.storage.unit_of_work import UnitOfWork

__all__ = [
    "can_check_in",
    "can_edit_initiative",
    "can_edit_key_result",
    "can_edit_kpi",
    "can_edit_objective",
    "can_override_grade",
    "can_see_objective",
    "is_admin",
    "is_mine",
    "require",
    "require_admin",
    "visible_key_result",
    "visible_objective",
]


def require(allowed: bool, code: str, **params: Any) -> None:
    """Refuse with PermissionDenied (a message code and its parameters) when not allowed."""
    if not allowed:
        raise PermissionDenied(code, **params)


def require_admin(uow: UnitOfWork, code: str) -> None:
    """Only admins (and the system) may do this; `code` is an "admin_only.*" message code."""
    require(is_admin(uow.actor), code)


def visible_objective(uow: UnitOfWork, objective_id: int) -> model.Objective:
    """The objective, or NotFound when it does not exist or the actor may not see it."""
    objective = uow.objectives.get(objective_id)
    if not can_see_objective(uow.actor, objective):
        raise NotFound("objective.not_found", id=objective_id)
    return objective


def visible_key_result(uow: UnitOfWork, kr_id: int) -> tuple[model.KeyResult, model.Objective]:
    """The key result and its objective, or NotFound when the actor may not see them."""
    kr = uow.key_results.get(kr_id)
    objective = uow.objectives.get(kr.objective_id)
    if not can_see_objective(uow.actor, objective):
        raise NotFound("key_result.not_found", id=kr_id)
    return kr, objective
