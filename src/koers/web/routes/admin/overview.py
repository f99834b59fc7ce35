"""The admin overview, and what makes every admin page admin-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain import model
from koers.http.deps import KoersDep
from koers.http.errors import status_of
from koers.services.permissions import require_admin
from koers.storage.unit_of_work import UnitOfWork
from koers.web.flow import Build, form_page
from koers.web.forms import Entered, Reader

router = APIRouter(include_in_schema=False)
T = TypeVar("T")
P = ParamSpec("P")


def admin_page(
    request: Request, koers: KoersDep, viewer: model.User, template: str, build: Build, back: str = "/admin"
) -> Response:
    """An admin page for admins; a 403 page for everyone else (404, back to `back`, when its record is gone)."""

    def checked(uow: UnitOfWork) -> dict[str, Any]:
        require_admin(uow, "admin_only.manage_koers")
        return build(uow)

    return form_page(request, koers, viewer, template, checked, lambda error: back if status_of(error) == 404 else "/")


def admin_only(code: str, change: Callable[Concatenate[UnitOfWork, P], T]) -> Callable[Concatenate[UnitOfWork, P], T]:
    """A change only admins may make: PermissionDenied (`code`) for everyone else, before it reads anything."""

    def checked(uow: UnitOfWork, /, *args: P.args, **kwargs: P.kwargs) -> T:
        require_admin(uow, code)
        return change(uow, *args, **kwargs)

    return checked


@router.get("/admin")
def overview(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        users = uow.users.list()
        counts = {
            "users": sum(1 for u in users if u.active),
            "teams": len(uow.teams.list()),
            "cycles": len(uow.cycles.list()),
        }
        return {"form": Entered(), "counts": counts}

    return admin_page(request, koers, viewer, "admin/index.html", build)
