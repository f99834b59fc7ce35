"""Repositories of the goals: objectives, key results and initiatives."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from koers.domain import model
from koers.storage import tables as t
from koers.storage.repositories.base import Repository


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


class KeyResults(Repository[model.KeyResult]):
    table, entity, label = t.key_results, model.KeyResult, "key result"

    def scores_and_weights(self, objective_id: int) -> list[tuple[float, float]]:
        """(score, weight) of an objective's key results that are not archived."""
        return self.scores_and_weights_of([objective_id]).get(objective_id, [])

    def scores_and_weights_of(self, objective_ids: Iterable[int]) -> dict[int, list[tuple[float, float]]]:
        """Per objective: (score, weight) of its key results that are not archived."""
        k = t.key_results.c
        query = select(k.objective_id, k.score, k.weight).where(
            k.objective_id.in_(sorted(set(objective_ids))), k.archived.is_(False)
        )
        found: dict[int, list[tuple[float, float]]] = {}
        for row in self.connection.execute(query.order_by(k.id)):
            found.setdefault(row.objective_id, []).append((row.score, row.weight))
        return found

    def linked_to_kpi(self, kpi_id: int) -> list[model.KeyResult]:
        """Key results whose value follows this KPI."""
        return self.list(include_archived=True, kpi_id=kpi_id)


class Initiatives(Repository[model.Initiative]):
    table, entity, label = t.initiatives, model.Initiative, "initiative"
