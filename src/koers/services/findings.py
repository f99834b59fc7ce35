"""The coach keeps a trace: what the quality coach found in a goal's text at save time stays on the goal.

Every save of an objective or key result (web editors, API, import) passes through `keep_findings`, called by the
services that save goals. The findings are kept with the sha256 of the text they were computed for: a save with the
same text keeps them, a changed text recomputes them (and clears them when nothing is left). Only problems and
warnings are kept; the coach's tips are for the moment of typing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from koers.domain import model
from koers.domain.coach import lint
from koers.domain.coach.result import ERROR, WARNING
from koers.domain.permissions import objective_visibility
from koers.storage.unit_of_work import UnitOfWork

KEPT_SEVERITIES = (ERROR, WARNING)
# Not kept on a goal: every goal lies in a cycle, whose end is its deadline; a milestone is measured by being done.
NOT_KEPT = {"objective": {"no-deadline"}, "key_result": {"no-deadline"}, "milestone": {"no-deadline", "not-measurable"}}
GOAL_KINDS = ("objective", "key_result")
Row = dict[str, Any]


def text_hash(text: str) -> str:
    """The fingerprint of a goal's text (surrounding spaces do not count)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def coach_findings(text: str, kind: str, milestone: bool = False) -> tuple[str, list[Row]]:
    """The language and the problems and warnings the coach finds in a goal's text (none for a text it cannot
    read), without those its place already answers (`NOT_KEPT`)."""
    try:
        result = lint(text, kind, "auto")
    except ValueError:
        return "en", []
    skipped = NOT_KEPT["milestone" if milestone else kind]
    kept = [f.to_dict() for f in result.findings if f.severity in KEPT_SEVERITIES and f.code not in skipped]
    return result.lang, kept


def keep_findings(
    uow: UnitOfWork, kind: str, goal_id: int | None, text: str, milestone: bool = False, now: datetime | None = None
) -> list[Row]:
    """Bring a goal's kept findings up to date with its text; the findings now open on it."""
    if goal_id is None:
        return []
    # The kind of key result decides what is kept, so a milestone turned into a number is looked at again.
    digest = text_hash(f"{text.strip()}\n{'milestone' if milestone else kind}")
    stored = uow.coach_findings.of_goal(kind, goal_id)
    if stored is not None and stored["text_hash"] == digest:
        return list(stored["findings"])
    lang, findings = coach_findings(text, kind, milestone)
    if findings:
        uow.coach_findings.keep(kind, goal_id, digest, lang, findings, now or datetime.now(UTC))
    elif stored is not None:
        uow.coach_findings.clear(kind, goal_id)
    return findings


def findings_of(uow: UnitOfWork, kind: str, goal_id: int | None) -> list[Row]:
    """The findings open on one goal (its small flag), as kept at its last save."""
    stored = uow.coach_findings.of_goal(kind, goal_id) if goal_id is not None else None
    return [] if stored is None else list(stored["findings"])


def goal_flags(uow: UnitOfWork, objective_id: int, key_result_ids: list[int]) -> Row:
    """The flags of one objective's page: its own findings and those of each of its key results."""
    found = uow.coach_findings.for_goals([objective_id], key_result_ids)
    return {
        "objective": found.get(("objective", objective_id), []),
        "key_results": {goal_id: rows for (kind, goal_id), rows in found.items() if kind == "key_result"},
    }


def open_findings(uow: UnitOfWork, cycle: model.Cycle | None = None, team_id: int | None = None) -> Row:
    """The organisation's goals with open findings, per team, that the actor may see.

    In one cycle, or else in every cycle that is not closed (a closed cycle's texts can no longer change). Private
    objectives and their key results stay hidden from those who may not see them, as everywhere.
    """
    cycles = [cycle] if cycle is not None else [c for c in uow.cycles.list() if c.status != "closed"]
    names = {c.id: c.name for c in cycles}
    visibility = objective_visibility(uow.actor)
    teams = {t.id: t.name for t in uow.teams.list(include_archived=True)}
    goals = [
        row
        for row in uow.coach_findings.open_in([c.id or 0 for c in cycles])
        if visibility.admits(row["visibility"], row["team_id"], row["owner_id"])
        and (team_id is None or row["team_id"] == team_id)
    ]
    by_team: dict[int | None, list[Row]] = {}
    for row in sorted(goals, key=lambda r: (r["objective_title"].lower(), r["kind"] != "objective", r["goal_id"])):
        by_team.setdefault(row["team_id"], []).append(
            {
                "kind": row["kind"],
                "id": row["goal_id"],
                "title": row["title"],
                "objective_id": row["objective_id"],
                "objective_title": row["objective_title"],
                "cycle_id": row["cycle_id"],
                "cycle": names.get(row["cycle_id"]),
                "lang": row["lang"],
                "checked_at": row["checked_at"],
                "findings": list(row["findings"]),
            }
        )
    ordered = sorted(by_team.items(), key=lambda item: (item[0] is not None, (teams.get(item[0]) or "").lower()))
    return {
        "cycles": [{"id": c.id, "name": c.name} for c in cycles],
        "teams": [
            {
                "id": team,
                "name": teams.get(team),
                "goals": rows,
                "findings": sum(len(r["findings"]) for r in rows),
                "problems": sum(1 for r in rows for f in r["findings"] if f["severity"] == ERROR),
            }
            for team, rows in ordered
        ],
        "goals": len(goals),
        "findings": sum(len(r["findings"]) for r in goals),
    }


def flag_counts(
    uow: UnitOfWork, objectives: list[model.Objective], key_results: list[model.KeyResult], teams: dict[Any, str]
) -> Row:
    """For a report: how many of these (visible) goals carry a coach flag, per team and in all."""
    counts = uow.coach_findings.for_goals([o.id or 0 for o in objectives], [kr.id or 0 for kr in key_results])
    team_of = {o.id: o.team_id for o in objectives}
    objective_of = {kr.id: kr.objective_id for kr in key_results}
    per_team: Counter[Any] = Counter()
    for kind, goal_id in counts:
        per_team[team_of.get(goal_id if kind == "objective" else objective_of.get(goal_id))] += 1
    return {
        "total": sum(per_team.values()),
        "by_team": sorted(
            ({"team": teams.get(team), "goals": count} for team, count in per_team.items()),
            key=lambda row: (row["team"] is not None, (row["team"] or "").lower()),
        ),
    }
