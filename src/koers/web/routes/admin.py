"""Admin pages: users, teams and memberships, cycles; and everyone's own API tokens.

Admins only (the services refuse everyone else with PermissionDenied, shown as a 403 page), except the tokens page,
where every logged-in person manages their own tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.api.deps import KoersDep
from koers.domain import model
from koers.domain.errors import KoersError
from koers.services import accounts, organisation
from koers.services.passwords import hash_password
from koers.services.permissions import require_admin
from koers.storage.unit_of_work import UnitOfWork
from koers.web.rendering import render
from koers.web.routes.editors import (
    Entered,
    Reader,
    Typed,
    Writer,
    filled,
    people_options,
    refused,
    see_other,
    team_options,
    team_tree,
)

router = APIRouter(include_in_schema=False)
USER_FORM = ("email", "name", "role", "locale", "password")
USER_EDIT_FORM = ("name", "role", "locale", "version")
TEAM_FORM = ("name", "parent_id", "lead_id", "version")
CYCLE_FORM = ("name", "start_date", "end_date", "status", "version")


def _admin_page(
    request: Request,
    koers: KoersDep,
    viewer: model.User,
    template: str,
    build: Callable[[UnitOfWork], dict[str, Any]],
    status: int = 200,
) -> Response:
    """Render an admin page when the viewer is an admin; a 403 page otherwise (404 when its record is gone)."""
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            require_admin(uow, "manage Koers")
            context = build(uow)
    except KoersError as error:
        return refused(request, error, "/admin" if error.status == 404 else "/")
    return render(request, template, context, status)


def _as_admin(koers: KoersDep, user: model.User, what: str, change: Callable[[UnitOfWork], Any]) -> Any:
    """Make a change as an admin; PermissionDenied for everyone else, before anything is read from the form."""
    with koers.uow(actor=user) as uow:
        require_admin(uow, what)
        return change(uow)


@router.get("/admin")
def overview(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        users = uow.users.list()
        counts = {
            "users": sum(1 for u in users if u.active),
            "teams": len(uow.teams.list()),
            "cycles": len(uow.cycles.list()),
        }
        return {"counts": counts}

    return _admin_page(request, koers, viewer, "admin/index.html", build)


# --- users ------------------------------------------------------------------------------------------------------


def _users_page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        names = {team.id: team.name for team in uow.teams.list(include_archived=True)}
        users = sorted(uow.users.list(), key=lambda u: (not u.active, (u.name or u.email).lower()))
        people = [(u, [names.get(t, "") for t in u.team_ids]) for u in users]
        return {"form": entered, "people": people, "teams": team_options(uow)}

    return _admin_page(request, koers, viewer, "admin/users.html", build, entered.status)


@router.get("/admin/users")
def users(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    values = {"email": "", "name": "", "role": "member", "locale": viewer.locale, "team_ids": []}
    return _users_page(request, koers, viewer, Entered(values))


@router.post("/admin/users")
def add_user(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, USER_FORM, lists=("team_ids",))
    team_ids = entered.ids("team_ids")
    password = entered.values.pop("password", "")
    entered.values["password"] = ""  # never sent back to the browser

    def change(uow: UnitOfWork) -> model.User:
        details = entered.text("email", "role", "name", "locale")
        return organisation.add_user(uow, **details, team_ids=team_ids, password_hash=hash_password(password))

    if entered.attempt(lambda: _as_admin(koers, user, "add users", change)) is None:
        return _users_page(request, koers, user, entered)
    return see_other("/admin/users")


def _user_page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered, user_id: int) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        return {"form": entered, "person": uow.users.get(user_id), "teams": team_options(uow)}

    return _admin_page(request, koers, viewer, "admin/user.html", build, entered.status)


@router.get("/admin/users/{user_id:int}")
def user(request: Request, koers: KoersDep, viewer: Reader, user_id: int) -> Response:
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            person = uow.users.get(user_id)
    except KoersError as error:
        return refused(request, error, "/admin/users")
    values = filled(person, USER_EDIT_FORM) | {"team_ids": [str(t) for t in person.team_ids]}
    return _user_page(request, koers, viewer, Entered(values), user_id)


@router.post("/admin/users/{user_id:int}")
def update_user(request: Request, koers: KoersDep, user: Writer, form: Typed, user_id: int) -> Response:
    entered = Entered.read(form, USER_EDIT_FORM, lists=("team_ids",))
    version = entered.ident("version")
    changes: dict[str, Any] = entered.text("name", "role", "locale")
    if "team_ids" in entered.values:
        changes["team_ids"] = entered.ids("team_ids")

    def change(uow: UnitOfWork) -> model.User:
        return organisation.update_user(uow, user_id, changes, version)

    if entered.attempt(lambda: _as_admin(koers, user, "change users", change)) is None:
        return _user_page(request, koers, user, entered, user_id)
    return see_other("/admin/users")


@router.post("/admin/users/{user_id:int}/disable")
def disable_user(request: Request, koers: KoersDep, user: Writer, user_id: int) -> Response:
    try:
        with koers.uow(actor=user) as uow:
            organisation.disable_user(uow, user_id)
    except KoersError as error:
        return refused(request, error, "/admin/users")
    return see_other("/admin/users")


# --- teams ------------------------------------------------------------------------------------------------------


def _teams_page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        names = {u.id: u.name or u.email for u in uow.users.list()}
        members: dict[int, int] = {}
        for person in uow.users.list():
            for team_id in person.team_ids:
                members[team_id] = members.get(team_id, 0) + 1
        tree = [
            (team, depth, names.get(team.lead_id), members.get(team.id or 0, 0))
            for team, depth in team_tree(uow.teams.list())
        ]
        return {"form": entered, "tree": tree, "teams": team_options(uow), "people": people_options(uow)}

    return _admin_page(request, koers, viewer, "admin/teams.html", build, entered.status)


@router.get("/admin/teams")
def teams(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    return _teams_page(request, koers, viewer, Entered({"name": "", "parent_id": "", "lead_id": ""}))


@router.post("/admin/teams")
def add_team(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, TEAM_FORM)
    parent_id, lead_id = entered.ident("parent_id"), entered.ident("lead_id")

    def change(uow: UnitOfWork) -> model.Team:
        return organisation.create_team(uow, str(entered.values.get("name", "")), parent_id, lead_id)

    if entered.attempt(lambda: _as_admin(koers, user, "create teams", change)) is None:
        return _teams_page(request, koers, user, entered)
    return see_other("/admin/teams")


def _team_page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered, team_id: int) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        team = uow.teams.get(team_id)
        own_branch: set[str] = set()  # the team and its sub-teams: never its own parent
        depth_of_team: int | None = None
        for other, depth in team_tree(uow.teams.list()):
            if other.id == team_id:
                depth_of_team = depth
            elif depth_of_team is not None and depth <= depth_of_team:
                depth_of_team = None
            if depth_of_team is not None:
                own_branch.add(str(other.id))
        parents = [(value, name) for value, name in team_options(uow) if value not in own_branch]
        return {"form": entered, "team": team, "teams": parents, "people": people_options(uow)}

    return _admin_page(request, koers, viewer, "admin/team.html", build, entered.status)


@router.get("/admin/teams/{team_id:int}")
def team(request: Request, koers: KoersDep, viewer: Reader, team_id: int) -> Response:
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            found = uow.teams.get(team_id)
    except KoersError as error:
        return refused(request, error, "/admin/teams")
    return _team_page(request, koers, viewer, Entered(filled(found, TEAM_FORM)), team_id)


@router.post("/admin/teams/{team_id:int}")
def update_team(request: Request, koers: KoersDep, user: Writer, form: Typed, team_id: int) -> Response:
    entered = Entered.read(form, TEAM_FORM)
    version = entered.ident("version")
    changes = entered.text("name") | entered.choices("parent_id", "lead_id")

    def change(uow: UnitOfWork) -> model.Team:
        return organisation.update_team(uow, team_id, changes, version)

    if entered.attempt(lambda: _as_admin(koers, user, "change teams", change)) is None:
        return _team_page(request, koers, user, entered, team_id)
    return see_other("/admin/teams")


@router.post("/admin/teams/{team_id:int}/archive")
def archive_team(request: Request, koers: KoersDep, user: Writer, team_id: int) -> Response:
    try:
        with koers.uow(actor=user) as uow:
            organisation.archive_team(uow, team_id)
    except KoersError as error:
        return refused(request, error, "/admin/teams")
    return see_other("/admin/teams")


# --- cycles -----------------------------------------------------------------------------------------------------


def _cycles_page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        cycles = sorted(uow.cycles.list(), key=lambda c: (c.start_date, c.end_date), reverse=True)
        return {"form": entered, "cycles": cycles}

    return _admin_page(request, koers, viewer, "admin/cycles.html", build, entered.status)


@router.get("/admin/cycles")
def cycles(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    values = {"name": "", "start_date": "", "end_date": "", "status": "planning"}
    return _cycles_page(request, koers, viewer, Entered(values))


def _cycle_changes(entered: Entered) -> dict[str, Any]:
    changes: dict[str, Any] = entered.text("name", "status")
    for name in ("start_date", "end_date"):
        if name in entered.values:
            changes[name] = entered.day(name, required=True)
    return changes


@router.post("/admin/cycles")
def add_cycle(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, CYCLE_FORM)
    for name in ("start_date", "end_date"):
        entered.values.setdefault(name, "")
    changes = _cycle_changes(entered)

    def change(uow: UnitOfWork) -> model.Cycle:
        return organisation.create_cycle(uow, **{"name": "", "status": "active"} | changes)

    if entered.attempt(lambda: _as_admin(koers, user, "create cycles", change)) is None:
        return _cycles_page(request, koers, user, entered)
    return see_other("/admin/cycles")


def _cycle_page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered, cycle_id: int) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        return {"form": entered, "cycle": uow.cycles.get(cycle_id)}

    return _admin_page(request, koers, viewer, "admin/cycle.html", build, entered.status)


@router.get("/admin/cycles/{cycle_id:int}")
def cycle(request: Request, koers: KoersDep, viewer: Reader, cycle_id: int) -> Response:
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            found = uow.cycles.get(cycle_id)
    except KoersError as error:
        return refused(request, error, "/admin/cycles")
    return _cycle_page(request, koers, viewer, Entered(filled(found, CYCLE_FORM)), cycle_id)


@router.post("/admin/cycles/{cycle_id:int}")
def update_cycle(request: Request, koers: KoersDep, user: Writer, form: Typed, cycle_id: int) -> Response:
    entered = Entered.read(form, CYCLE_FORM)
    version = entered.ident("version")
    changes = _cycle_changes(entered)

    def change(uow: UnitOfWork) -> model.Cycle:
        return organisation.update_cycle(uow, cycle_id, changes, version)

    if entered.attempt(lambda: _as_admin(koers, user, "change cycles", change)) is None:
        return _cycle_page(request, koers, user, entered, cycle_id)
    return see_other("/admin/cycles")


# --- API tokens: everyone's own -----------------------------------------------------------------------------------


def _tokens_page(
    request: Request, koers: KoersDep, viewer: model.User, entered: Entered, created: str = ""
) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        tokens = accounts.tokens_of(uow, viewer.id or 0)
    now = datetime.now(UTC)
    listed = [(token, _token_state(token, now)) for token in tokens]
    return render(request, "admin/tokens.html", {"form": entered, "tokens": listed, "created": created}, entered.status)


def _token_state(token: accounts.TokenInfo, now: datetime) -> str:
    if token.revoked_at is not None:
        return "revoked"
    expires = token.expires_at
    if expires is not None and (expires if expires.tzinfo else expires.replace(tzinfo=UTC)) <= now:
        return "expired"
    return "live"


@router.get("/admin/tokens")
def tokens(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    return _tokens_page(request, koers, viewer, Entered({"name": "", "expires": ""}))


@router.post("/admin/tokens")
def create_token(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    """A new token, shown on this answer only (it is stored hashed): no redirect, so nothing keeps it around."""
    entered = Entered.read(form, ("name", "expires"))
    expires = entered.day("expires")

    def change() -> str:
        with koers.uow(actor=user) as uow:
            until = datetime.combine(expires, time.max, tzinfo=UTC) if expires else None
            secret, _info = accounts.create_token(uow, user.id or 0, str(entered.values.get("name", "")), until)
            return secret

    created = entered.attempt(change, {"expires_at": "expires"})
    if created is None:
        return _tokens_page(request, koers, user, entered)
    return _tokens_page(request, koers, user, Entered({"name": "", "expires": ""}), created)


@router.post("/admin/tokens/{token_id:int}/revoke")
def revoke_token(request: Request, koers: KoersDep, user: Writer, token_id: int) -> Response:
    try:
        with koers.uow(actor=user) as uow:
            accounts.revoke_token(uow, token_id)
    except KoersError as error:
        return refused(request, error, "/admin/tokens")
    return see_other("/admin/tokens")
