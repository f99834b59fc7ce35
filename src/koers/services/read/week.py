"""'My week': the key results a person should check in on, and what needs action."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from koers.domain import model
from koers.domain.permissions import can_see_objective, is_mine
from koers.services.read.views import key_result_view
from koers.storage.unit_of_work import UnitOfWork

CHECK_IN_EVERY = timedelta(days=7)


def my_week(uow: UnitOfWork, user: model.User, today: date) -> dict[str, Any]:
    """Key results the user may check in on in open cycles: those due first, and the ones at risk or off track."""
    cycles = {c.id: c for c in uow.cycles.list() if c.status != "closed"}
    objectives = {
        o.id: o
        for o in uow.objectives.list_for("cycle_id", cycles, include_archived=False)
        if can_see_objective(user, o)
    }
    now = datetime.now(UTC)
    due: list[dict[str, Any]] = []
    fresh: list[dict[str, Any]] = []
    for kr in uow.key_results.list_for("objective_id", objectives, include_archived=False):
        objective = objectives[kr.objective_id]
        if not is_mine(user, kr, objective):  # mine implies may check in
            continue
        view = key_result_view(kr, objective, cycles[objective.cycle_id], today)
        view["objective"] = {"id": objective.id, "title": objective.title}
        view["current_at"] = kr.current_at
        view["due"] = kr.current_at is None or now - kr.current_at >= CHECK_IN_EVERY
        (due if view["due"] else fresh).append(view)
    attention = [kr for kr in due + fresh if kr["status"] in ("at_risk", "off_track")]
    return {"due": due, "fresh": fresh, "attention": attention}
