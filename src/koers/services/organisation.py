"""Use cases for teams, users and cycles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from koers.domain import grading, model
from koers.domain.errors import Conflict, ValidationError
from koers.domain.validation import validate_cycle, validate_cycle_close, validate_team, validate_user
from koers.services import audit, webhooks
from koers.services.changes import apply_changes
from koers.services.permissions import is_admin, require, require_admin
from koers.services.scores import refresh_cycle
from koers.storage.unit_of_work import UnitOfWork

TEAM_FIELDS = ("name", "parent_id", "lead_id")
USER_FIELDS = ("name", "role", "locale", "team_ids")
CYCLE_FIELDS = ("name", "start_date", "end_date", "status")


def create_team(uow: UnitOfWork, name: str, parent_id: int | None = None, lead_id: int | None = None) -> model.Team:
    """A new team, optionally under a parent team and with a lead."""
    require_admin(uow, "admin_only.create_teams")
    team = model.Team(name=name, parent_id=parent_id, lead_id=lead_id)
    _check_team(uow, team)
    uow.teams.add(team)
    audit.record(uow, "create", "team", team.id, None, team)
    return team


def update_team(uow: UnitOfWork, team_id: int, changes: Mapping[str, Any], version: int | None = None) -> model.Team:
    """Rename, move or give a team a new lead."""
    require_admin(uow, "admin_only.change_teams")
    team = uow.teams.get(team_id)
    before = replace(team)
    apply_changes(team, changes, TEAM_FIELDS)
    _check_team(uow, team)
    uow.teams.update(team, version)
    audit.record(uow, "update", "team", team_id, before, team)
    return team


def archive_team(uow: UnitOfWork, team_id: int) -> model.Team:
    """Hide a team from lists; its objectives and history stay."""
    require_admin(uow, "admin_only.archive_teams")
    team = uow.teams.get(team_id)
    before = replace(team)
    team.archived = True
    uow.teams.update(team)
    audit.record(uow, "archive", "team", team_id, before, team)
    return team


def _check_team(uow: UnitOfWork, team: model.Team) -> None:
    validate_team(team)
    existing = [t for t in uow.teams.list(include_archived=True, name=team.name) if t.id != team.id]
    if existing:
        raise Conflict("team.name_taken", field="name", name=team.name)
    if team.lead_id is not None:
        uow.users.get(team.lead_id)
    check_team_tree(uow, team)


def check_team_tree(uow: UnitOfWork, team: model.Team) -> None:
    """A team never sits under one of its own sub-teams (and its parent exists)."""
    parent_id = team.parent_id
    seen = {team.id}
    while parent_id is not None:
        if parent_id in seen:
            raise ValidationError("team.loop", field="parent_id", name=team.name)
        seen.add(parent_id)
        parent_id = uow.teams.get(parent_id).parent_id


def add_user(
    uow: UnitOfWork,
    email: str,
    role: str = "member",
    name: str = "",
    locale: str = "nl",
    team_ids: list[int] | None = None,
    password_hash: str | None = None,
) -> model.User:
    """A new user; the email address must be unique."""
    require_admin(uow, "admin_only.add_users")
    user = model.User(email=normalised_email(email), name=(name or "").strip(), role=role, locale=locale)
    _check_user(uow, user)
    if uow.users.by_email(user.email) is not None:
        raise Conflict("user.email_taken", field="email", email=user.email)
    uow.users.add(user)
    if password_hash is not None:
        uow.users.set_fields(user.id or 0, password_hash=password_hash)
    set_memberships(uow, user, team_ids or [])
    audit.record(uow, "create", "user", user.id, None, user)
    return user


def update_user(uow: UnitOfWork, user_id: int, changes: Mapping[str, Any], version: int | None = None) -> model.User:
    """Change a user's name, role, language or teams (people may change their own name and language)."""
    user = uow.users.get(user_id)
    own = uow.actor is not None and uow.actor.id == user_id
    require(is_admin(uow.actor) or own, "user.change_forbidden", id=user_id)
    before = replace(user)
    apply_changes(user, changes, USER_FIELDS if is_admin(uow.actor) else ("name", "locale"))
    _check_user(uow, user)
    if (
        before.role == "admin"
        and user.role != "admin"
        and not any(u.role == "admin" and u.active and u.id != user_id for u in uow.users.list())
    ):
        raise ValidationError("user.last_admin", field="role")
    uow.users.update(user, version)
    set_memberships(uow, user, user.team_ids)
    audit.record(uow, "update", "user", user_id, before, user)
    return user


def disable_user(uow: UnitOfWork, user_id: int) -> model.User:
    """Disable a user: they can no longer log in and every token of theirs stops working at once."""
    from koers.services.accounts import revoke_all_tokens
    from koers.services.sessions import end_all_sessions

    require_admin(uow, "admin_only.disable_users")
    if uow.actor is not None and uow.actor.id == user_id:
        raise ValidationError("user.disable_self")
    user = uow.users.get(user_id)
    before = replace(user)
    user.active = False
    uow.users.update(user)
    revoke_all_tokens(uow, user_id)
    end_all_sessions(uow, user_id)
    audit.record(uow, "disable", "user", user_id, before, user)
    return user


