"""Repositories of the organisation: teams, users (with their memberships) and cycles."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, insert, select

from koers.domain import model
from koers.storage import tables as t
from koers.storage.repositories.base import Repository


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

    def password_hash(self, user_id: int) -> str | None:
        """The stored password hash of a user (None when they have no password)."""
        return self.connection.execute(select(t.users.c.password_hash).where(t.users.c.id == user_id)).scalar()


class Cycles(Repository[model.Cycle]):
    table, entity, label = t.cycles, model.Cycle, "cycle"

    def by_name(self, name: str) -> model.Cycle | None:
        """The cycle with this name."""
        row = self.connection.execute(select(t.cycles).where(t.cycles.c.name == name)).first()
        return None if row is None else self.complete([self._to_entity(row)])[0]
