"""Keeping stored scores true: refreshed on every change, and rebuilt from raw history on demand.

Dashboards read stored values; these functions are the only writers of `current`, `progress`,
`score` and `confidence` of key results, `current` of KPIs and `score` of objectives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from koers.domain import model
from koers.domain.scoring import MAINTAIN_KINDS, Reading, Target, newest, objective_score, progress, score_from_progress
from koers.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from koers.storage.bulk import ObjectiveNode

ScoreChange = tuple[float | None, float | None]  # an objective's stored score before and after


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
    kr: model.KeyResult,
    cycle: model.Cycle,
    check_in: model.CheckIn | None,
    measurement: model.Measurement | None,
    check_in_values: list[float],
    measurements: list[tuple[Any, float]],
) -> dict[str, object]:
    """The stored fields of a key result from its newest check-in, its KPI's newest measurement (not after the
    cycle closed) and, for maintain kinds, every check-in value and its KPI's (at, value) pairs."""
    latest = newest(
        None if check_in is None else Reading(check_in.value, check_in.created_at, "check_in"),
        None if measurement is None else Reading(measurement.value, measurement.at, "kpi"),
    )
    p = progress(
        target_of(kr), None if latest is None else latest.value, _in_cycle(kr, cycle, check_in_values, measurements)
    )
    return {
        "current": None if latest is None else latest.value,
        "current_at": None if latest is None else latest.at,
        "progress": round(p, 6),
        "score": score_from_progress(p),
        "confidence": None if check_in is None else check_in.confidence,
    }


def _in_cycle(
    kr: model.KeyResult, cycle: model.Cycle, check_in_values: list[float], measurements: list[tuple[Any, float]]
) -> list[float]:
    """This cycle's values of a maintain key result: its check-ins and its KPI's measurements in the cycle."""
    if kr.kind not in MAINTAIN_KINDS:
        return []
    start, until = maintain_window(cycle)
    return [*check_in_values, *(value for at, value in measurements if start <= at < until)]


def cycle_values(uow: UnitOfWork, kr: model.KeyResult, cycle: model.Cycle) -> list[float]:
    """This cycle's values of a maintain key result (empty for other kinds)."""
    check_in_values, measurements = _maintain_readings(uow, kr, cycle)
    return _in_cycle(kr, cycle, check_in_values, measurements)


def _maintain_readings(
    uow: UnitOfWork, kr: model.KeyResult, cycle: model.Cycle
) -> tuple[list[float], list[tuple[Any, float]]]:
    if kr.kind not in MAINTAIN_KINDS:
        return [], []
    assert kr.id is not None
    check_in_values = uow.bulk.check_in_values([kr.id]).get(kr.id, [])
    if kr.kpi_id is None:
        return check_in_values, []
    return check_in_values, uow.bulk.measurement_values([kr.kpi_id], *maintain_window(cycle)).get(kr.kpi_id, [])


def refresh_key_result(uow: UnitOfWork, kr: model.KeyResult, cycle: model.Cycle) -> None:
    """Recompute and store one key result's current value and score from its history."""
    assert kr.id is not None
    uow.lock_scores()
    check_in = uow.bulk.latest_check_ins([kr.id]).get(kr.id)
    measurement = None
    if kr.kpi_id is not None:
        measurement = uow.bulk.latest_measurements([kr.kpi_id], measurement_cutoff(cycle)).get(kr.kpi_id)
    state = key_result_state(kr, cycle, check_in, measurement, *_maintain_readings(uow, kr, cycle))
    uow.key_results.set_fields(kr.id, **state)
    for name, value in state.items():
        setattr(kr, name, value)


