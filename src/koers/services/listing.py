"""Listing records for the API and web: filters named after fields, cursor pagination, visibility."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, false, or_, select, true

from koers.domain.errors import ValidationError
from koers.services.permissions import is_admin
from koers.storage import repositories as r
from koers.storage import tables as t
from koers.storage.unit_of_work import UnitOfWork

E = TypeVar("E")
MAX_LIMIT = 500


@dataclass(frozen=True)
class Page(Generic[E]):
    """One page of records and the cursor of the next (None on the last page)."""

    items: list[E]
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    """An opaque cursor after the record with this id."""
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id a cursor points after; a clear error for a cursor Koers did not make."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = text.partition(":")
        if prefix == "after" and number.isdigit():
            return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ValidationError("cursor is not one this server handed out", field="cursor", location="query")


def visible_objectives_clause(uow: UnitOfWork) -> ColumnElement[bool]:
    """SQL for the objectives the actor may see."""
    actor = uow.actor
    if is_admin(actor):
        return true()
    assert actor is not None
    o = t.objectives.c
    return or_(
        o.visibility == "public",
        o.team_id.in_(actor.team_ids) if actor.team_ids else false(),
        o.owner_id == actor.id,
    )


def page(
    uow: UnitOfWork,
    repository: r.Repository[E],
    filters: Mapping[str, Any],
    cursor: str | None = None,
    limit: int = 100,
    include_archived: bool = False,
) -> Page[E]:
    """A page of `repository`'s records in id order, filtered by field = value and by what the actor may see."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}", field="limit", location="query")
    table = repository.table
    query: Select[Any] = select(table)
    for name, value in filters.items():
        if value is not None:
            query = query.where(table.c[name] == value)
    if "archived" in table.c and not include_archived:
        query = query.where(table.c.archived.is_(False))
    query = _only_visible(uow, query, table.name)
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(table.c.id > after)
    rows = list(uow.connection.execute(query.order_by(table.c.id).limit(limit + 1)))
    items = repository.complete([repository._to_entity(row) for row in rows[:limit]])
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return Page(items, next_cursor)


def _only_visible(uow: UnitOfWork, query: Select[Any], table: str) -> Select[Any]:
    if is_admin(uow.actor):
        return query
    visible = select(t.objectives.c.id).where(visible_objectives_clause(uow))
    if table == "objectives":
        return query.where(visible_objectives_clause(uow))
    if table == "key_results":
        return query.where(t.key_results.c.objective_id.in_(visible))
    if table == "initiatives":
        visible_krs = select(t.key_results.c.id).where(t.key_results.c.objective_id.in_(visible))
        return query.where(
            or_(t.initiatives.c.objective_id.in_(visible), t.initiatives.c.key_result_id.in_(visible_krs))
        )
    return query
