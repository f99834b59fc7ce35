"""API dependencies: the current user from a bearer token, and units of work as that user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from koers.domain.model import User
from koers.http.deps import KoersDep
from koers.services.accounts import Unauthenticated, touch_token, user_for_token
from koers.storage.unit_of_work import UnitOfWork

bearer = HTTPBearer(
    auto_error=False, description="An API token from `koers token create EMAIL` or POST /api/v1/auth/login."
)


def current_user(koers: KoersDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> User:
    """The user a valid bearer token belongs to; 401 otherwise."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("token.missing")
    with koers.uow(read_only=True) as uow:
        user, stale_token = user_for_token(uow, credentials.credentials)
    if stale_token is not None:
        with koers.uow() as uow:
            touch_token(uow, stale_token)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def reader(koers: KoersDep, user: CurrentUser) -> Iterator[UnitOfWork]:
    """A read-only unit of work acting as the current user."""
    with koers.uow(read_only=True, actor=user) as uow:
        yield uow


ReadUow = Annotated[UnitOfWork, Depends(reader)]
