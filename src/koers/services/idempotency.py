"""Idempotency keys: a retried POST with the same key records nothing new and answers as the first time."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select

from koers.domain.errors import Conflict, ValidationError
from koers.storage import tables as t
from koers.storage.unit_of_work import UnitOfWork

MAX_KEY_LENGTH = 200


def check_key(key: str) -> str:
    """A usable key: printable, at most 200 characters."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError(
            f"Idempotency-Key must be 1–{MAX_KEY_LENGTH} printable characters", field="Idempotency-Key"
        )
    return key


def replay(uow: UnitOfWork, user_id: int, key: str, endpoint: str) -> tuple[int, Any] | None:
    """The stored answer for this user's key, or None when the key is new."""
    c = t.idempotency_keys.c
    row = uow.connection.execute(select(t.idempotency_keys).where(c.user_id == user_id, c.key == key)).first()
    if row is None:
        return None
    if row.endpoint != endpoint:
        raise Conflict(f"Idempotency-Key {key!r} was already used for another request ({row.endpoint})")
    return row.status, json.loads(row.response)


def remember(uow: UnitOfWork, user_id: int, key: str, endpoint: str, status: int, body: Any) -> None:
    """Store the answer in the same transaction as the change it describes."""
    uow.connection.execute(
        insert(t.idempotency_keys).values(
            user_id=user_id,
            key=key,
            endpoint=endpoint,
            status=status,
            response=json.dumps(body, default=str),
            created_at=datetime.now(UTC),
        )
    )
