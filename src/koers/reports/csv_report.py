"""The cycle report as CSV: one row per key result; text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import csv
import io
from typing import Any

from koers.reports.spreadsheet import neutralise
from koers.reports.table import COLUMNS, key_result_rows


def cycle_report_csv(report: dict[str, Any]) -> str:
    """The report's key results as CSV with code headers (cycle, team, objective_id, …)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [name for name, _header in COLUMNS]
    writer.writerow(names)
    for row in key_result_rows(report):
        writer.writerow(["" if row.get(name) is None else neutralise(row.get(name)) for name in names])
    return out.getvalue()
