"""Repositories of access: API tokens and web sessions (only hashes of their secrets are stored)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from koers.storage import tables as t

Row = dict[str, Any]


class ApiTokens:
    """Stored API tokens, as rows of plain values."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, user_id: int, name: str, token_hash: str, created_at: datetime, expires_at: datetime | None) -> int:
        """Store a token's hash; its new id."""
        values = {
            "user_id": user_id,
            "name": name,
            "token_hash": token_hash,
            "created_at": created_at,
            "expires_at": expires_at,
        }
        return self.connection.execute(insert(t.api_tokens).values(values)).inserted_primary_key[0]  # type: ignore[index]

    def find(self, token_id: int) -> Row | None:
        """The token with this id, or None."""
        row = self.connection.execute(select(t.api_tokens).where(t.api_tokens.c.id == token_id)).first()
        return None if row is None else dict(row._mapping)

    def by_hash(self, token_hash: str) -> Row | None:
        """The token with this hash, or None."""
        row = self.connection.execute(select(t.api_tokens).where(t.api_tokens.c.token_hash == token_hash)).first()
        return None if row is None else dict(row._mapping)

    def of_user(self, user_id: int) -> list[Row]:
        """A user's tokens, newest first."""
        query = select(t.api_tokens).where(t.api_tokens.c.user_id == user_id).order_by(t.api_tokens.c.id.desc())
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def set_fields(self, token_id: int, **values: Any) -> None:
        """Store `revoked_at` or `last_used_at`."""
        self.connection.execute(update(t.api_tokens).where(t.api_tokens.c.id == token_id).values(values))

    def revoke_all(self, user_id: int, at: datetime) -> int:
        """Revoke every live token of a user; how many."""
        c = t.api_tokens.c
        statement = update(t.api_tokens).where(c.user_id == user_id, c.revoked_at.is_(None)).values(revoked_at=at)
        return self.connection.execute(statement).rowcount


class WebSessions:
    """Stored web sessions, keyed by the hash of their id."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, id_hash: str, user_id: int, csrf_token: str, created_at: datetime, expires_at: datetime) -> None:
        """Store a new session."""
        values = {
            "id_hash": id_hash,
            "user_id": user_id,
            "csrf_token": csrf_token,
            "created_at": created_at,
            "expires_at": expires_at,
        }
        self.connection.execute(insert(t.web_sessions).values(values))

    def find(self, id_hash: str) -> Row | None:
        """The session with this id hash, or None."""
        row = self.connection.execute(select(t.web_sessions).where(t.web_sessions.c.id_hash == id_hash)).first()
        return None if row is None else dict(row._mapping)

    def delete(self, id_hash: str) -> None:
        """End one session."""
        self.connection.execute(delete(t.web_sessions).where(t.web_sessions.c.id_hash == id_hash))

    def delete_of_user(self, user_id: int, keep_hash: str | None = None) -> None:
        """End every session of a user (but the one with `keep_hash`, when given)."""
        statement = delete(t.web_sessions).where(t.web_sessions.c.user_id == user_id)
        if keep_hash is not None:
            statement = statement.where(t.web_sessions.c.id_hash != keep_hash)
        self.connection.execute(statement)
