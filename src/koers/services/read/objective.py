"""The objective page: one objective in full, with its key results, their explanations, initiatives and timeline."""

from __future__ import annotations

from datetime import date

from koers.domain import model
from koers.domain.explanation import objective_explanation
from koers.domain.pace import elapsed, expected_score
from koers.domain.scoring import MAINTAIN_KINDS, cycle_has_started
from koers.services.explain import score_explanation, used_reading
from koers.services.forecasts import forecast_of, forecast_view, points_of
from koers.services.permissions import (
    can_edit_key_result,
    can_edit_objective,
    can_override_grade,
    can_see_objective,
    visible_objective,
)
from koers.services.read.cycles import after_the_cycle
from koers.services.read.views import Row, as_dict, group_by, key_result_view, kpi_view, name_of, objective_view
from koers.services.scores import cycle_window, measurement_cutoff
from koers.storage.unit_of_work import UnitOfWork

TIMELINE = 50  # check-ins shown on an objective's timeline


def objective_detail(uow: UnitOfWork, objective_id: int, today: date) -> Row:
    """Everything the objective page shows; NotFound when the viewer may not see the objective."""
    objective = visible_objective(uow, objective_id)
    children = uow.objectives.list(parent_id=objective_id)
    cycles = {c.id: c for c in uow.cycles.list()}
    cycle = cycles[objective.cycle_id]
    ids = [objective_id, *(c.id for c in children)]
    krs_of = group_by(uow.key_results.list_for("objective_id", ids, include_archived=False), lambda kr: kr.objective_id)
    krs = krs_of.get(objective_id, [])
    kr_ids = [kr.id for kr in krs]
    check_ins = group_by(uow.check_ins.list_for("key_result_id", kr_ids), lambda c: c.key_result_id)
    kpis = {k.id: k for k in uow.kpis.list_for("id", [kr.kpi_id for kr in krs])}
    start, end = cycle_window(cycle)
    cutoff = measurement_cutoff(cycle)
    measured = group_by(
        uow.reads.measurements_between(kpis, start, min(end, cutoff) if cutoff else end), lambda m: m.kpi_id
    )
    latest = uow.bulk.latest_measurements(kpis, cutoff)
    initiatives = uow.initiatives.list_for("objective_id", [objective_id], include_archived=False)
    initiatives += uow.initiatives.list_for("key_result_id", kr_ids, include_archived=False)
    parent = next(iter(uow.objectives.list_for("id", [objective.parent_id], include_archived=False)), None)
    team_rows = uow.teams.list_for("id", [objective.team_id, *(k.team_id for k in kpis.values())])
    teams = {team.id: team.name for team in team_rows}
    own_team = next((team for team in team_rows if team.id == objective.team_id), None)
    people_ids = [objective.owner_id, *(kr.owner_id for kr in krs), *(i.owner_id for i in initiatives)]
    people_ids.append(objective.grade_overridden_by)
    people_ids += [c.author_id for found in check_ins.values() for c in found]
    people = {user.id: user.name or user.email for user in uow.users.list_for("id", people_ids)}

    titles, units = {kr.id: kr.title for kr in krs}, {kr.id: kr.unit for kr in krs}
    key_results = []
    forecasts: dict[int, float | None] = {}
    for kr in krs:
        mine = sorted(check_ins.get(kr.id or 0, []), key=lambda c: (c.created_at, c.id or 0))
        from_kpi = measured.get(kr.kpi_id or 0, [])
        view = key_result_view(kr, objective, cycle, today)
        view.update(current_at=kr.current_at, owner=people.get(kr.owner_id), kpi=name_of(kpis.get(kr.kpi_id)))
        view["readings"] = sorted([(c.created_at, c.value) for c in mine] + [(m.at, m.value) for m in from_kpi])
        forecast, forecasts[kr.id or 0] = forecast_of(kr, cycle, points_of(cycle, view["readings"]))
        view["forecast"] = forecast_view(forecast, forecasts[kr.id or 0])
        values = [c.value for c in mine] + [m.value for m in from_kpi] if kr.kind in MAINTAIN_KINDS else []
        view["explanation"] = _explain_key_result(kr, mine[-1] if mine else None, latest.get(kr.kpi_id or 0), values)
        view["can_edit"] = can_edit_key_result(uow.actor, kr, objective)
        key_results.append(view)

    # Aligned objectives whose cycle has not started are left out of the mean (SPEC §3): the formula names them.
    counted = [c for c in children if _started(cycles[c.cycle_id], today)]
    timeline = sorted((c for found in check_ins.values() for c in found), key=lambda c: (c.created_at, c.id or 0))
    timeline.reverse()
    share = elapsed(today, cycle.start_date, cycle.end_date)
    expected = expected_score(share, objective.type)
    view = objective_view(objective, krs, cycle, today, forecasts)
    view.update(team=teams.get(objective.team_id), owner=people.get(objective.owner_id), cycle=as_dict(cycle))
    return {
        "objective": view,
        "parent": None if parent is None or not can_see_objective(uow.actor, parent) else name_of(parent),
        "aligned": [
            objective_view(c, krs_of.get(c.id, []), cycles[c.cycle_id], today)
            for c in children
            if can_see_objective(uow.actor, c)
        ],
        "key_results": key_results,
        "initiatives": [
            {**as_dict(i), "owner": people.get(i.owner_id), "key_result": titles.get(i.key_result_id)}
            for i in initiatives
        ],
        "kpis": [{**kpi_view(k), "team": teams.get(k.team_id)} for k in kpis.values()],
        "timeline": [
            {
                **as_dict(c),
                "key_result": titles[c.key_result_id],
                "unit": units[c.key_result_id],
                "author": people.get(c.author_id),
            }
            for c in timeline[:TIMELINE]
        ],
        "timeline_total": len(timeline),
        "formula": objective_explanation(
            [(kr.title, kr.score, kr.weight) for kr in krs],
            [(c.title, c.score) for c in counted if can_see_objective(uow.actor, c)],
            [c.score for c in counted if not can_see_objective(uow.actor, c)],  # counted, never shown
            [c.title for c in children if c not in counted and can_see_objective(uow.actor, c)],
        ),
        "pace": {
            "elapsed": share,
            "expected": expected,
            "on_track_from": 0.9 * expected,
            "at_risk_from": 0.6 * expected,
        },
        "can_edit": can_edit_objective(uow.actor, objective),
        # issue 15: a closed cycle's grade may be set by hand by admins and the team's lead
        "can_override_grade": cycle.status == "closed" and can_override_grade(uow.actor, own_team),
        "grade_overridden_by": people.get(objective.grade_overridden_by),
        **after_the_cycle(uow, objective, list(cycles.values())),  # carried from, carry to
    }


def _started(cycle: model.Cycle, today: date) -> bool:
    return cycle_has_started(cycle.status, cycle.start_date, today)


def _explain_key_result(
    kr: model.KeyResult, check_in: model.CheckIn | None, measurement: model.Measurement | None, values: list[float]
) -> Row:
    """Which value the score used and the formula with its numbers (`koers explain`'s functions, set-wise)."""
    used = used_reading(check_in, measurement)
    return {
        "value_used": None if used is None else {"value": used.value, "source": used.source, "at": used.at},
        "formula": score_explanation(kr, used, values),
        "cycle_values": len(values),
    }
