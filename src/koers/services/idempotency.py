"""Idempotency keys: a retried POST with the same key records nothing new and answers as the first time."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from koers.domain.errors import Conflict, ValidationError
from koers.storage.unit_of_work import UnitOfWork

MAX_KEY_LENGTH = 200


def check_key(key: str) -> str:
    """A usable key: printable, at most 200 characters."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError("idempotency.key_invalid", field="Idempotency-Key", max=MAX_KEY_LENGTH)
    return key


def replay(uow: UnitOfWork, user_id: int, key: str, endpoint: str) -> tuple[int, Any] | None:
    """The stored answer for this user's key, or None when the key is new."""
    row = uow.idempotency_keys.find(user_id, key)
    if row is None:
        return None
    if row["endpoint"] != endpoint:
        raise Conflict("idempotency.key_reused", key=key, endpoint=row["endpoint"])
    return row["status"], json.loads(row["response"])


def remember(uow: UnitOfWork, user_id: int, key: str, endpoint: str, status: int, body: Any) -> None:
    """Store the answer in the same transaction as the change it describes."""
    uow.idempotency_keys.add(user_id, key, endpoint, status, json.dumps(body, default=str), datetime.now(UTC))
