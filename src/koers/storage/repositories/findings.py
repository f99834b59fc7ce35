"""The quality coach's findings kept on goals: one row per objective or key result with open findings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select

from koers.storage import tables as t

Row = dict[str, Any]
GOAL_COLUMNS = {"objective": t.coach_findings.c.objective_id, "key_result": t.coach_findings.c.key_result_id}


class CoachFindings:
    """What the coach found in a goal's text at save time, with the hash of that text."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def of_goal(self, kind: str, goal_id: int) -> Row | None:
        """The stored findings of one objective or key result (None: nothing open)."""
        row = self.connection.execute(select(t.coach_findings).where(GOAL_COLUMNS[kind] == goal_id)).first()
        return None if row is None else dict(row._mapping)

    def keep(self, kind: str, goal_id: int, text_hash: str, lang: str, findings: list[Row], at: datetime) -> None:
        """Store a goal's findings for the text that hashes to `text_hash`, replacing what was there."""
        self.clear(kind, goal_id)
        values = {"text_hash": text_hash, "lang": lang, "findings": findings, "checked_at": at}
        self.connection.execute(insert(t.coach_findings).values({GOAL_COLUMNS[kind].name: goal_id, **values}))

    def clear(self, kind: str, goal_id: int) -> None:
        """Nothing open any more for this goal."""
        self.connection.execute(delete(t.coach_findings).where(GOAL_COLUMNS[kind] == goal_id))

    def open_in(self, cycle_ids: Iterable[int]) -> list[Row]:
        """Every open finding row on a goal (not archived) of these cycles, with what deciding visibility needs:
        the objective's (or the key result's objective's) id, title, cycle, team, owner and visibility."""
        f, o, k = t.coach_findings, t.objectives, t.key_results
        cycles = list(cycle_ids)
        # What deciding visibility and listing need, the same for a finding on an objective or on a key result.
        shared = (
            o.c.id.label("objective_id"),
            o.c.title.label("objective_title"),
            o.c.cycle_id,
            o.c.team_id,
            o.c.owner_id,
            o.c.visibility,
            f.c.lang,
            f.c.findings,
            f.c.checked_at,
        )
        on_objectives = (
            select(f.c.objective_id.label("goal_id"), o.c.title.label("title"), *shared)
            .join(o, o.c.id == f.c.objective_id)
            .where(o.c.archived.is_(False), o.c.cycle_id.in_(cycles))
        )
        on_key_results = (
            select(f.c.key_result_id.label("goal_id"), k.c.title.label("title"), *shared)
            .join(k, k.c.id == f.c.key_result_id)
            .join(o, o.c.id == k.c.objective_id)
            .where(k.c.archived.is_(False), o.c.archived.is_(False), o.c.cycle_id.in_(cycles))
        )
        rows = [{**dict(r._mapping), "kind": "objective"} for r in self.connection.execute(on_objectives)]
        rows += [{**dict(r._mapping), "kind": "key_result"} for r in self.connection.execute(on_key_results)]
        return rows

    def for_goals(
        self, objective_ids: Iterable[int], key_result_ids: Iterable[int]
    ) -> dict[tuple[str, int], list[Row]]:
        """The findings each of these goals has open, keyed (kind, id); goals without any are left out."""
        f = t.coach_findings
        objectives, key_results = list(objective_ids), list(key_result_ids)
        if not objectives and not key_results:
            return {}
        query = select(f.c.objective_id, f.c.key_result_id, f.c.findings).where(
            or_(f.c.objective_id.in_(objectives), f.c.key_result_id.in_(key_results))
        )
        found: dict[tuple[str, int], list[Row]] = {}
        for objective_id, key_result_id, findings in self.connection.execute(query):
            key = ("objective", objective_id) if objective_id is not None else ("key_result", key_result_id)
            found[key] = list(findings or [])
        return found

    def total(self) -> int:
        """How many goals have open findings (for tests and the admin overview)."""
        return int(self.connection.execute(select(func.count()).select_from(t.coach_findings)).scalar_one())
