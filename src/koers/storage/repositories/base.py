"""The generic repository: get, add, update and list one kind of entity."""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Connection, Table, and_, insert, select, update

from koers.domain.errors import Conflict, NotFound

E = TypeVar("E")


class Repository(Generic[E]):
    """Get, add, update and list one kind of entity."""

    table: Table
    entity: type[E]
    label: str

    _layouts: ClassVar[dict[type, tuple[list[str], list[tuple[str, int]]]]] = {}

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        layout = Repository._layouts.get(type(self))
        if layout is None:  # once per class: units of work are opened on every request
            names = {f.name for f in dataclasses.fields(self.entity)}  # type: ignore[arg-type]
            columns = [c.name for c in self.table.columns if c.name in names]
            positions = [(c.name, i) for i, c in enumerate(self.table.columns) if c.name in names]
            layout = Repository._layouts[type(self)] = (columns, positions)
        self.columns, self._positions = layout

    def _to_entity(self, row: Any) -> E:
        """An entity from a row of `select(table)` (columns in table order)."""
        return self.entity(**{name: row[i] for name, i in self._positions})

    def complete(self, entities: builtins.list[E]) -> builtins.list[E]:
        """Fill in what lives outside the entity's own table (nothing, unless a repository says otherwise)."""
        return entities

    def _values(self, entity: E) -> dict[str, Any]:
        return {name: getattr(entity, name) for name in self.columns if name != "id"}

    def find(self, entity_id: int) -> E | None:
        """The entity with this id, or None."""
        row = self.connection.execute(select(self.table).where(self.table.c.id == entity_id)).first()
        return None if row is None else self.complete([self._to_entity(row)])[0]

    def get(self, entity_id: int) -> E:
        """The entity with this id; NotFound with a clear message otherwise."""
        found = self.find(entity_id)
        if found is None:
            raise NotFound(self._code("not_found"), id=entity_id)
        return found

    def _code(self, what: str) -> str:
        """The message code of `what` for this noun: "key result" -> "key_result.not_found"."""
        return self.label.lower().replace(" ", "_").replace("-", "_") + "." + what

    def add(self, entity: E) -> E:
        """Insert and give the entity its id."""
        values = self._values(entity)
        if getattr(entity, "id", None) is not None:
            values["id"] = entity.id  # type: ignore[attr-defined]
        new_id = self.connection.execute(insert(self.table).values(values)).inserted_primary_key[0]  # type: ignore[index]
        entity.id = new_id  # type: ignore[attr-defined]
        return entity

    def add_many(self, entities: Sequence[E]) -> None:
        """Insert many rows in one executemany (their ids stay unknown: for history rows)."""
        if entities:
            self.connection.execute(insert(self.table), [self._values(e) for e in entities])

    def update(self, entity: E, expected_version: int | None = None) -> E:
        """Write every field back; with `expected_version`, refuse (Conflict) when someone else changed it."""
        table = self.table
        values = self._values(entity)
        condition = table.c.id == entity.id  # type: ignore[attr-defined]
        if "version" in table.c:
            values["version"] = table.c.version + 1
            if expected_version is not None:
                condition = and_(condition, table.c.version == expected_version)
        result = self.connection.execute(update(table).where(condition).values(values))
        if result.rowcount == 0:
            if self.find(entity.id) is None:  # type: ignore[attr-defined]
                raise NotFound(self._code("not_found"), id=entity.id)  # type: ignore[attr-defined]
            raise Conflict(self._code("stale"), id=entity.id, version=expected_version)  # type: ignore[attr-defined]
        if "version" in table.c:
            entity.version = self.connection.execute(  # type: ignore[attr-defined]
                select(table.c.version).where(table.c.id == entity.id)  # type: ignore[attr-defined]
            ).scalar_one()
        return entity

    def list(self, include_archived: bool = False, **filters: Any) -> list[E]:
        """Every entity matching field = value filters, in id order."""
        query = select(self.table)
        for name, value in filters.items():
            if value is not None:
                query = query.where(self.table.c[name] == value)
        if not include_archived and "archived" in self.table.c:
            query = query.where(self.table.c.archived.is_(False))
        return self.complete([self._to_entity(row) for row in self.connection.execute(query.order_by(self.table.c.id))])

    def list_for(self, field: str, values: Iterable[Any], include_archived: bool = True) -> builtins.list[E]:
        """Every entity whose `field` is one of `values` (one query, chunked for huge lists)."""
        wanted = sorted({v for v in values if v is not None})
        found: builtins.list[E] = []
        for start in range(0, len(wanted), 5000):
            query = select(self.table).where(self.table.c[field].in_(wanted[start : start + 5000]))
            if not include_archived and "archived" in self.table.c:
                query = query.where(self.table.c.archived.is_(False))
            found.extend(self._to_entity(row) for row in self.connection.execute(query.order_by(self.table.c.id)))
        return self.complete(found)

    def set_fields(self, entity_id: int, **values: Any) -> None:
        """Store computed fields (scores, current values) without touching the edit version."""
        self.connection.execute(update(self.table).where(self.table.c.id == entity_id).values(values))
