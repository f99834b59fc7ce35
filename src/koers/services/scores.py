"""Keeping stored scores true: refreshed on every change, and rebuilt from raw history on demand.

Dashboards read stored values; these functions are the only writers of `current`, `progress`,
`score` and `confidence` of key results, `current` of KPIs and `score` of objectives.

Objectives whose cycle has not started (`planning`, or a start date after today) are left out of their parent's
mean (SPEC §3, `rollup.not_started`). That rule depends on today's date, so a stored parent score can go stale
without any write, when a cycle's start date passes. What keeps it true: every refresh evaluates the rule with
today's date, so any write in the tree puts it right; changing a cycle's status or start date rescores the parents
of its objectives (`refresh_cycle`); `recompute_all` rebuilds everything with today's date. What does not: an
`active` cycle whose start date passes at midnight with no write in its tree keeps its parents' old scores until
the next write there or a `recompute_all` (no scheduled job runs one yet).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from koers.domain import model
from koers.domain.rollup import not_started, roll_up
from koers.domain.scoring import MAINTAIN_KINDS, Reading, Target, newest, progress, score_from_progress
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
    """A closed cycle's key results stop following their KPI at the moment the cycle closed: they count only
    measurements taken and recorded by then (one recorded later, back-dated before the close, does not count)."""
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


def cycle_values_of(uow: UnitOfWork, items: Iterable[tuple[model.KeyResult, model.Cycle]]) -> dict[int, list[float]]:
    """`cycle_values` for many key results (maintain kinds only), in one query for the check-ins and one per cycle
    for the linked KPIs' measurements."""
    maintain = [(kr, cycle) for kr, cycle in items if kr.kind in MAINTAIN_KINDS and kr.id is not None]
    checked = uow.bulk.check_in_values(kr.id for kr, _cycle in maintain) if maintain else {}
    measured: dict[int, dict[int, list[tuple[Any, float]]]] = {}
    for cycle_id, kpi_ids in _kpis_by_cycle(maintain).items():
        cycle = next(cycle for _kr, cycle in maintain if cycle.id == cycle_id)
        measured[cycle_id] = uow.bulk.measurement_values(kpi_ids, *maintain_window(cycle), measurement_cutoff(cycle))
    return {
        kr.id or 0: _in_cycle(
            kr, cycle, checked.get(kr.id or 0, []), measured.get(cycle.id or 0, {}).get(kr.kpi_id or 0, [])
        )
        for kr, cycle in maintain
    }


def _kpis_by_cycle(items: list[tuple[model.KeyResult, model.Cycle]]) -> dict[int, set[int]]:
    grouped: dict[int, set[int]] = defaultdict(set)
    for kr, cycle in items:
        if kr.kpi_id is not None:
            grouped[cycle.id or 0].add(kr.kpi_id)
    return grouped


def _maintain_readings(
    uow: UnitOfWork, kr: model.KeyResult, cycle: model.Cycle
) -> tuple[list[float], list[tuple[Any, float]]]:
    if kr.kind not in MAINTAIN_KINDS:
        return [], []
    assert kr.id is not None
    check_in_values = uow.bulk.check_in_values([kr.id]).get(kr.id, [])
    if kr.kpi_id is None:
        return check_in_values, []
    values = uow.bulk.measurement_values([kr.kpi_id], *maintain_window(cycle), measurement_cutoff(cycle))
    return check_in_values, values.get(kr.kpi_id, [])


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
    before = {name: getattr(kr, name) for name in state}
    for name, value in state.items():
        setattr(kr, name, value)
    if before != state:  # a moved pace status goes to the webhooks' outbox (issue 11)
        from koers.services.webhooks import key_result_rescored

        key_result_rescored(uow, kr, cycle, before)


def refresh_objectives(
    uow: UnitOfWork, objective_ids: Iterable[int | None], today: date | None = None
) -> dict[int, ScoreChange]:
    """Recompute the stored score of these objectives and of the objectives above them that depend on them.

    Walking up stops at the first ancestor with key results of its own: its score ignores aligned objectives.
    It also stops below the first objective of a closed cycle: nothing in a closed cycle changes.
    Aligned objectives whose cycle has not started on `today` (default: the current date) are left out of their
    parent's mean. Returns the objectives whose stored score changed, with their score before and after.
    """
    today = today or date.today()
    uow.lock_scores()
    changed: dict[int, ScoreChange] = {}
    closed: set[int | None] | None = None
    for start in objective_ids:
        if start is None:
            continue
        chain = [start, *uow.objectives.parent_chain(start)]
        own = uow.key_results.scores_and_weights_of(chain)
        stop = next((i for i, ancestor in enumerate(chain) if i > 0 and own.get(ancestor)), len(chain) - 1)
        chain = chain[: stop + 1]
        nodes = uow.bulk.objective_tree(around=chain)
        if closed is None:
            closed = {c.id for c in uow.cycles.list() if c.status == "closed"}
        cut = next((i for i, o in enumerate(chain) if o in nodes and nodes[o].cycle_id in closed), len(chain))
        chain = chain[:cut]
        settled = {i: node.score for i, node in nodes.items() if i not in chain}
        scores = roll_up(nodes, own, settled, not_started(nodes, today))
        fresh = {i: scores[i] for i in chain if i in nodes}
        uow.bulk.store_objective_scores(fresh)
        for i, score in fresh.items():
            before = changed[i][0] if i in changed else nodes[i].score
            changed[i] = (before, score)
    return {i: change for i, change in changed.items() if change[0] != change[1]}


