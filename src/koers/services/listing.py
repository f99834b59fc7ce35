"""Listing records for the API and web: filters named after fields, cursor pagination, visibility."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from koers.domain.errors import ValidationError
from koers.domain.fields import MAX_ID
from koers.domain.permissions import objective_visibility
from koers.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from koers.storage.repositories import Repository

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
    """The id a cursor points after; a clear error for a cursor Koers did not make (or an id no database holds)."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = text.partition(":")
        if prefix == "after" and number.isascii() and number.isdigit() and 1 <= int(number) <= MAX_ID:
            return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ValidationError("cursor.invalid", field="cursor", location="query")


def page(
    uow: UnitOfWork,
    repository: Repository[E],
    filters: Mapping[str, Any],
    cursor: str | None = None,
    limit: int = 100,
    include_archived: bool = False,
) -> Page[E]:
    """A page of `repository`'s records in id order, filtered by field = value and by what the actor may see."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError("limit.out_of_range", field="limit", location="query", max=MAX_LIMIT)
    items, more = uow.reads.page(
        repository, filters, objective_visibility(uow.actor), decode_cursor(cursor), limit, include_archived
    )
    next_cursor = encode_cursor(items[-1].id) if more else None  # type: ignore[attr-defined]
    return Page(items, next_cursor)
