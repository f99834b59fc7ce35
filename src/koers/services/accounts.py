"""API tokens: ≥128 random bits, stored hashed, shown once, revocable, optionally expiring."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from koers.domain import model
from koers.domain.errors import KoersError, NotFound, ValidationError
from koers.domain.fields import API_TOKEN
from koers.domain.validation import check_field
from koers.services import audit
from koers.services.passwords import hash_password
from koers.services.permissions import is_admin, require, require_admin
from koers.services.sessions import end_all_sessions
from koers.storage.unit_of_work import UnitOfWork

TOKEN_PREFIX = "koers_"


class Unauthenticated(KoersError):
    """No valid credentials."""


class TooManyAttempts(KoersError):
    """Too many failed logins; try again later."""

    def __init__(self, code: str, /, *, retry_after: int, **params: Any) -> None:
        super().__init__(code, **params)
        self.retry_after = retry_after


@dataclass(frozen=True)
class TokenInfo:
    """What is stored about a token (never the token itself)."""

    id: int
    user_id: int
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    uow: UnitOfWork, user_id: int, name: str = "", expires_at: datetime | None = None
) -> tuple[str, TokenInfo]:
    """A new token for a user (admins for anyone, people for themselves); the plain token is returned only here."""
    user = uow.users.get(user_id)
    require(
        is_admin(uow.actor) or (uow.actor is not None and uow.actor.id == user_id),
        "token.for_others",
    )
    if not user.active:
        raise ValidationError("user.disabled", email=user.email)
    now = datetime.now(UTC)
    if expires_at is not None and expires_at <= now:
        raise ValidationError("token.expiry_past", field="expires_at")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    name = check_field(API_TOKEN, "name", name.strip())  # no control characters, as every text (issue 9)
    token_id = uow.api_tokens.add(user_id, name, _digest(token), now, expires_at)
    info = TokenInfo(token_id, user_id, name, now, expires_at, None, None)
    audit.record(uow, "create", "api_token", token_id, None, info)
    return token, info


def tokens_of(uow: UnitOfWork, user_id: int) -> list[TokenInfo]:
    """A user's tokens, newest first (without the secrets)."""
    return [_info(row) for row in uow.api_tokens.of_user(user_id)]


def _info(m: dict[str, Any]) -> TokenInfo:
    return TokenInfo(
        m["id"], m["user_id"], m["name"], m["created_at"], m["expires_at"], m["revoked_at"], m["last_used_at"]
    )


def revoke_all_tokens(uow: UnitOfWork, user_id: int) -> int:
    """Revoke every live token of a user (when they are disabled); returns how many."""
    return uow.api_tokens.revoke_all(user_id, datetime.now(UTC))


def revoke_token(uow: UnitOfWork, token_id: int) -> TokenInfo:
    """Revoke a token at once (admins any, people their own)."""
    row = uow.api_tokens.find(token_id)
    if row is None:
        raise NotFound("token.not_found", id=token_id)
    before = _info(row)
    if not (is_admin(uow.actor) or (uow.actor is not None and uow.actor.id == before.user_id)):
        raise NotFound("token.not_found", id=token_id)
    now = datetime.now(UTC)
    uow.api_tokens.set_fields(token_id, revoked_at=before.revoked_at or now)
    after = TokenInfo(**{**before.__dict__, "revoked_at": before.revoked_at or now})
    audit.record(uow, "revoke", "api_token", token_id, before, after)
    return after


def user_for_token(uow: UnitOfWork, token: str) -> tuple[model.User, int | None]:
    """The active user a valid, unrevoked, unexpired token belongs to, and the token's id when its
    last-use time is worth refreshing (once a minute at most, so reads stay reads); Unauthenticated otherwise."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise Unauthenticated("token.invalid")
    row = uow.api_tokens.by_hash(_digest(token))
    now = datetime.now(UTC)
    if row is None or row["revoked_at"] is not None or (row["expires_at"] is not None and row["expires_at"] <= now):
        raise Unauthenticated("token.invalid")
    user = uow.users.get(row["user_id"])
    if not user.active:
        raise Unauthenticated("token.invalid")
    last_used_at = row["last_used_at"]
    stale = last_used_at is None or (now - last_used_at).total_seconds() > 60
    return user, row["id"] if stale else None


def touch_token(uow: UnitOfWork, token_id: int) -> None:
    """Remember when a token was last used."""
    uow.api_tokens.set_fields(token_id, last_used_at=datetime.now(UTC))


def matches(uow: UnitOfWork, token_id: int, token: str) -> bool:
    """True when `token` is the secret of the stored token `token_id`."""
    row = uow.api_tokens.find(token_id)
    return row is not None and secrets.compare_digest(row["token_hash"], _digest(token))


def set_password(uow: UnitOfWork, user_id: int, password: str) -> model.User:
    """An admin sets (resets) someone's password: every web session of theirs ends and every API token of
    theirs is revoked, since whoever knew the old password may have made them."""
    require_admin(uow, "admin_only.set_passwords")
    user = uow.users.get(user_id)
    own = uow.actor is not None and uow.actor.id == user_id
    store_password(uow, user, password)
    if not own:
        revoke_all_tokens(uow, user_id)
        end_all_sessions(uow, user_id)
    return user


def store_password(uow: UnitOfWork, user: model.User, password: str, keep_session: str | None = None) -> None:
    """Store a new password that meets the policy; the user's other web sessions end (all but `keep_session`)."""
    password_hash = hash_password(password)
    uow.users.set_fields(user.id or 0, password_hash=password_hash)
    end_all_sessions(uow, user.id or 0, keep=keep_session)
    audit.record(uow, "set_password", "user", user.id, None, None)
