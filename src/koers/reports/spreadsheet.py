"""Key results as CSV, with cells that a spreadsheet would run as formulas neutralised; and CSV that Excel opens.

`excel_csv` writes what Excel in a Dutch (or any European) locale opens straight into columns: a UTF-8 byte order
mark (else Excel reads Windows-1252), `;` between cells, decimal commas, CRLF line ends, and the same neutraliser.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any


def N_(message: str) -> str:
    """Mark a text for the catalogue without translating it yet."""
    return message


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


BOM = "\ufeff"
EXCEL_DELIMITER = ";"
# Column headers people read (in Excel), by column: translated with the catalogue when the language is Dutch.
HEADERS: dict[str, str] = {
    "id": N_("Id"),
    "cycle": N_("Cycle"),
    "cycle_id": N_("Cycle id"),
    "team": N_("Team"),
    "team_id": N_("Team id"),
    "parent": N_("Parent team"),
    "parent_id": N_("Parent team id"),
    "lead": N_("Lead"),
    "lead_id": N_("Lead id"),
    "owner": N_("Owner"),
    "owner_id": N_("Owner id"),
    "objective": N_("Objective"),
    "objective_id": N_("Objective id"),
    "key_result": N_("Key result"),
    "key_result_id": N_("Key result id"),
    "title": N_("Title"),
    "name": N_("Name"),
    "start_date": N_("Start date"),
    "end_date": N_("End date"),
    "status": N_("Status"),
    "level": N_("Level"),
    "type": N_("Type"),
    "visibility": N_("Visibility"),
    "kind": N_("Kind"),
    "unit": N_("Unit"),
    "baseline": N_("Baseline"),
    "target": N_("Target"),
    "target_low": N_("Lowest value of the range"),
    "target_high": N_("Highest value of the range"),
    "weight": N_("Weight"),
    "current": N_("Current"),
    "progress": N_("Progress"),
    "score": N_("Score"),
    "confidence": N_("Confidence"),
    "kpi_id": N_("KPI id"),
    "direction": N_("Direction"),
    "green_at": N_("Green from"),
    "red_at": N_("Red from"),
    "due_date": N_("Due date"),
}


def excel_cell(value: Any) -> str:
    """One cell as Excel in a Dutch locale reads it: numbers with a decimal comma, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return f"{value:.15g}".replace(".", ",")  # no grouping: Excel reads 1234,5 as a number, 1.234,5 not always
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(neutralise(str(value)))


def excel_csv(
    columns: Sequence[str], rows: Iterable[dict[str, Any]], translate: Callable[[str], str] = lambda text: text
) -> bytes:
    """Rows as CSV for Excel: BOM, `;`, decimal commas, CRLF; headers from HEADERS in the reader's language."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=EXCEL_DELIMITER, lineterminator="\r\n")
    writer.writerow([str(neutralise(translate(HEADERS[name]) if name in HEADERS else name)) for name in columns])
    for row in rows:
        writer.writerow([excel_cell(row.get(name)) for name in columns])
    return out.getvalue().encode("utf-8")


EXCEL_KEY_RESULT_COLUMNS = (
    "cycle", "team_id", "team", "objective_id", "objective", "key_result_id", "key_result", "owner_id", "owner",
    "kind", "unit", "baseline", "target", "target_low", "target_high", "weight", "current", "progress", "score",
    "status", "confidence", "kpi_id",
)  # fmt: skip


def key_results_excel(document: dict[str, Any], translate: Callable[[str], str] = lambda text: text) -> bytes:
    """The export document's key results for Excel, with team and owner names beside their ids."""
    cycles = {c["id"]: c["name"] for c in document["cycles"]}
    teams = {t["id"]: t["name"] for t in document.get("teams", [])}
    people = {u["id"]: u.get("name") or u.get("email") for u in document.get("users", [])}
    rows = []
    for objective in document["objectives"]:
        for kr in objective["key_results"]:
            owner_id = kr.get("owner_id")
            rows.append(
                {
                    **kr,
                    "cycle": cycles.get(objective["cycle_id"]),
                    "team_id": objective["team_id"],
                    "team": teams.get(objective["team_id"]),
                    "objective_id": objective["id"],
                    "objective": objective["title"],
                    "key_result_id": kr["id"],
                    "key_result": kr["title"],
                    "owner_id": owner_id,
                    "owner": people.get(owner_id),
                }
            )
    return excel_csv(EXCEL_KEY_RESULT_COLUMNS, rows, translate)