def enable_user(uow: UnitOfWork, user_id: int) -> model.User:
    """Let a disabled user in again (with their old password; their tokens stay revoked)."""
    require_admin(uow, "admin_only.enable_users")
    user = uow.users.get(user_id)
    before = replace(user)
    if not user.active:
        user.active = True
        uow.users.update(user)
        audit.record(uow, "enable", "user", user_id, before, user)
    return user


def set_memberships(uow: UnitOfWork, user: model.User, team_ids: list[int]) -> None:
    """Replace the teams a user belongs to, refusing unknown teams."""
    for team_id in team_ids:
        uow.teams.get(team_id)
    assert user.id is not None
    uow.users.set_teams(user.id, team_ids)
    user.team_ids = sorted(set(team_ids))


def normalised_email(email: str) -> str:
    """A valid address, trimmed and lower-cased; ValidationError otherwise."""
    cleaned = (email or "").strip()
    local, _, domain = cleaned.partition("@")
    if not local or "." not in domain or " " in cleaned or len(cleaned) > 320:
        raise ValidationError("user.email_invalid", field="email", email=email)
    return cleaned.lower()


def _check_user(uow: UnitOfWork, user: model.User) -> None:
    validate_user(user)


def create_cycle(uow: UnitOfWork, name: str, start_date: date, end_date: date, status: str = "active") -> model.Cycle:
    """A new time box; names are unique (`2026-Q4`, `2026`)."""
    require_admin(uow, "admin_only.create_cycles")
    if status == "closed":
        raise ValidationError("cycle.create_closed", field="status")
    cycle = model.Cycle(name=name, start_date=start_date, end_date=end_date, status=status)
    validate_cycle(cycle)
    if uow.cycles.by_name(cycle.name) is not None:
        raise Conflict("cycle.name_taken", field="name", name=cycle.name)
    uow.cycles.add(cycle)
    audit.record(uow, "create", "cycle", cycle.id, None, cycle)
    return cycle


def update_cycle(uow: UnitOfWork, cycle_id: int, changes: Mapping[str, Any], version: int | None = None) -> model.Cycle:
    """Rename a cycle, move its dates, or move it between planning and active."""
    require_admin(uow, "admin_only.change_cycles")
    cycle = uow.cycles.get(cycle_id)
    before = replace(cycle)
    if cycle.status == "closed":
        raise ValidationError("cycle.closed_frozen", name=cycle.name)
    if changes.get("status") == "closed":
        raise ValidationError("cycle.close_separately", field="status")
    apply_changes(cycle, changes, CYCLE_FIELDS)
    validate_cycle(cycle)
    other = uow.cycles.by_name(cycle.name)
    if other is not None and other.id != cycle.id:
        raise Conflict("cycle.name_taken", field="name", name=cycle.name)
    uow.cycles.update(cycle, version)
    if (cycle.status, cycle.start_date) != (before.status, before.start_date):
        refresh_cycle(uow, cycle_id)  # its objectives may start or stop counting in their parents' means
    audit.record(uow, "update", "cycle", cycle_id, before, cycle)
    return cycle


def close_cycle(uow: UnitOfWork, cycle_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Close a cycle: grade every objective (score / 100) and flag goals that were too easy."""
    require_admin(uow, "admin_only.close_cycles")
    cycle = uow.cycles.get(cycle_id)
    before = replace(cycle)
    validate_cycle_close(cycle)  # not closed already, and not still being planned
    cycle.status = "closed"
    cycle.closed_at = now or datetime.now(UTC)
    uow.cycles.update(cycle)
    graded = []
    aspirational_by_team: dict[int | None, list[float]] = {}
    for objective in uow.objectives.list(cycle_id=cycle_id):
        assert objective.id is not None
        value = grading.grade(objective.score)
        uow.objectives.set_fields(objective.id, grade=value)
        graded.append(
            {
                "objective_id": objective.id,
                "title": objective.title,
                "grade": value,
                "colour": grading.grade_colour(value),
                "too_easy": grading.too_easy_objective(objective.type, value),
            }
        )
        if objective.type == "aspirational":
            scores = [s for s, _ in uow.key_results.scores_and_weights(objective.id)]
            aspirational_by_team.setdefault(objective.team_id, []).extend(scores)
    too_easy_teams = [team for team, scores in aspirational_by_team.items() if grading.too_easy_team(scores)]
    audit.record(uow, "close", "cycle", cycle_id, before, cycle)
    webhooks.cycle_closed(uow, cycle, graded)  # the outbox (issue 11)
    return {"cycle": cycle, "grades": graded, "too_easy_team_ids": too_easy_teams}
