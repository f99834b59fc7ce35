"""Key results as CSV, with cells that a spreadsheet would run as formulas neutralised."""

from __future__ import annotations

import csv
import io
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "cycle", "team_id", "objective_id", "objective", "key_result_id", "key_result", "kind", "unit", "baseline",
    "target", "target_low", "target_high", "weight", "current", "progress", "score", "status", "confidence", "kpi_id",
)  # fmt: skip


def neutralise(value: Any) -> Any:
    """Prefix text that starts like a formula with a quote, so spreadsheets show it instead of running it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def key_results_csv(document: dict[str, Any]) -> str:
    """One row per key result of the export document."""
    cycles = {c["id"]: c["name"] for c in document["cycles"]}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for objective in document["objectives"]:
        for kr in objective["key_results"]:
            row = {
                **{name: kr.get(name) for name in COLUMNS},
                "cycle": cycles.get(objective["cycle_id"]),
                "team_id": objective["team_id"],
                "objective_id": objective["id"],
                "objective": objective["title"],
                "key_result_id": kr["id"],
                "key_result": kr["title"],
            }
            writer.writerow(["" if row[name] is None else neutralise(row[name]) for name in COLUMNS])
    return out.getvalue()
