"""Repositories of credentials on their way: invitation links and the counters of failed logins."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, literal, or_, select, update

from koers.storage import tables as t

Row = dict[str, Any]


class Invitations:
    """Invitation links, stored by the hash of their token."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, **values: Any) -> int:
        """Store an invitation (email, name, role, team_ids, token_hash, created_by, created_at, expires_at)."""
        values = {**values, "team_ids": json.dumps(sorted(values.get("team_ids") or []))}
        return self.connection.execute(insert(t.invitations).values(values)).inserted_primary_key[0]  # type: ignore[index]

    def by_hash(self, token_hash: str) -> Row | None:
        """The invitation with this token hash, or None."""
        row = self.connection.execute(select(t.invitations).where(t.invitations.c.token_hash == token_hash)).first()
        return None if row is None else _row(row._mapping)

    def pending(self, now: datetime) -> list[Row]:
        """Invitations not used and not expired, newest first."""
        c = t.invitations.c
        query = select(t.invitations).where(c.used_at.is_(None), c.expires_at > now).order_by(c.id.desc())
        return [_row(row._mapping) for row in self.connection.execute(query)]

    def use(self, invitation_id: int, at: datetime) -> bool:
        """Mark an invitation used; False when it was used already (by a request that came first)."""
        c = t.invitations.c
        statement = update(t.invitations).where(c.id == invitation_id, c.used_at.is_(None)).values(used_at=at)
        return self.connection.execute(statement).rowcount == 1


def _row(mapping: Any) -> Row:
    row = dict(mapping)
    row["team_ids"] = json.loads(row["team_ids"] or "[]")
    return row


class LoginAttempts:
    """Failed logins per key ('account:<email>', 'address:<ip>'): one row per key, shared by every worker."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def of(self, keys: list[str]) -> list[Row]:
        """The counters of these keys (those that exist)."""
        query = select(t.login_attempts).where(t.login_attempts.c.key.in_(keys))
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def fail(self, key: str, now: datetime, window_started_before: datetime) -> int:
        """Count one failure (a window that started before `window_started_before` starts again); the count."""
        from sqlalchemy.dialects import postgresql, sqlite  # here: importing both costs every CLI command ~80 ms

        c = t.login_attempts.c
        dialect = postgresql if self.connection.dialect.name == "postgresql" else sqlite
        stale = c.window_start < window_started_before
        statement = dialect.insert(t.login_attempts).values(key=key, failures=1, window_start=now, locked_until=None)
        statement = statement.on_conflict_do_update(
            index_elements=[c.key],
            set_={
                "failures": case((stale, 1), else_=c.failures + 1),
                "window_start": case((stale, literal(now, t.UTCDateTime)), else_=c.window_start),
            },
        )
        self.connection.execute(statement)
        return int(self.connection.execute(select(c.failures).where(c.key == key)).scalar_one())

    def lock(self, key: str, until: datetime) -> None:
        """Refuse this key until `until`."""
        self.connection.execute(
            update(t.login_attempts).where(t.login_attempts.c.key == key).values(locked_until=until)
        )

    def forget(self, key: str) -> None:
        """Drop a key's counter (after a good login)."""
        self.connection.execute(delete(t.login_attempts).where(t.login_attempts.c.key == key))

    def prune(self, now: datetime, window_started_before: datetime, keep: int) -> None:
        """Drop counters whose window and lock are over, then the oldest beyond `keep` rows."""
        c = t.login_attempts.c
        over = or_(c.locked_until.is_(None), c.locked_until <= now)
        self.connection.execute(delete(t.login_attempts).where(c.window_start < window_started_before, over))
        count = self.connection.execute(select(func.count()).select_from(t.login_attempts)).scalar_one()
        if count > keep:
            oldest = select(c.key).order_by(c.window_start).limit(count - keep)
            self.connection.execute(delete(t.login_attempts).where(c.key.in_(oldest)))

    def count(self) -> int:
        """How many counters are stored."""
        return int(self.connection.execute(select(func.count()).select_from(t.login_attempts)).scalar_one())
