"""What needs attention now: key results of open cycles with the reasons `koers.domain.attention` finds.

Every read is set-based (a fixed number of queries whatever the number of key results), and only key results
under objectives the actor may see are listed: an outsider learns neither team-only items nor their count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime

from koers.domain import model
from koers.domain.attention import AttentionFacts, attention_reasons, improved
from koers.domain.scoring import cycle_has_started
from koers.services.forecasts import Points, cycle_points, cycle_start, forecast_of
from koers.services.permissions import can_see_objective
from koers.services.read.views import Row, key_result_status, kpi_view
from koers.services.scores import target_of
from koers.storage.unit_of_work import UnitOfWork

# (key result, cycle, its (days since the cycle's start, value) points) -> forecast score (None: no forecast)
ForecastScore = Callable[[model.KeyResult, model.Cycle, Points], float | None]


def theil_sen_score(kr: model.KeyResult, cycle: model.Cycle, points: Points) -> float | None:
    """The score a key result's forecast ends at (`services.forecasts`)."""
    return forecast_of(kr, cycle, points)[1]


def open_cycles(uow: UnitOfWork, today: date) -> dict[int, model.Cycle]:
    """The cycles attention looks at: active and started."""
    return {
        c.id: c
        for c in uow.cycles.list()
        if c.id is not None and c.status == "active" and cycle_has_started(c.status, c.start_date, today)
    }


def attention_items(
    uow: UnitOfWork,
    today: date,
    now: datetime | None = None,
    forecast: ForecastScore = theil_sen_score,
    teams: list[model.Team] | None = None,
    key_results: Sequence[model.KeyResult] | None = None,
) -> list[Row]:
    """Every visible key result of an open cycle that needs attention, with its reasons (teams, then titles).

    `key_results`: only these (already read, in id order, like a report's), instead of every open cycle's.
    """
    now = now or datetime.now(UTC).astimezone()  # calendar weeks and days where the server is, like `today`
    cycles = open_cycles(uow, today)
    if key_results is None:
        objectives = {
            o.id: o
            for o in uow.objectives.list_for("cycle_id", cycles, include_archived=False)
            if can_see_objective(uow.actor, o)
        }
        krs = uow.key_results.list_for("objective_id", objectives, include_archived=False)
    else:
        live = [kr for kr in key_results if not kr.archived]
        objectives = {
            o.id: o
            for o in uow.objectives.list_for("id", {kr.objective_id for kr in live}, include_archived=False)
            if o.cycle_id in cycles and can_see_objective(uow.actor, o)
        }
        krs = [kr for kr in live if kr.objective_id in objectives]
    of_cycle = [(kr, cycles[objectives[kr.objective_id].cycle_id]) for kr in krs]
    points = cycle_points(uow, of_cycle)  # check-ins and linked-KPI measurements in the cycle: one query
    guardrails = uow.insight.guardrails(kr.id for kr in krs)
    kpis = {k.id: k for k in uow.kpis.list_for("id", {kpi for found in guardrails.values() for kpi in found})}
    names = {team.id: team.name for team in teams or uow.teams.list(include_archived=True)}
    items: list[Row] = []
    for kr, cycle in of_cycle:
        objective = objectives[kr.objective_id]
        mine = sorted(points.get(kr.id or 0, []))
        facts = AttentionFacts(
            now=now,
            cycle_start=cycle_start(cycle),
            last_value_at=kr.current_at,
            cadence_days=kr.cadence_days,
            status=key_result_status(kr, objective, cycle, today),
            objective_type=objective.type,
            forecast_score=forecast(kr, cycle, mine),
            latest_confidence=kr.confidence,  # the newest check-in's, stored with the score
            improved=improved(target_of(kr), [value for _x, value in mine]),
            guardrail_statuses=tuple(_status(kpis.get(i)) for i in guardrails.get(kr.id or 0, [])),
        )
        reasons = attention_reasons(facts)
        if reasons:
            item: Row = {
                "key_result_id": kr.id,
                "objective_id": objective.id,
                "reasons": reasons,
                "title": kr.title,
                "objective_title": objective.title,
                "team_id": objective.team_id,
                "team": names.get(objective.team_id),
                "score": kr.score,
            }
            items.append(item)
    items.sort(key=lambda item: (item["team"] or "", item["objective_title"].lower(), item["title"].lower()))
    return items


def attention(uow: UnitOfWork, today: date, team_id: int | None = None, now: datetime | None = None) -> Row:
    """`{"items": [...]}`: what needs attention in the organisation, or in one team's objectives."""
    items = attention_items(uow, today, now)
    if team_id is not None:
        items = [item for item in items if item["team_id"] == team_id]
    return {"items": items}


def attention_by_team(
    uow: UnitOfWork, today: date, team_ids: Iterable[int] | None = None, teams: list[model.Team] | None = None
) -> Row:
    """The organisation's list and one list per team (these teams, or every team with items), for the web."""
    wanted = None if team_ids is None else list(team_ids)
    if wanted == []:
        return {"items": [], "teams": []}
    every = teams if teams is not None else uow.teams.list(include_archived=True)
    items = attention_items(uow, today, teams=every)
    live = {team.id: team for team in every if not team.archived}
    if wanted is None:
        wanted = sorted({i["team_id"] for i in items if i["team_id"] in live}, key=lambda i: live[i].name.lower())
    return {
        "items": items,
        "teams": [
            {"id": i, "name": live[i].name, "items": [item for item in items if item["team_id"] == i]}
            for i in wanted
            if i in live
        ],
    }


def my_teams_attention(uow: UnitOfWork, user: model.User, today: date) -> list[Row]:
    """One list per team the person leads or belongs to, by team name ('My week')."""
    every = uow.teams.list(include_archived=True)
    mine = [t for t in every if not t.archived and (t.id in user.team_ids or t.lead_id == user.id)]
    ids = [t.id for t in sorted(mine, key=lambda t: t.name.lower()) if t.id is not None]
    return list(attention_by_team(uow, today, ids, every)["teams"])


def _status(kpi: model.Kpi | None) -> str | None:
    return None if kpi is None else kpi_view(kpi)["status"]
