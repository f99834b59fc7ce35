"""The cycle report as a table: one row per key result with its objective, for CSV and spreadsheets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from koers.vocabulary import N_

# (column code, header people read): CSV keeps the codes, a spreadsheet shows the translated headers.
COLUMNS = (
    ("cycle", N_("Cycle")),
    ("team", N_("Team")),
    ("objective_id", N_("Objective id")),
    ("objective", N_("Objective")),
    ("level", N_("Level")),
    ("type", N_("Type")),
    ("objective_score", N_("Objective score")),
    ("objective_grade", N_("Grade")),
    ("objective_grade_computed", N_("Computed grade")),  # issue 15: beside a grade set by hand
    ("objective_status", N_("Objective pace")),
    ("key_result_id", N_("Key result id")),
    ("key_result", N_("Key result")),
    ("kind", N_("Kind")),
    ("unit", N_("Unit")),
    ("baseline", N_("Baseline")),
    ("target", N_("Target")),
    ("target_low", N_("Lower bound")),
    ("target_high", N_("Upper bound")),
    ("current", N_("Current")),
    ("score", N_("Score")),
    ("status", N_("Pace")),
    ("confidence", N_("Confidence")),
    ("owner", N_("Owner")),
)
KPI_COLUMNS = (
    ("kpi_id", N_("KPI id")),
    ("kpi", N_("KPI")),
    ("team", N_("Team")),
    ("unit", N_("Unit")),
    ("current", N_("Current")),
    ("status", N_("Colour")),
)


def key_result_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per key result of the report (objectives without key results get one row of their own)."""
    for objective in report["objectives"]:
        head = {
            "cycle": report["cycle"]["name"],
            "team": objective["team"],
            "objective_id": objective["id"],
            "objective": objective["title"],
            "level": objective["level"],
            "type": objective["type"],
            "objective_score": objective["score"],
            "objective_grade": objective["final_grade"],
            "objective_grade_computed": objective["grade"],
            "objective_status": objective["status"],
        }
        if not objective["key_results"]:
            yield head
        for kr in objective["key_results"]:
            yield {
                **head,
                **{name: kr.get(name) for name in ("kind", "unit", "baseline", "target", "target_low", "target_high")},
                **{name: kr.get(name) for name in ("current", "score", "status", "confidence", "owner")},
                "key_result_id": kr["id"],
                "key_result": kr["title"],
            }


def kpi_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per KPI of the board."""
    for kpi in report["kpis"]:
        yield {
            "kpi_id": kpi["id"],
            "kpi": kpi["name"],
            "team": kpi["team"],
            "unit": kpi["unit"],
            "current": kpi["current"],
            "status": kpi["status"],
        }