def refresh_cycle(uow: UnitOfWork, cycle_id: int, today: date | None = None) -> dict[int, ScoreChange]:
    """Rescore the parents of a cycle's objectives: after its status or start date changed, its objectives may
    start or stop counting in their parents' means."""
    parents = {o.parent_id for o in uow.objectives.list(cycle_id=cycle_id) if o.parent_id is not None}
    return refresh_objectives(uow, sorted(parents), today)


def recompute_all(uow: UnitOfWork, today: date | None = None) -> None:
    """Rebuild every stored value from raw check-ins and measurements (repair, import, and the consistency test);
    aligned objectives whose cycle has not started on `today` (default: the current date) are left out."""
    today = today or date.today()
    uow.lock_scores()
    cycles = {c.id: c for c in uow.cycles.list()}
    objectives = uow.bulk.objective_tree()
    check_ins = uow.bulk.latest_check_ins()
    measurements = uow.bulk.latest_measurements()
    key_results = uow.key_results.list(include_archived=True)
    cycle_of = {kr.id: cycles[objectives[kr.objective_id].cycle_id] for kr in key_results}
    maintain = [kr for kr in key_results if kr.kind in MAINTAIN_KINDS]
    maintain_check_ins = uow.bulk.check_in_values([kr.id for kr in maintain])
    maintain_measurements = uow.bulk.measurement_values([kr.kpi_id for kr in maintain])
    # A closed cycle's key results follow their KPI only until it closed (measurements taken and recorded by
    # then): one or two queries per closed cycle, the same cut as `refresh_key_result`.
    closed_measurements: dict[int | None, dict[int, model.Measurement]] = {}
    closed_maintain: dict[int | None, dict[int, list[tuple[Any, float]]]] = {}
    for cycle in cycles.values():
        cutoff = measurement_cutoff(cycle)
        if cutoff is not None:
            linked = [kr for kr in key_results if cycle_of[kr.id] is cycle and kr.kpi_id is not None]
            kpi_ids = [kr.kpi_id for kr in linked]
            closed_measurements[cycle.id] = uow.bulk.latest_measurements(kpi_ids, cutoff) if kpi_ids else {}
            maintain_kpis = [kr.kpi_id for kr in linked if kr.kind in MAINTAIN_KINDS]
            if maintain_kpis:
                closed_maintain[cycle.id] = uow.bulk.measurement_values(maintain_kpis, recorded_until=cutoff)
    states: list[dict[str, object]] = []
    by_objective: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for kr in key_results:
        assert kr.id is not None
        cycle = cycle_of[kr.id]
        latest = closed_measurements.get(cycle.id, measurements)
        measurement = None if kr.kpi_id is None else latest.get(kr.kpi_id)
        kpi_values = closed_maintain.get(cycle.id, maintain_measurements)
        state = key_result_state(
            kr,
            cycle,
            check_ins.get(kr.id),
            measurement,
            maintain_check_ins.get(kr.id, []),
            kpi_values.get(kr.kpi_id or 0, []) if kr.kpi_id is not None else [],
        )
        states.append({"_id": kr.id, **state})
        if not kr.archived:
            by_objective[kr.objective_id].append((float(state["score"]), kr.weight))  # type: ignore[arg-type]
    uow.bulk.store_key_result_states(states)
    frozen = _frozen(objectives, by_objective, cycles)
    uow.bulk.store_objective_scores(roll_up(objectives, by_objective, frozen, not_started(objectives, today)))
    uow.bulk.store_kpi_currents(measurements)


def _frozen(
    objectives: Mapping[int, ObjectiveNode],
    key_results: Mapping[int, list[tuple[float, float]]],
    cycles: Mapping[int | None, model.Cycle],
) -> dict[int, float | None]:
    """Closed-cycle objectives scored from aligned objectives of cycles still open: they keep their stored score
    (what they were graded on), as `refresh_objectives` leaves them alone when those move."""
    closed = {i for i, c in cycles.items() if c.status == "closed"}
    open_children = {
        node.parent_id
        for node in objectives.values()
        if node.parent_id is not None and not node.archived and node.cycle_id not in closed
    }
    return {
        node.id: node.score
        for node in objectives.values()
        if node.cycle_id in closed and node.id in open_children and not key_results.get(node.id)
    }