def refresh_objectives(uow: UnitOfWork, objective_ids: Iterable[int | None]) -> dict[int, ScoreChange]:
    """Recompute the stored score of these objectives and of the objectives above them that depend on them.

    Walking up stops at the first ancestor with key results of its own: its score ignores aligned objectives.
    Returns the objectives whose stored score changed, with their score before and after.
    """
    uow.lock_scores()
    changed: dict[int, ScoreChange] = {}
    for start in objective_ids:
        if start is None:
            continue
        chain = [start, *uow.objectives.parent_chain(start)]
        own = uow.key_results.scores_and_weights_of(chain)
        stop = next((i for i, ancestor in enumerate(chain) if i > 0 and own.get(ancestor)), len(chain) - 1)
        chain = chain[: stop + 1]
        nodes = uow.bulk.objective_tree(around=chain)
        settled = {i: node.score for i, node in nodes.items() if i not in chain}
        scores = roll_up(nodes, own, settled)
        fresh = {i: scores[i] for i in chain if i in nodes}
        uow.bulk.store_objective_scores(fresh)
        for i, score in fresh.items():
            before = changed[i][0] if i in changed else nodes[i].score
            changed[i] = (before, score)
    return {i: change for i, change in changed.items() if change[0] != change[1]}


def recompute_all(uow: UnitOfWork) -> None:
    """Rebuild every stored value from raw check-ins and measurements (repair, import, and the consistency test)."""
    uow.lock_scores()
    cycles = {c.id: c for c in uow.cycles.list()}
    objectives = uow.bulk.objective_tree()
    check_ins = uow.bulk.latest_check_ins()
    measurements = uow.bulk.latest_measurements()
    key_results = uow.key_results.list(include_archived=True)
    cycle_of = {kr.id: cycles[objectives[kr.objective_id].cycle_id] for kr in key_results}
    # A closed cycle's key results follow their KPI only until it closed: one query per closed cycle.
    closed_measurements: dict[int | None, dict[int, model.Measurement]] = {}
    for cycle in cycles.values():
        cutoff = measurement_cutoff(cycle)
        if cutoff is not None:
            kpi_ids = [kr.kpi_id for kr in key_results if cycle_of[kr.id] is cycle and kr.kpi_id is not None]
            closed_measurements[cycle.id] = uow.bulk.latest_measurements(kpi_ids, cutoff) if kpi_ids else {}
    maintain = [kr for kr in key_results if kr.kind in MAINTAIN_KINDS]
    maintain_check_ins = uow.bulk.check_in_values([kr.id for kr in maintain])
    maintain_measurements = uow.bulk.measurement_values([kr.kpi_id for kr in maintain])
    states: list[dict[str, object]] = []
    by_objective: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for kr in key_results:
        assert kr.id is not None
        cycle = cycle_of[kr.id]
        latest = closed_measurements.get(cycle.id, measurements)
        measurement = None if kr.kpi_id is None else latest.get(kr.kpi_id)
        state = key_result_state(
            kr,
            cycle,
            check_ins.get(kr.id),
            measurement,
            maintain_check_ins.get(kr.id, []),
            maintain_measurements.get(kr.kpi_id or 0, []) if kr.kpi_id is not None else [],
        )
        states.append({"_id": kr.id, **state})
        if not kr.archived:
            by_objective[kr.objective_id].append((float(state["score"]), kr.weight))  # type: ignore[arg-type]
    uow.bulk.store_key_result_states(states)
    uow.bulk.store_objective_scores(roll_up(objectives, by_objective))
    uow.bulk.store_kpi_currents(measurements)


def roll_up(
    objectives: Mapping[int, ObjectiveNode],
    key_results: Mapping[int, list[tuple[float, float]]],
    settled: Mapping[int, float | None] | None = None,
) -> dict[int, float | None]:
    """Every objective's score, children before parents, in one pass over the tree.

    An objective's score comes from its key results that are not archived or, with none, from the objectives
    aligned under it that are not archived; `settled` objectives keep the score given (their inputs were not read).
    """
    children: dict[int, list[int]] = defaultdict(list)
    for node in objectives.values():
        if node.parent_id is not None and not node.archived:
            children[node.parent_id].append(node.id)
    scores: dict[int, float | None] = dict(settled or {})

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
