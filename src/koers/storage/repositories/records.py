"""Repositories of records kept beside the data: the audit trail and idempotency keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from koers.storage import tables as t

Row = dict[str, Any]


class AuditLog:
    """The append-only audit trail."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def append(self, **values: Any) -> None:
        """Append one entry (at, actor_id, action, entity, entity_id, before, after)."""
        self.connection.execute(insert(t.audit_log).values(values))

    def entries(
        self,
        entity: str | None = None,
        entity_id: int | None = None,
        actor_id: int | None = None,
        after_id: int | None = None,
        limit: int = 100,
    ) -> list[Row]:
        """Entries newest first, filtered by entity, record or actor; `after_id` pages backwards."""
        a = t.audit_log.c
        query = select(t.audit_log).order_by(a.id.desc()).limit(limit)
        if entity is not None:
            query = query.where(a.entity == entity)
        if entity_id is not None:
            query = query.where(a.entity_id == entity_id)
        if actor_id is not None:
            query = query.where(a.actor_id == actor_id)
        if after_id is not None:
            query = query.where(a.id < after_id)
        return [dict(row._mapping) for row in self.connection.execute(query)]


class IdempotencyKeys:
    """Stored answers to POSTs sent with an Idempotency-Key."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def find(self, user_id: int, key: str) -> Row | None:
        """The stored answer of this user's key, or None."""
        c = t.idempotency_keys.c
        row = self.connection.execute(select(t.idempotency_keys).where(c.user_id == user_id, c.key == key)).first()
        return None if row is None else dict(row._mapping)

    def add(self, user_id: int, key: str, endpoint: str, status: int, response: str, created_at: datetime) -> None:
        """Store an answer."""
        values = {
            "user_id": user_id,
            "key": key,
            "endpoint": endpoint,
            "status": status,
            "response": response,
            "created_at": created_at,
        }
        self.connection.execute(insert(t.idempotency_keys).values(values))
