"""Logging in for a token, creating, listing and revoking tokens."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import HTTPAuthorizationCredentials

from koers.api import schemas as s
from koers.api.deps import CurrentUser, KoersDep, ReadUow, bearer
from koers.api.routes.resources import ERRORS, ResourceId
from koers.http.deps import ClientAddress
from koers.http.errors import PROBLEM
from koers.services import accounts, invitations, organisation, reminders
from koers.services import login as logins

router = APIRouter(tags=["accounts"], responses=ERRORS)
LOGIN_TOKEN_LIFETIME = timedelta(days=30)


@router.post(
    "/auth/login",
    response_model=s.TokenCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Exchange email and password for an API token (30 days)",
    operation_id="login",
    responses={
        429: {
            "description": "Too many failed logins; see Retry-After.",
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
        }
    },
)
def login(koers: KoersDep, request: Request, client: ClientAddress, body: s.Login) -> dict[str, Any]:
    user = logins.log_in(koers.uow, body.email, body.password, request.app.state.login_throttle, client)
    with koers.uow(actor=user) as uow:
        token, info = accounts.create_token(uow, user.id or 0, "login", datetime.now(UTC) + LOGIN_TOKEN_LIFETIME)
    return {**info.__dict__, "token": token}


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke the token of this request",
    operation_id="logout",
)
def logout(
    koers: KoersDep, user: CurrentUser, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    assert credentials is not None
    with koers.uow(actor=user) as uow:
        for info in accounts.tokens_of(uow, user.id or 0):
            if info.revoked_at is None and accounts.matches(uow, info.id, credentials.credentials):
                accounts.revoke_token(uow, info.id)


@router.get(
    "/tokens",
    response_model=list[s.TokenPublic],
    summary="Your tokens (never their secrets)",
    operation_id="list_tokens",
)
def list_tokens(uow: ReadUow, user: CurrentUser) -> list[dict[str, Any]]:
    return [info.__dict__ for info in accounts.tokens_of(uow, user.id or 0)]


@router.post(
    "/tokens",
    response_model=s.TokenCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Create a token, shown once",
    operation_id="create_token",
)
def create_token(koers: KoersDep, user: CurrentUser, body: s.TokenCreate) -> dict[str, Any]:
    with koers.uow(actor=user) as uow:
        token, info = accounts.create_token(uow, body.user_id or user.id or 0, body.name, body.expires_at)
    return {**info.__dict__, "token": token}


@router.delete(
    "/tokens/{record_id}", response_model=s.TokenPublic, summary="Revoke a token", operation_id="revoke_token"
)
def revoke_token(koers: KoersDep, user: CurrentUser, record_id: ResourceId) -> dict[str, Any]:
    with koers.uow(actor=user) as uow:
        return accounts.revoke_token(uow, record_id).__dict__


# --- passwords, enabling users, invitations ---


@router.put(
    "/users/{record_id}/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Set someone's password (admins); ends their sessions and revokes their tokens",
    operation_id="set_password",
)
def set_password(koers: KoersDep, user: CurrentUser, record_id: ResourceId, body: s.PasswordSet) -> None:
    with koers.uow(actor=user) as uow:
        accounts.set_password(uow, record_id, body.password)


@router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change your own password (with the current one); ends your web sessions",
    operation_id="change_password",
    responses={429: {"description": "Too many wrong current passwords; see Retry-After."}},
)
def change_password(
    koers: KoersDep, request: Request, user: CurrentUser, client: ClientAddress, body: s.PasswordChange
) -> None:
    throttle = request.app.state.login_throttle
    logins.change_password(koers.uow, user, body.current_password, body.new_password, throttle, client)


@router.post(
    "/users/{record_id}/enable",
    response_model=s.UserPublic,
    summary="Let a disabled user in again (admins)",
    operation_id="enable_user",
)
def enable_user(koers: KoersDep, user: CurrentUser, record_id: ResourceId) -> Any:
    with koers.uow(actor=user) as uow:
        return organisation.enable_user(uow, record_id)


@router.post(
    "/invitations",
    response_model=s.InvitationCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Invite someone (admins): a single-use link, valid 7 days, to choose a password",
    operation_id="create_invitation",
)
def create_invitation(koers: KoersDep, request: Request, user: CurrentUser, body: s.InvitationCreate) -> dict[str, Any]:
    with koers.uow(actor=user) as uow:
        token, info = invitations.invite(uow, body.email, body.name, body.role, list(body.team_ids))
    base = koers.settings.base_url or str(request.base_url).rstrip("/")
    url = f"{base}{invitations.INVITE_PATH}{token}"
    reminders.send_invitation_mail(koers.settings, koers.uow, info.id, info.email, url, user.name or user.email)
    return {**info.__dict__, "token": token, "url": url}


@router.get(
    "/invitations",
    response_model=list[s.InvitationPublic],
    summary="Invitations that can still be used (admins; never their tokens)",
    operation_id="list_invitations",
)
def list_invitations(uow: ReadUow, user: CurrentUser) -> list[dict[str, Any]]:
    return [info.__dict__ for info in invitations.pending(uow)]
