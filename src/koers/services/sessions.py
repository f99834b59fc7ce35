"""Web sessions: a new random id at every login, stored hashed, with a CSRF token; logout and disabling end them."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from koers.domain import model
from koers.storage.unit_of_work import UnitOfWork

SESSION_LIFETIME = timedelta(days=14)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start_session(uow: UnitOfWork, user_id: int) -> tuple[str, str]:
    """A new session for a user: (session id for the cookie, CSRF token)."""
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    uow.web_sessions.add(_digest(session_id), user_id, csrf, now, now + SESSION_LIFETIME)
    return session_id, csrf


def session_user(uow: UnitOfWork, session_id: str) -> tuple[model.User, str] | None:
    """The active user and CSRF token of a live session, or None."""
    if not session_id or len(session_id) > 100:
        return None
    row = uow.web_sessions.find(_digest(session_id))
    if row is None or row["expires_at"] <= datetime.now(UTC):
        return None
    user = uow.users.find(row["user_id"])
    if user is None or not user.active:
        return None
    return user, row["csrf_token"]


def end_session(uow: UnitOfWork, session_id: str) -> None:
    """Log out: the session id stops working at once."""
    uow.web_sessions.delete(_digest(session_id))


def end_all_sessions(uow: UnitOfWork, user_id: int, keep: str | None = None) -> None:
    """End every session of a user (when they are disabled, or their password changes: then all but `keep`)."""
    uow.web_sessions.delete_of_user(user_id, None if keep is None else _digest(keep))
