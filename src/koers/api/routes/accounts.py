"""Logging in for a token, creating, listing and revoking tokens."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import HTTPAuthorizationCredentials

from koers.api import schemas as s
from koers.api.deps import CurrentUser, KoersDep, ReadUow, bearer
from koers.api.routes.resources import ERRORS, ResourceId
from koers.http.errors import PROBLEM
from koers.services import accounts

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
def login(koers: KoersDep, request: Request, body: s.Login) -> dict[str, Any]:
    client = request.client.host if request.client else ""
    with koers.uow(read_only=True) as uow:
        user = accounts.login(uow, body.email, body.password, request.app.state.login_throttle, client)
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
