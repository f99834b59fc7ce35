"""Admin: people, their role, language and teams; adding and disabling them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain import model
from koers.http.deps import KoersDep
from koers.services import accounts, invitations, organisation, reminders
from koers.services.passwords import hash_password
from koers.storage.unit_of_work import UnitOfWork
from koers.web.flow import act, edit, save, see_other, submit, team_options
from koers.web.forms import Entered, Reader, Typed, Writer, filled
from koers.web.routes.admin.overview import admin_only, admin_page

router = APIRouter(include_in_schema=False)
NEW_FORM = ("email", "name", "role", "locale", "password")
FORM = ("name", "role", "locale", "version")


def _changes(entered: Entered) -> dict[str, Any]:
    changes: dict[str, Any] = entered.text("name", "role", "locale")
    if "team_ids" in entered.values:
        changes["team_ids"] = entered.ids("team_ids")
    return changes


def _list_page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        names = {team.id: team.name for team in uow.teams.list(include_archived=True)}
        users = sorted(uow.users.list(), key=lambda u: (not u.active, (u.name or u.email).lower()))
        people = [(u, [names.get(t, "") for t in u.team_ids]) for u in users]
        return {"form": entered, "people": people, "teams": team_options(uow)}

    return admin_page(request, koers, viewer, "admin/users.html", build)


def _page(
    request: Request,
    koers: KoersDep,
    viewer: model.User,
    user_id: int,
    entered: Entered | None,
    password: Entered | None = None,
) -> Response:
    """One person's page: the stored values, or what was typed (`entered`) after a failed save; `password` is the
    set-password form (empty, or with its error)."""

    def build(uow: UnitOfWork) -> dict[str, Any]:
        person = uow.users.get(user_id)
        form = entered or Entered(filled(person, FORM) | {"team_ids": [str(t) for t in person.team_ids]})
        password_form = password or Entered({"password": ""})
        form.status = max(form.status, password_form.status)
        return {"form": form, "password_form": password_form, "person": person, "teams": team_options(uow)}

    return admin_page(request, koers, viewer, "admin/user.html", build, "/admin/users")


@router.get("/admin/users")
def users(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    values = {"email": "", "name": "", "role": "member", "locale": viewer.locale, "team_ids": []}
    return _list_page(request, koers, viewer, Entered(values))


@router.post("/admin/users")
def add_user(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, NEW_FORM, lists=("team_ids",), new=True)
    team_ids = entered.ids("team_ids")
    password = entered.values.pop("password", "")
    entered.values["password"] = ""  # never sent back to the browser

    def change(uow: UnitOfWork) -> model.User:
        details = entered.text("email", "role", "name", "locale")
        return organisation.add_user(uow, **details, team_ids=team_ids, password_hash=hash_password(password))

    return submit(
        koers,
        user,
        entered,
        admin_only("admin_only.add_users", change),
        lambda added: f"/admin/users?added={added.id}#person-{added.id}",  # the list says who was added
        lambda: _list_page(request, koers, user, entered),
    )


@router.get("/admin/users/{user_id:int}")
def person(request: Request, koers: KoersDep, viewer: Reader, user_id: int) -> Response:
    return _page(request, koers, viewer, user_id, None)


@router.post("/admin/users/{user_id:int}")
def update_user(request: Request, koers: KoersDep, user: Writer, form: Typed, user_id: int) -> Response:
    return edit(
        koers,
        user,
        form,
        FORM,
        _changes,
        admin_only("admin_only.change_users", organisation.update_user),
        user_id,
        lambda changed: "/admin/users",
        lambda entered: _page(request, koers, user, user_id, entered),
        lists=("team_ids",),
    )


@router.post("/admin/users/{user_id:int}/disable")
def disable_user(request: Request, koers: KoersDep, user: Writer, user_id: int) -> Response:
    return act(
        request, koers, user, lambda uow: organisation.disable_user(uow, user_id), "/admin/users", "/admin/users"
    )


@router.post("/admin/users/{user_id:int}/enable")
def enable_user(request: Request, koers: KoersDep, user: Writer, user_id: int) -> Response:
    back = f"/admin/users/{user_id}"
    return act(request, koers, user, lambda uow: organisation.enable_user(uow, user_id), back, "/admin/users")


@router.post("/admin/users/{user_id:int}/password")
def set_password(request: Request, koers: KoersDep, user: Writer, form: Typed, user_id: int) -> Response:
    """Set someone's password: their sessions end and their API tokens are revoked (the service decides)."""
    entered = Entered.read(form, ("password",))
    password = str(entered.values.get("password", ""))
    done = save(koers, user, entered, lambda uow: accounts.set_password(uow, user_id, password))
    entered.values["password"] = ""  # never sent back to the browser
    if done is None:
        return _page(request, koers, user, user_id, None, entered)
    return see_other(f"/admin/users/{user_id}?password_set=1")


# --- invitations ---------------------------------------------------------------------------------------------

INVITE_FORM = ("email", "name", "role")


def _invitations_page(
    request: Request, koers: KoersDep, viewer: model.User, entered: Entered, link: str = ""
) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        pending = invitations.pending(uow)
        return {"form": entered, "pending": pending, "teams": team_options(uow), "link": link}

    return admin_page(request, koers, viewer, "admin/invitations.html", build, "/admin/users")


@router.get("/admin/invitations")
def invitations_page(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    return _invitations_page(request, koers, viewer, Entered({"email": "", "name": "", "role": "member"}))


@router.post("/admin/invitations")
def invite(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    """A single-use link, valid for 7 days, shown on this answer only (stored hashed): no redirect."""
    entered = Entered.read(form, INVITE_FORM, lists=("team_ids",))
    team_ids = entered.ids("team_ids")

    def change(uow: UnitOfWork) -> tuple[str, invitations.Invitation]:
        details = entered.text("email", "name", "role")
        return invitations.invite(
            uow, details.get("email", ""), details.get("name", ""), details.get("role", "member"), team_ids
        )

    made = save(koers, user, entered, change)
    if made is None:
        return _invitations_page(request, koers, user, entered)
    token, invitation = made
    base = koers.settings.base_url or str(request.base_url).rstrip("/")
    link = f"{base}{invitations.INVITE_PATH}{token}"
    # mailed too when SMTP is configured (issue 11); the link is shown either way
    reminders.send_invitation_mail(
        koers.settings, koers.uow, invitation.id, invitation.email, link, user.name or user.email
    )
    return _invitations_page(request, koers, user, Entered({"email": "", "name": "", "role": "member"}), link)
