"""The audit trail: who changed what, when (UTC), with the values before and after. Append-only."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import UTC, date, datetime
from typing import Any

from koers.storage.unit_of_work import UnitOfWork

SECRET_FIELDS = frozenset({"password_hash", "token_hash", "password"})


def snapshot(entity: Any) -> dict[str, Any] | None:
    """The recordable fields of an entity (never secrets)."""
    if entity is None:
        return None
    data = asdict(entity) if is_dataclass(entity) and not isinstance(entity, type) else dict(entity)
    return {k: v for k, v in data.items() if k not in SECRET_FIELDS}


def record(
    uow: UnitOfWork, action: str, entity: str, entity_id: int | None, before: Any = None, after: Any = None
) -> None:
    """Append one audit entry for a change made in this unit of work, by its actor."""
    uow.audit_log.append(
        at=datetime.now(UTC),
        actor_id=None if uow.actor is None else uow.actor.id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=_dump(snapshot(before)),
        after=_dump(snapshot(after)),
    )


def _dump(data: dict[str, Any] | None) -> str | None:
    return None if data is None else json.dumps(data, default=_encode, ensure_ascii=False, sort_keys=True)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot record {type(value).__name__}")


def entries(
    uow: UnitOfWork,
    entity: str | None = None,
    entity_id: int | None = None,
    actor_id: int | None = None,
    after_id: int | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Audit entries, newest first, filtered by entity, record or actor; `after_id` pages backwards."""
    return [
        {
            "id": row["id"],
            "at": row["at"].isoformat(),
            "actor_id": row["actor_id"],
            "action": row["action"],
            "entity": row["entity"],
            "entity_id": row["entity_id"],
            "before": None if row["before"] is None else json.loads(row["before"]),
            "after": None if row["after"] is None else json.loads(row["after"]),
        }
        for row in uow.audit_log.entries(entity, entity_id, actor_id, after_id, limit)
    ]
