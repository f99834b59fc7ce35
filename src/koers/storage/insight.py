"""Set-based reads for attention, calibration and guardrails (issue 10): one query each, whatever the row count."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from koers.domain.permissions import Visibility
from koers.storage import tables as t
from koers.storage.reads import visible_objectives

CHUNK = 5000


def _chunks(ids: Iterable[int | None]) -> Iterable[list[int]]:
    wanted = sorted({i for i in ids if i is not None})
    for start in range(0, len(wanted), CHUNK):
        yield wanted[start : start + CHUNK]


@dataclass(frozen=True)
class CalibrationRow:
    """One check-in of a closed cycle with what its calibration needs."""

    author_id: int | None
    confidence: str | None
    objective_type: str
    final_score: float | None
    team_id: int | None
    cycle_id: int


class Insight:
    """The attention, calibration and guardrail queries of one unit of work."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def guardrails(self, key_result_ids: Iterable[int | None]) -> dict[int, list[int]]:
        """Per key result: the ids of its guardrail KPIs, in id order."""
        g = t.key_result_guardrails.c
        found: dict[int, list[int]] = {}
        for chunk in _chunks(key_result_ids):
            query = select(g.key_result_id, g.kpi_id).where(g.key_result_id.in_(chunk)).order_by(g.kpi_id)
            for kr_id, kpi_id in self.connection.execute(query):
                found.setdefault(kr_id, []).append(kpi_id)
        return found

    def set_guardrails(self, key_result_id: int, kpi_ids: Collection[int]) -> None:
        """Make these KPIs the key result's guardrails (replacing the ones it had)."""
        g = t.key_result_guardrails
        self.connection.execute(delete(g).where(g.c.key_result_id == key_result_id))
        if kpi_ids:
            rows = [{"key_result_id": key_result_id, "kpi_id": kpi_id} for kpi_id in sorted(set(kpi_ids))]
            self.connection.execute(insert(g), rows)

    def closed_cycle_check_ins(
        self,
        visibility: Visibility,
        team_id: int | None = None,
        author_id: int | None = None,
        cycle_id: int | None = None,
    ) -> list[CalibrationRow]:
        """Check-ins with a confidence on key results (not archived) of visible objectives in closed cycles."""
        c, k, o, cy = t.check_ins.c, t.key_results.c, t.objectives.c, t.cycles.c
        query = (
            select(c.author_id, c.confidence, o.type, k.score, o.team_id, o.cycle_id)
            .select_from(
                t.check_ins.join(t.key_results, k.id == c.key_result_id)
                .join(t.objectives, o.id == k.objective_id)
                .join(t.cycles, cy.id == o.cycle_id)
            )
            .where(
                cy.status == "closed",
                c.confidence.is_not(None),
                k.archived.is_(False),
                o.archived.is_(False),
                visible_objectives(visibility),
            )
            .order_by(c.created_at, c.id)
        )
        if team_id is not None:
            query = query.where(o.team_id == team_id)
        if author_id is not None:
            query = query.where(c.author_id == author_id)
        if cycle_id is not None:
            query = query.where(o.cycle_id == cycle_id)
        return [CalibrationRow(*row) for row in self.connection.execute(query)]
