"""The weekly digest of one team: its key results with this week's change, what needs attention, KPI colour changes.

The digest is read as the actor (the person it is for): objectives they may not see never appear. Sending it belongs
to the mail integration; this builds what it says. A key result's score a week ago comes from the same rule that
stores today's (`services.scores.key_result_state`), fed the readings known at the start of the week.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from koers.domain import model
from koers.services.permissions import can_see_objective
from koers.services.read.report import attention_items
from koers.services.read.views import Row, group_by, key_result_view, kpi_view
from koers.services.scores import cycle_window, key_result_state
from koers.storage.unit_of_work import UnitOfWork

WEEK = timedelta(days=7)


def team_digest(uow: UnitOfWork, team_id: int, today: date) -> Row:
    """What changed for a team in the week up to today, in its open cycles."""
    team = uow.teams.get(team_id)
    week_start = datetime.combine(today, time(), tzinfo=UTC) + timedelta(days=1) - WEEK
    cycles = {c.id: c for c in uow.cycles.list() if c.status != "closed"}
    objectives = {
        o.id: o
        for o in uow.objectives.list(team_id=team_id)
        if o.cycle_id in cycles and can_see_objective(uow.actor, o)
    }
    krs = uow.key_results.list_for("objective_id", objectives, include_archived=False)
    check_ins = group_by(uow.check_ins.list_for("key_result_id", [kr.id for kr in krs]), lambda c: c.key_result_id)
    kpi_ids = [kr.kpi_id for kr in krs if kr.kpi_id is not None]
    earliest = min((cycle_window(c)[0] for c in cycles.values()), default=week_start)
    measured = group_by(uow.reads.measurements_between(kpi_ids, earliest, week_start), lambda m: m.kpi_id)

    key_results = []
    for kr in krs:
        objective = objectives[kr.objective_id]
        cycle = cycles[objective.cycle_id]
        view = key_result_view(kr, objective, cycle, today)
        before = [c for c in check_ins.get(kr.id, []) if c.created_at < week_start]
        readings = [(m.at, m.value) for m in measured.get(kr.kpi_id, [])] if kr.kpi_id is not None else []
        then = key_result_state(
            kr,
            cycle,
            max(before, key=lambda c: (c.created_at, c.id or 0), default=None),
            _newest_measurement(measured.get(kr.kpi_id, []) if kr.kpi_id is not None else []),
            [c.value for c in before],
            readings,
        )
        view.update(
            objective=objective.title,
            cycle=cycle.name,
            value_before=then["current"],
            score_before=then["score"],
            score_change=round(kr.score - float(then["score"]), 1),  # type: ignore[arg-type]
            check_ins_this_week=sum(1 for c in check_ins.get(kr.id, []) if c.created_at >= week_start),
        )
        key_results.append(view)

    kpis = uow.kpis.list(team_id=team_id)
    then_measurements = uow.bulk.latest_measurements([k.id for k in kpis], until=week_start)
    kpi_changes = []
    for kpi in kpis:
        now = kpi_view(kpi)
        old = then_measurements.get(kpi.id or 0)
        before = kpi_view(_with_value(kpi, None if old is None else old.value))["status"]
        if before != now["status"]:
            kpi_changes.append({**now, "status_before": before})

    attention = attention_items(uow, today, {None: krs})
    return {
        "team": {"id": team.id, "name": team.name},
        "today": today,
        "week_start": week_start.date(),
        "key_results": sorted(key_results, key=lambda kr: (kr["cycle"], kr["objective"].lower(), kr["id"])),
        "attention": attention,
        "kpi_changes": kpi_changes,
    }


def _newest_measurement(found: list[model.Measurement]) -> model.Measurement | None:
    return max(found, key=lambda m: (m.at, m.id or 0), default=None)


def _with_value(kpi: model.Kpi, value: float | None) -> model.Kpi:
    """The KPI as it stood with another current value (for its colour then)."""
    return replace(kpi, current=value)


def digest_summary(digest: Row) -> dict[str, Any]:
    """Counts for a subject line: key results that moved, items needing attention, KPIs that changed colour."""
    return {
        "moved": sum(1 for kr in digest["key_results"] if kr["score_change"]),
        "attention": len(digest["attention"]),
        "kpi_changes": len(digest["kpi_changes"]),
    }
