"""Repositories: the only doors between the domain's dataclasses and the tables."""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Connection, Table, and_, func, insert, select, update

from koers.domain import model
from koers.domain.errors import Conflict, NotFound
from koers.storage import tables as t

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
            raise NotFound(f"{self.label} {entity_id} does not exist")
        return found

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
                raise NotFound(f"{self.label} {entity.id} does not exist")  # type: ignore[attr-defined]
            raise Conflict(
                f"{self.label} {entity.id} was changed by someone else (version {expected_version} is stale)"  # type: ignore[attr-defined]
            )
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


class Teams(Repository[model.Team]):
    table, entity, label = t.teams, model.Team, "team"


class Users(Repository[model.User]):
    table, entity, label = t.users, model.User, "user"

    def complete(self, entities: list[model.User]) -> list[model.User]:
        """Users with their team memberships, in one query."""
        if entities:
            teams: dict[int, list[int]] = {}
            query = select(t.team_members).where(t.team_members.c.user_id.in_([u.id for u in entities]))
            for row in self.connection.execute(query.order_by(t.team_members.c.team_id)):
                teams.setdefault(row.user_id, []).append(row.team_id)
            for user in entities:
                user.team_ids = teams.get(user.id or 0, [])
        return entities

    def team_ids(self, user_id: int) -> list[int]:
        """The teams a user belongs to."""
        query = select(t.team_members.c.team_id).where(t.team_members.c.user_id == user_id)
        return sorted(self.connection.execute(query).scalars())

    def set_teams(self, user_id: int, team_ids: Iterable[int]) -> None:
        """Replace a user's memberships."""
        self.connection.execute(t.team_members.delete().where(t.team_members.c.user_id == user_id))
        rows = [{"user_id": user_id, "team_id": team_id} for team_id in sorted(set(team_ids))]
        if rows:
            self.connection.execute(insert(t.team_members), rows)

    def by_email(self, email: str) -> model.User | None:
        """The user with this email address (case-insensitive)."""
        row = self.connection.execute(select(t.users).where(func.lower(t.users.c.email) == email.lower())).first()
        return None if row is None else self.complete([self._to_entity(row)])[0]


class Cycles(Repository[model.Cycle]):
    table, entity, label = t.cycles, model.Cycle, "cycle"

    def by_name(self, name: str) -> model.Cycle | None:
        """The cycle with this name."""
        row = self.connection.execute(select(t.cycles).where(t.cycles.c.name == name)).first()
        return None if row is None else self.complete([self._to_entity(row)])[0]


class Objectives(Repository[model.Objective]):
    table, entity, label = t.objectives, model.Objective, "objective"

    def parent_chain(self, objective_id: int) -> list[int]:
        """Ids above an objective, nearest first (stops at a loop rather than spinning)."""
        chain: list[int] = []
        current: int | None = objective_id
        while current is not None:
            parent = self.connection.execute(
                select(t.objectives.c.parent_id).where(t.objectives.c.id == current)
            ).scalar()
            if parent is None or parent in chain or parent == objective_id:
                break
            chain.append(parent)
            current = parent
        return chain

    def child_scores(self, objective_id: int) -> list[float | None]:
        """Scores of the objectives aligned under this one."""
        query = select(t.objectives.c.score).where(
            t.objectives.c.parent_id == objective_id, t.objectives.c.archived.is_(False)
        )
        return list(self.connection.execute(query).scalars())


class KeyResults(Repository[model.KeyResult]):
    table, entity, label = t.key_results, model.KeyResult, "key result"

    def scores_and_weights(self, objective_id: int) -> list[tuple[float, float]]:
        """(score, weight) of an objective's key results that are not archived."""
        query = select(t.key_results.c.score, t.key_results.c.weight).where(
            t.key_results.c.objective_id == objective_id, t.key_results.c.archived.is_(False)
        )
        return [(row.score, row.weight) for row in self.connection.execute(query)]

    def linked_to_kpi(self, kpi_id: int) -> list[model.KeyResult]:
        """Key results whose value follows this KPI."""
        return self.list(include_archived=True, kpi_id=kpi_id)


