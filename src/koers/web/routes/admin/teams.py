"""Admin: the team tree, its leads, and archiving teams."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain import model
from koers.http.deps import KoersDep
from koers.services import organisation
from koers.storage.unit_of_work import UnitOfWork
from koers.web.flow import Options, act, edit, people_options, submit, team_options, team_tree
from koers.web.forms import Entered, Reader, Typed, Writer, filled
from koers.web.routes.admin.overview import admin_only, admin_page

router = APIRouter(include_in_schema=False)
FORM = ("name", "parent_id", "lead_id", "version")


def _changes(entered: Entered) -> dict[str, Any]:
    return entered.text("name") | entered.choices("parent_id", "lead_id")


def _list_page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered) -> Response:
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

    return admin_page(request, koers, viewer, "admin/teams.html", build)


def _parents(uow: UnitOfWork, team_id: int) -> Options:
    """The teams a team may sit under: every team but itself and its sub-teams."""
    own_branch: set[str] = set()
    depth_of_team: int | None = None
    for other, depth in team_tree(uow.teams.list()):
        if other.id == team_id:
            depth_of_team = depth
        elif depth_of_team is not None and depth <= depth_of_team:
            depth_of_team = None
        if depth_of_team is not None:
            own_branch.add(str(other.id))
    return [(value, name) for value, name in team_options(uow) if value not in own_branch]


def _page(request: Request, koers: KoersDep, viewer: model.User, team_id: int, entered: Entered | None) -> Response:
    """One team's page: the stored values, or what was typed (`entered`) after a failed save."""

    def build(uow: UnitOfWork) -> dict[str, Any]:
        team = uow.teams.get(team_id)
        form = entered or Entered(filled(team, FORM))
        return {"form": form, "team": team, "teams": _parents(uow, team_id), "people": people_options(uow)}

    return admin_page(request, koers, viewer, "admin/team.html", build, "/admin/teams")


@router.get("/admin/teams")
def teams(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    return _list_page(request, koers, viewer, Entered({"name": "", "parent_id": "", "lead_id": ""}))


@router.post("/admin/teams")
def add_team(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, FORM)
    parent_id, lead_id = entered.ident("parent_id"), entered.ident("lead_id")

    def change(uow: UnitOfWork) -> model.Team:
        return organisation.create_team(uow, str(entered.values.get("name", "")), parent_id, lead_id)

    return submit(
        koers,
        user,
        entered,
        admin_only("admin_only.create_teams", change),
        lambda team: f"/admin/teams?added={team.id}#team-{team.id}",  # the list says which team was added
        lambda: _list_page(request, koers, user, entered),
    )


@router.get("/admin/teams/{team_id:int}")
def team(request: Request, koers: KoersDep, viewer: Reader, team_id: int) -> Response:
    return _page(request, koers, viewer, team_id, None)


@router.post("/admin/teams/{team_id:int}")
def update_team(request: Request, koers: KoersDep, user: Writer, form: Typed, team_id: int) -> Response:
    return edit(
        koers,
        user,
        form,
        FORM,
        _changes,
        admin_only("admin_only.change_teams", organisation.update_team),
        team_id,
        lambda team: "/admin/teams",
        lambda entered: _page(request, koers, user, team_id, entered),
    )


@router.post("/admin/teams/{team_id:int}/archive")
def archive_team(request: Request, koers: KoersDep, user: Writer, team_id: int) -> Response:
    return act(
        request, koers, user, lambda uow: organisation.archive_team(uow, team_id), "/admin/teams", "/admin/teams"
    )
