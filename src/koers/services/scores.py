"""Keeping stored scores true: refreshed on every change, and rebuilt from raw history on demand.

Dashboards read stored values; these functions are the only writers of `current`, `progress`,
`score` and `confidence` of key results, `current` of KPIs and `score` of objectives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta

from koers.domain import model
from koers.domain.scoring import MAINTAIN_KINDS, Reading, Target, newest, objective_score, progress, score_from_progress
from koers.storage import bulk
from koers.storage.unit_of_work import UnitOfWork


def cycle_window(cycle: model.Cycle) -> tuple[datetime, datetime]:
    """The cycle as UTC datetimes [start of first day, start of the day after the last)."""
    start = datetime.combine(cycle.start_date, time(), tzinfo=UTC)
    end = datetime.combine(cycle.end_date + timedelta(days=1), time(), tzinfo=UTC)
    return start, end


def maintain_window(cycle: model.Cycle) -> tuple[datetime, datetime]:
    """The KPI measurements a maintain key result counts: in the cycle, and not after it closed."""
    start, end = cycle_window(cycle)
    cutoff = measurement_cutoff(cycle)
    return start, min(end, cutoff) if cutoff else end


def measurement_cutoff(cycle: model.Cycle) -> datetime | None:
    """A closed cycle's key results stop following their KPI at the moment the cycle closed."""
    return cycle.closed_at if cycle.status == "closed" else None


def target_of(kr: model.KeyResult) -> Target:
    """The scoring view of a key result."""
    return Target(kr.kind, kr.baseline, kr.target, kr.target_low, kr.target_high)


def key_result_state(
    kr: model.KeyResult, latest: Reading | None, confidence: str | None, cycle_values: list[float]
) -> dict[str, object]:
    """The stored fields of a key result, from its latest reading and (maintain kinds) this cycle's values."""
    goal = target_of(kr)
    p = progress(goal, None if latest is None else latest.value, cycle_values)
    return {
        "current": None if latest is None else latest.value,
        "current_at": None if latest is None else latest.at,
        "progress": round(p, 6),
        "score": score_from_progress(p),
        "confidence": confidence,
    }


def refresh_key_result(uow: UnitOfWork, kr: model.KeyResult, cycle: model.Cycle) -> None:
    """Recompute and store one key result's current value and score from its history."""
    assert kr.id is not None
    uow.lock_scores()
    check_in = uow.check_ins.latest(kr.id)
    measured = None
    if kr.kpi_id is not None:
        found = uow.measurements.latest(kr.kpi_id, measurement_cutoff(cycle))
        measured = None if found is None else Reading(found.value, found.at, "kpi")
    latest = newest(None if check_in is None else Reading(check_in.value, check_in.created_at, "check_in"), measured)
    confidence = None if check_in is None else check_in.confidence
    state = key_result_state(kr, latest, confidence, cycle_values(uow, kr, cycle))
    uow.key_results.set_fields(kr.id, **state)
    for name, value in state.items():
        setattr(kr, name, value)


def cycle_values(uow: UnitOfWork, kr: model.KeyResult, cycle: model.Cycle) -> list[float]:
    """This cycle's values of a maintain key result: its check-ins and its KPI's measurements in the cycle."""
    if kr.kind not in MAINTAIN_KINDS:
        return []
    assert kr.id is not None
    values = uow.check_ins.values(kr.id)
    if kr.kpi_id is not None:
        values += uow.measurements.values_between(kr.kpi_id, *maintain_window(cycle))
    return values


def refresh_objectives(uow: UnitOfWork, objective_ids: Iterable[int | None]) -> None:
    """Recompute the stored score of these objectives and of the objectives above them that depend on them.

    Walking up stops at the first ancestor with key results of its own: its score ignores aligned objectives.
    """
    uow.lock_scores()
    for start in objective_ids:
        if start is None:
            continue
        _store_objective_score(uow, start)
        for ancestor in uow.objectives.parent_chain(start):
            if not _store_objective_score(uow, ancestor):
                break


def _store_objective_score(uow: UnitOfWork, objective_id: int) -> bool:
    """Recompute one objective's score; False when it has key results (so aligned objectives do not count)."""
    key_results = uow.key_results.scores_and_weights(objective_id)
    children = [] if key_results else uow.objectives.child_scores(objective_id)
    uow.objectives.set_fields(objective_id, score=objective_score(key_results, children))
    return not key_results


def recompute_all(uow: UnitOfWork) -> None:
    """Rebuild every stored value from raw check-ins and measurements (repair, import, and the consistency test)."""
    uow.lock_scores()
    cycles = {c.id: c for c in uow.cycles.list()}
    objectives = bulk.objective_tree(uow.connection)
    latest_check_ins = bulk.latest_check_ins(uow.connection)
    latest_measurements = bulk.latest_measurements(uow.connection)
    key_results = uow.key_results.list(include_archived=True)
    maintain = [kr for kr in key_results if kr.kind in MAINTAIN_KINDS]
    maintain_check_ins = bulk.check_in_values(uow.connection, [kr.id for kr in maintain])
    maintain_measurements = bulk.measurement_values(uow.connection, [kr.kpi_id for kr in maintain])
    kr_states: list[dict[str, object]] = []
    by_objective: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for kr in key_results:
        assert kr.id is not None
        cycle = cycles[objectives[kr.objective_id].cycle_id]
        check_in = latest_check_ins.get(kr.id)
        measured = None
        if kr.kpi_id is not None:
            cutoff = measurement_cutoff(cycle)
            found = uow.measurements.latest(kr.kpi_id, cutoff) if cutoff else latest_measurements.get(kr.kpi_id)
            measured = None if found is None else Reading(found.value, found.at, "kpi")
        latest = newest(None if check_in is None else check_in[0], measured)
        values: list[float] = []
        if kr.kind in MAINTAIN_KINDS:  # the same values as cycle_values, read for all key results at once
            values = list(maintain_check_ins.get(kr.id, []))
            if kr.kpi_id is not None:
                start, until = maintain_window(cycle)
                values += [v for at, v in maintain_measurements.get(kr.kpi_id, []) if start <= at < until]
        state = key_result_state(kr, latest, None if check_in is None else check_in[1], values)
        kr_states.append({"_id": kr.id, **state})
        if not kr.archived:
            by_objective[kr.objective_id].append((float(state["score"]), kr.weight))  # type: ignore[arg-type]
    bulk.store_key_result_states(uow.connection, kr_states)
    bulk.store_objective_scores(uow.connection, roll_up(objectives, by_objective))
    bulk.store_kpi_currents(uow.connection, latest_measurements)


def roll_up(
    objectives: dict[int, bulk.ObjectiveNode], key_results: dict[int, list[tuple[float, float]]]
) -> dict[int, float | None]:
    """Every objective's score, children before parents, in one pass over the tree."""
    children: dict[int, list[int]] = defaultdict(list)
    for node in objectives.values():
        if node.parent_id is not None and not node.archived:
            children[node.parent_id].append(node.id)
    scores: dict[int, float | None] = {}

    def score_of(objective_id: int, path: frozenset[int]) -> float | None:
        if objective_id in scores:
            return scores[objective_id]
        if objective_id in path:  # a loop the database should never hold; do not recurse forever
            return None
        aligned = [score_of(child, path | {objective_id}) for child in children[objective_id]]
        scores[objective_id] = objective_score(key_results.get(objective_id, []), aligned)
        return scores[objective_id]

    for objective_id in objectives:
        score_of(objective_id, frozenset())
    return scores