class Kpis(Repository[model.Kpi]):
    table, entity, label = t.kpis, model.Kpi, "KPI"


class Initiatives(Repository[model.Initiative]):
    table, entity, label = t.initiatives, model.Initiative, "initiative"


class CheckIns(Repository[model.CheckIn]):
    def history_page(self, key_result_id: int, before_id: int | None, limit: int) -> list[model.CheckIn]:
        """Check-ins newest first (by id, the order they were recorded), before a cursor."""
        query = select(t.check_ins).where(t.check_ins.c.key_result_id == key_result_id)
        if before_id is not None:
            query = query.where(t.check_ins.c.id < before_id)
        return [
            self._to_entity(row)
            for row in self.connection.execute(query.order_by(t.check_ins.c.id.desc()).limit(limit))
        ]

    table, entity, label = t.check_ins, model.CheckIn, "check-in"

    def latest(self, key_result_id: int) -> model.CheckIn | None:
        """The newest check-in of a key result (by time, then id)."""
        query = (
            select(t.check_ins)
            .where(t.check_ins.c.key_result_id == key_result_id)
            .order_by(t.check_ins.c.created_at.desc(), t.check_ins.c.id.desc())
            .limit(1)
        )
        row = self.connection.execute(query).first()
        return None if row is None else self._to_entity(row)

    def values(self, key_result_id: int) -> list[float]:
        """Every value checked in on a key result."""
        query = select(t.check_ins.c.value).where(t.check_ins.c.key_result_id == key_result_id)
        return list(self.connection.execute(query).scalars())

    def history(self, key_result_id: int, limit: int | None = None) -> list[model.CheckIn]:
        """Check-ins newest first."""
        query = (
            select(t.check_ins)
            .where(t.check_ins.c.key_result_id == key_result_id)
            .order_by(t.check_ins.c.created_at.desc(), t.check_ins.c.id.desc())
            .limit(limit)
        )
        return [self._to_entity(row) for row in self.connection.execute(query)]


class Measurements(Repository[model.Measurement]):
    def history_page(self, kpi_id: int, before_id: int | None, limit: int) -> list[model.Measurement]:
        """Measurements newest first (by id, the order they were recorded), before a cursor."""
        query = select(t.measurements).where(t.measurements.c.kpi_id == kpi_id)
        if before_id is not None:
            query = query.where(t.measurements.c.id < before_id)
        return [
            self._to_entity(row)
            for row in self.connection.execute(query.order_by(t.measurements.c.id.desc()).limit(limit))
        ]

    table, entity, label = t.measurements, model.Measurement, "measurement"

    def latest(self, kpi_id: int, until: datetime | None = None) -> model.Measurement | None:
        """The newest measurement of a KPI, optionally not after `until`."""
        query = select(t.measurements).where(t.measurements.c.kpi_id == kpi_id)
        if until is not None:
            query = query.where(t.measurements.c.at <= until)
        query = query.order_by(t.measurements.c.at.desc(), t.measurements.c.id.desc()).limit(1)
        row = self.connection.execute(query).first()
        return None if row is None else self._to_entity(row)

    def values_between(self, kpi_id: int, start: datetime, end: datetime) -> list[float]:
        """Values measured in [start, end)."""
        query = select(t.measurements.c.value).where(
            t.measurements.c.kpi_id == kpi_id, t.measurements.c.at >= start, t.measurements.c.at < end
        )
        return list(self.connection.execute(query).scalars())

    def history(self, kpi_id: int, limit: int | None = None) -> list[model.Measurement]:
        """Measurements newest first."""
        query = (
            select(t.measurements)
            .where(t.measurements.c.kpi_id == kpi_id)
            .order_by(t.measurements.c.at.desc(), t.measurements.c.id.desc())
            .limit(limit)
        )
        return [self._to_entity(row) for row in self.connection.execute(query)]
