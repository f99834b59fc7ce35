"""Idempotency keys: a retried POST with the same key records nothing new and answers as the first time.

The key is bound to its request: the endpoint, and a fingerprint of the body (SHA-256 of its canonical JSON),
stored together in the `endpoint` column as `endpoint#fingerprint`. The same key with another body is refused
(422, as the IETF draft "The Idempotency-Key HTTP Header Field" says) instead of replaying an answer to a request
that was never made.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from koers.domain.errors import Conflict, ValidationError
from koers.storage.unit_of_work import UnitOfWork

MAX_KEY_LENGTH = 200
SEPARATOR = "#"


def check_key(key: str) -> str:
    """A usable key: printable, at most 200 characters."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError("idempotency.key_invalid", field="Idempotency-Key", max=MAX_KEY_LENGTH)
    return key


def fingerprint(body: Any) -> str:
    """The fingerprint of a request body: the same for the same values, whatever their order or spacing."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(uow: UnitOfWork, user_id: int, key: str, endpoint: str, body: str = "") -> tuple[int, Any] | None:
    """The stored answer for this user's key and this request's `body` fingerprint, or None when the key is new."""
    row = uow.idempotency_keys.find(user_id, key)
    if row is None:
        return None
    stored_endpoint, _, stored_body = str(row["endpoint"]).partition(SEPARATOR)
    if stored_endpoint != endpoint:
        raise Conflict("idempotency.key_reused", key=key, endpoint=stored_endpoint)
    if stored_body and stored_body != body:  # keys stored before fingerprints existed have none: replay them
        raise ValidationError("idempotency.key_body_changed", field="Idempotency-Key", location="header", key=key)
    return row["status"], json.loads(row["response"])


def remember(uow: UnitOfWork, user_id: int, key: str, endpoint: str, status: int, answer: Any, body: str = "") -> None:
    """Store the answer, with the request's fingerprint, in the same transaction as the change it describes."""
    bound = f"{endpoint}{SEPARATOR}{body}" if body else endpoint
    uow.idempotency_keys.add(user_id, key, bound, status, json.dumps(answer, default=str), datetime.now(UTC))
