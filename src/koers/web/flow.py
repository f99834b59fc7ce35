"""One create/edit/archive flow for every editor and admin page.

A form page reads what it shows in one read-only unit of work as the viewer; a save runs the service in a unit of
work as the user and redirects after success, or shows the form again with what was typed and the error next to its
field; a button (archive, disable, revoke) changes one thing and goes on, or says plainly why not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from koers.domain import model
from koers.domain.errors import KoersError
from koers.http.deps import KoersDep
from koers.http.errors import status_of
from koers.storage.unit_of_work import UnitOfWork
from koers.web.forms import Entered
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.wording import localise

T = TypeVar("T")
Options = list[tuple[str, str]]
Build = Callable[[UnitOfWork], dict[str, Any]]
Back = str | Callable[[KoersError], str]


def refused(request: Request, error: KoersError, back: str = "/") -> Response:
    """A plain page for a request that cannot even show its form (not allowed, or gone)."""
    status = status_of(error)
    titles = {403: _("Not allowed"), 404: _("Page not found")}
    message = localise(error)
    page = {"title": titles.get(status, _("Not saved")), "message": message[:1].upper() + message[1:], "back": back}
    return render(request, "message.html", page, status)


def see_other(url: str) -> Response:
    """After a successful change: the browser loads the next page with a GET."""
    return RedirectResponse(url, status_code=303)


def form_page(
    request: Request, koers: KoersDep, viewer: model.User, template: str, build: Build, back: Back = "/"
) -> Response:
    """A form's page, built from what the viewer may see (its "form" is the Entered shown); a refusal otherwise."""
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            context = build(uow)
    except KoersError as error:
        return refused(request, error, back(error) if callable(back) else back)
    form: Entered = context["form"]
    return render(request, template, context, form.status)


def save(
    koers: KoersDep,
    user: model.User,
    entered: Entered,
    change: Callable[[UnitOfWork], T],
    aliases: Mapping[str, str] | None = None,
) -> T | None:
    """Run a form's change as the user unless the typing was wrong; None, with the error kept, when it fails."""

    def run() -> T:
        with koers.uow(actor=user) as uow:
            return change(uow)

    return entered.attempt(run, aliases)


def submit(
    koers: KoersDep,
    user: model.User,
    entered: Entered,
    change: Callable[[UnitOfWork], T],
    then: Callable[[T], str],
    again: Callable[[], Response],
    aliases: Mapping[str, str] | None = None,
) -> Response:
    """Save a form and go to the next page, or show the form again with what was typed and why it failed."""
    done = save(koers, user, entered, change, aliases)
    return again() if done is None else see_other(then(done))


def saved_then(url: str, saved_id: int | None) -> str:
    """The next form's address after "save and add another", naming the record just saved (`?saved=ID`)."""
    return f"{url}?saved={saved_id}" if saved_id else url


def saved_notice(title: str | None, first: bool = False) -> str:
    """What "save and add another" confirms on the next, empty form: the title saved, and what comes next."""
    if title is None:
        return ""
    if first:
        return _("Saved: ‘%(title)s’. Now add its first key result.") % {"title": title}
    return _("Saved: ‘%(title)s’. Add the next one.") % {"title": title}


def edit(
    koers: KoersDep,
    user: model.User,
    form: FormData,
    fields: Iterable[str],
    changes: Callable[[Entered], dict[str, Any]],
    service: Callable[[UnitOfWork, int, dict[str, Any], int | None], T],
    record_id: int,
    then: Callable[[T], str],
    again: Callable[[Entered], Response],
    aliases: Mapping[str, str] | None = None,
    lists: Iterable[str] = (),
) -> Response:
    """Save an edit form: the sent fields changed by `service`, refused when someone saved since it was loaded."""
    entered = Entered.read(form, fields, lists)
    version = entered.ident("version")
    sent = changes(entered)

    def change(uow: UnitOfWork) -> T:
        return service(uow, record_id, sent, version)

    return submit(koers, user, entered, change, then, lambda: again(entered), aliases)


def act(
    request: Request,
    koers: KoersDep,
    user: model.User,
    change: Callable[[UnitOfWork], T],
    then: str | Callable[[T], str],
    back: str = "/",
) -> Response:
    """A button that changes one thing (archive, disable, revoke): the next page, or a plain page saying why not."""
    try:
        with koers.uow(actor=user) as uow:
            done = change(uow)
    except KoersError as error:
        return refused(request, error, back)
    return see_other(then(done) if callable(then) else then)


# --- the options of the selects that several forms share ------------------------------------------------------


def team_tree(teams: list[model.Team]) -> list[tuple[model.Team, int]]:
    """Teams in tree order with their depth (orphans of an archived parent at the top level)."""
    known = {team.id for team in teams}
    children: dict[int | None, list[model.Team]] = {}
    for team in teams:
        parent = team.parent_id if team.parent_id in known else None
        children.setdefault(parent, []).append(team)
    ordered: list[tuple[model.Team, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for team in sorted(children.get(parent, []), key=lambda t: t.name.lower()):
            ordered.append((team, depth))
            walk(team.id, depth + 1)

    walk(None, 0)
    return ordered


def team_options(uow: UnitOfWork) -> Options:
    """Every team, indented under its parent."""
    return [(str(team.id), "\u2003" * depth + team.name) for team, depth in team_tree(uow.teams.list())]


def people_options(uow: UnitOfWork) -> Options:
    """Everyone who can still log in."""
    people = sorted((u for u in uow.users.list() if u.active), key=lambda u: (u.name or u.email).lower())
    return [(str(u.id), u.name or u.email) for u in people]
