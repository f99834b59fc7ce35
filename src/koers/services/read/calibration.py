"""Confidence calibration over closed cycles: were the check-ins' confidences borne out? (`koers.domain.calibration`)

Only check-ins on key results under objectives the actor may see count, so a total never reveals team-only work.
"""

from __future__ import annotations

from koers.domain.calibration import PROBABILITY, calibration, calibration_by, outcome
from koers.domain.permissions import objective_visibility
from koers.services.read.views import Row
from koers.storage.unit_of_work import UnitOfWork


def calibration_report(
    uow: UnitOfWork, team_id: int | None = None, owner_id: int | None = None, cycle_id: int | None = None
) -> Row:
    """`{"brier", "check_ins", "owners": [{"owner_id", "brier", "check_ins"}], "levels": [...]}`.

    "owner" is the check-in's author. `levels` hold, per confidence, the probability it states (`predicted`),
    the share of its check-ins whose key result succeeded (`achieved`, None without check-ins) and their number.
    """
    rows = uow.insight.closed_cycle_check_ins(objective_visibility(uow.actor), team_id, owner_id, cycle_id)
    overall = calibration((r.confidence, r.objective_type, r.final_score) for r in rows)
    owners = calibration_by((r.author_id, r.confidence, r.objective_type, r.final_score) for r in rows)
    levels = []
    for confidence, predicted in PROBABILITY.items():
        outcomes = [outcome(r.objective_type, r.final_score) for r in rows if r.confidence == confidence]
        levels.append(
            {
                "confidence": confidence,
                "predicted": predicted,
                "achieved": sum(outcomes) / len(outcomes) if outcomes else None,
                "check_ins": len(outcomes),
            }
        )
    return {
        "brier": overall.brier,
        "check_ins": overall.check_ins,
        "owners": [
            {"owner_id": owner, "brier": result.brier, "check_ins": result.check_ins}
            for owner, result in sorted(owners.items(), key=lambda item: (item[0] is None, item[0] or 0))
        ],
        "levels": levels,
    }
