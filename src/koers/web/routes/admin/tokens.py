"""Everyone's own API tokens: create one (shown once), see them, revoke them."""

from __future__ import annotations

from datetime import UTC, datetime, time

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain import model
from koers.http.deps import KoersDep
from koers.services import accounts
from koers.storage.unit_of_work import UnitOfWork
from koers.web.flow import act, save
from koers.web.forms import Entered, Reader, Typed, Writer
from koers.web.rendering import render

router = APIRouter(include_in_schema=False)
EMPTY = {"name": "", "expires": ""}


def _page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered, created: str = "") -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        tokens = accounts.tokens_of(uow, viewer.id or 0)
    now = datetime.now(UTC)
    listed = [(token, _state(token, now)) for token in tokens]
    return render(request, "admin/tokens.html", {"form": entered, "tokens": listed, "created": created}, entered.status)


def _state(token: accounts.TokenInfo, now: datetime) -> str:
    if token.revoked_at is not None:
        return "revoked"
    expires = token.expires_at
    if expires is not None and (expires if expires.tzinfo else expires.replace(tzinfo=UTC)) <= now:
        return "expired"
    return "live"


@router.get("/admin/tokens")
def tokens(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    return _page(request, koers, viewer, Entered(dict(EMPTY)))


@router.post("/admin/tokens")
def create_token(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    """A new token, shown on this answer only (it is stored hashed): no redirect, so nothing keeps it around."""
    entered = Entered.read(form, tuple(EMPTY))
    expires = entered.day("expires")

    def change(uow: UnitOfWork) -> str:
        until = datetime.combine(expires, time.max, tzinfo=UTC) if expires else None
        secret, _info = accounts.create_token(uow, user.id or 0, str(entered.values.get("name", "")), until)
        return secret

    created = save(koers, user, entered, change, {"expires_at": "expires"})
    if created is None:
        return _page(request, koers, user, entered)
    return _page(request, koers, user, Entered(dict(EMPTY)), created)


@router.post("/admin/tokens/{token_id:int}/revoke")
def revoke_token(request: Request, koers: KoersDep, user: Writer, token_id: int) -> Response:
    return act(request, koers, user, lambda uow: accounts.revoke_token(uow, token_id), "/admin/tokens", "/admin/tokens")
