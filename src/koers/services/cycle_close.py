"""Before a cycle is closed: what the admin should know (issue 15).

Closing grades every objective and freezes the cycle for good, so the confirmation step says how many days are left
until the cycle's last day and which key results have had no new value for 14 days (`koers.domain.closing`), and
shows the grades closing now would give. The close itself is `organisation.close_cycle`; it refuses a `planning` cycle.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from koers.domain import grading
from koers.domain.closing import QUIET_DAYS, days_left, is_quiet
from koers.domain.errors import ValidationError
from koers.domain.validation import validate_cycle_close
from koers.services.forecasts import cycle_start
from koers.services.permissions import require_admin
from koers.storage.unit_of_work import UnitOfWork


def close_preview(uow: UnitOfWork, cycle_id: int, now: datetime | None = None) -> dict[str, Any]:
    """What closing the cycle now would do and what it would cut short; `closable` False with the reason's code
    (`cycle.close_planning`, `cycle.already_closed`) when the domain refuses it."""
    require_admin(uow, "admin_only.close_cycles")
    now = now or datetime.now(UTC)
    today: date = now.date()
    cycle = uow.cycles.get(cycle_id)
    refusal = None
    try:
        validate_cycle_close(cycle)
    except ValidationError as error:
        refusal = error
    teams = {t.id: t.name for t in uow.teams.list(include_archived=True)}
    objectives = sorted(
        uow.objectives.list(cycle_id=cycle_id), key=lambda o: ((teams.get(o.team_id) or ""), o.title.lower())
    )
    live = {o.id: o for o in objectives if not o.archived}
    quiet = []
    for kr in uow.key_results.list_for("objective_id", live, include_archived=False):
        if is_quiet(now, cycle_start(cycle), kr.current_at):
            objective = live[kr.objective_id]
            quiet.append(
                {
                    "id": kr.id,
                    "title": kr.title,
                    "objective_id": objective.id,
                    "objective": objective.title,
                    "team": teams.get(objective.team_id),
                    "last_value_at": kr.current_at,
                }
            )
    quiet.sort(key=lambda row: (row["last_value_at"] is not None, row["last_value_at"] or now, row["title"]))
    grades = []
    for o in objectives:
        value = grading.grade(o.score)
        grades.append(
            {
                "id": o.id,
                "title": o.title,
                "team": teams.get(o.team_id),
                "type": o.type,
                "grade": value,
                "colour": grading.grade_colour(value),
                "too_easy": grading.too_easy_objective(o.type, value),
                "computed_grade": value,
                "overridden": False,
            }
        )
    return {
        "cycle": cycle,
        "closable": refusal is None,
        "refusal": refusal,
        "days_left": days_left(cycle.end_date, today),
        "quiet_days": QUIET_DAYS,
        "quiet_key_results": quiet,
        "grades": grades,
    }
