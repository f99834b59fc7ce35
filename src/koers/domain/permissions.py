"""Who may see and change what (SECURITY.md), as pure predicates: everyone reads what is public, people change theirs.

The actor None is the system itself (CLI, demo, import) and may do everything. Storage builds its SQL visibility
filter from `objective_visibility`, the same value `can_see_objective` decides with, so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from koers.domain import model

PUBLIC = "public"


@dataclass(frozen=True)
class Visibility:
    """The objectives someone may see: every one, or the public ones plus those of their teams or owned by them."""

    everything: bool
    team_ids: frozenset[int] = frozenset()
    owner_id: int | None = None

    def admits(self, visibility: str, team_id: int | None, owner_id: int | None) -> bool:
        """True when an objective with these fields is visible."""
        return (
            self.everything
            or visibility == PUBLIC
            or (team_id is not None and team_id in self.team_ids)
            or (owner_id is not None and owner_id == self.owner_id)
        )


def is_admin(actor: model.User | None) -> bool:
    """The system and admins may do everything."""
    return actor is None or actor.role == "admin"


def objective_visibility(actor: model.User | None) -> Visibility:
    """What the actor may see of the objectives."""
    if is_admin(actor):
        return Visibility(everything=True)
    assert actor is not None
    return Visibility(everything=False, team_ids=frozenset(actor.team_ids), owner_id=actor.id)


def can_see_objective(actor: model.User | None, objective: model.Objective) -> bool:
    """Public objectives for everyone; `team` objectives for that team's members, their owner and admins."""
    return objective_visibility(actor).admits(objective.visibility, objective.team_id, objective.owner_id)


def _in_team(actor: model.User, team_id: int | None) -> bool:
    return team_id is not None and team_id in actor.team_ids


def can_edit_objective(actor: model.User | None, objective: model.Objective) -> bool:
    """Admins, the owner, and members of the objective's team."""
    if is_admin(actor):
        return True
    assert actor is not None
    return objective.owner_id == actor.id or _in_team(actor, objective.team_id)


def can_override_grade(actor: model.User | None, team: model.Team | None) -> bool:
    """Admins, and the lead of the objective's team (`team` None: a whole-organisation objective, admins only)."""
    if is_admin(actor):
        return True
    assert actor is not None
    return team is not None and team.lead_id is not None and team.lead_id == actor.id


def can_edit_key_result(actor: model.User | None, kr: model.KeyResult, objective: model.Objective) -> bool:
    """Whoever may edit its objective, and the key result's owner."""
    return can_edit_objective(actor, objective) or (actor is not None and kr.owner_id == actor.id)


def is_mine(user: model.User, kr: model.KeyResult, objective: model.Objective) -> bool:
    """A key result is someone's when they own it or are in its objective's team ('my week')."""
    return kr.owner_id == user.id or _in_team(user, objective.team_id)


def can_check_in(actor: model.User | None, kr: model.KeyResult, objective: model.Objective) -> bool:
    """Admins, the key result's owner, and members of its objective's team."""
    if is_admin(actor):
        return True
    assert actor is not None
    return is_mine(actor, kr, objective)


def can_edit_kpi(actor: model.User | None, kpi: model.Kpi) -> bool:
    """Admins, the KPI's owner, and members of its team."""
    if is_admin(actor):
        return True
    assert actor is not None
    return kpi.owner_id == actor.id or _in_team(actor, kpi.team_id)


def can_edit_initiative(actor: model.User | None, initiative: model.Initiative, objective: model.Objective) -> bool:
    """Whoever may edit the objective it serves (directly or through its key result), and its owner."""
    return can_edit_objective(actor, objective) or (actor is not None and initiative.owner_id == actor.id)
