"""'My week': the key results a person should check in on, and what needs action.

A key result waits for a check-in while its current check-in period has no value
(`koers.domain.attention.checked_in_this_period`: the calendar week for the default cadence of 7 days, so on
Monday last Thursday's check-in is last week's). Maintain and range key results carry the formula of their score
(`koers.domain.explanation`), so the card can say at a glance why ("3 of 9 values were ≤ 1%").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from typing import Any

from koers.domain import model
from koers.domain.attention import checked_in_this_period
from koers.domain.explanation import Formula, key_result_explanation
from koers.domain.permissions import can_see_objective, is_mine
from koers.domain.scoring import MAINTAIN_KINDS
from koers.services.check_ins import CheckInResult
from koers.services.permissions import visible_key_result
from koers.services.read.views import key_result_view
from koers.services.scores import cycle_values_of, target_of
from koers.storage.unit_of_work import UnitOfWork

GLANCE_KINDS = (*MAINTAIN_KINDS, "range")  # the kinds whose score a card explains at a glance


def local_day(moment: datetime | None, zone: tzinfo | None = None) -> date | None:
    """The calendar day of a stored moment (UTC) in `zone` (`KOERS_TIMEZONE`; where the server is without one)."""
    return None if moment is None else moment.astimezone(zone).date()


def glance(kr: model.KeyResult, values: Sequence[float]) -> Formula | None:
    """The formula of a maintain or range key result's score (None for other kinds, and for a range without a
    value yet): the same `key_result_explanation` the explanation shows."""
    if kr.kind not in GLANCE_KINDS or (kr.kind == "range" and kr.current is None):
        return None
    return key_result_explanation(target_of(kr), kr.current, values)


def week_item(
    kr: model.KeyResult,
    objective: model.Objective,
    cycle: model.Cycle,
    today: date,
    values: Sequence[float] = (),
    zone: tzinfo | None = None,
) -> dict[str, Any]:
    """One key result of My week: its view, objective, newest value's moment, whether it waits for a check-in
    (days counted in `zone`), and its score at a glance."""
    view = key_result_view(kr, objective, cycle, today)
    view["objective"] = {"id": objective.id, "title": objective.title, "score": objective.score}
    view["current_at"] = kr.current_at
    view["due"] = not checked_in_this_period(today, local_day(kr.current_at, zone), kr.cadence_days)
    view["glance"] = glance(kr, values)
    return view


def my_week(uow: UnitOfWork, user: model.User, today: date, zone: tzinfo | None = None) -> dict[str, Any]:
    """Key results the user may check in on in open cycles: those due first, and the ones at risk or off track.

    `today` and `zone` (the organisation's time zone) decide which calendar week a value belongs to."""
    cycles = {c.id: c for c in uow.cycles.list() if c.status != "closed"}
    objectives = {
        o.id: o
        for o in uow.objectives.list_for("cycle_id", cycles, include_archived=False)
        if can_see_objective(user, o)
    }
    mine = [
        kr
        for kr in uow.key_results.list_for("objective_id", objectives, include_archived=False)
        if is_mine(user, kr, objectives[kr.objective_id])  # mine implies may check in
    ]
    values = cycle_values_of(uow, ((kr, cycles[objectives[kr.objective_id].cycle_id]) for kr in mine))
    due: list[dict[str, Any]] = []
    fresh: list[dict[str, Any]] = []
    for kr in mine:
        objective = objectives[kr.objective_id]
        view = week_item(kr, objective, cycles[objective.cycle_id], today, values.get(kr.id or 0, []), zone)
        (due if view["due"] else fresh).append(view)
    attention = [kr for kr in due + fresh if kr["status"] in ("at_risk", "off_track")]
    return {"due": due, "fresh": fresh, "attention": attention}


def checked_in(uow: UnitOfWork, result: CheckInResult, today: date, zone: tzinfo | None = None) -> dict[str, Any]:
    """The key result a check-in just changed, as My week shows it (read in the check-in's own transaction)."""
    kr, cycle = result.key_result, result.cycle
    values = cycle_values_of(uow, [(kr, cycle)]).get(kr.id or 0, [])
    return week_item(kr, result.objective, cycle, today, values, zone)


def key_result_item(uow: UnitOfWork, kr_id: int, today: date, zone: tzinfo | None = None) -> dict[str, Any]:
    """One key result as My week shows it, as it stands (after a refused check-in); NotFound when not visible."""
    kr, objective = visible_key_result(uow, kr_id)
    cycle = uow.cycles.get(objective.cycle_id)
    return week_item(kr, objective, cycle, today, cycle_values_of(uow, [(kr, cycle)]).get(kr_id, []), zone)


def score_changes(uow: UnitOfWork, user: model.User, result: CheckInResult) -> list[dict[str, Any]]:
    """The objectives a check-in moved, as the reader may see them: the key result's own objective first (also
    when its score stayed the same), with its score before and after, and the change."""
    moved = {o.id: (o.score_before, o.score) for o in result.objectives}
    own = result.objective.id or 0
    before, after = moved.pop(own, (result.objective.score, result.objective.score))
    return visible_changes(uow, user, [(own, before, after), *((i, b, a) for i, (b, a) in moved.items())])


def visible_changes(
    uow: UnitOfWork, user: model.User, changes: Iterable[tuple[int, float | None, float | None]]
) -> list[dict[str, Any]]:
    """Score changes carried to My week after a check-in without htmx (the redirect's query): only objectives the
    reader may see, titled as stored now."""
    wanted = list(changes)
    if not wanted:
        return []
    found = {
        o.id: o
        for o in uow.objectives.list_for("id", [i for i, _b, _s in wanted], include_archived=True)
        if can_see_objective(user, o)
    }
    return [
        {
            "id": i,
            "title": found[i].title,
            "before": before,
            "score": score,
            "change": None if score is None or before is None else round(score - before, 1),
        }
        for i, before, score in wanted
        if i in found
    ]
