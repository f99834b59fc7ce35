"""The cycle report as an Excel workbook (openpyxl): key results and the KPI board, headers in the reader's language.

Every text cell goes through `neutralise`, so a title like `=HYPERLINK(...)` is shown, never run.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from koers.reports.spreadsheet import neutralise
from koers.reports.table import COLUMNS, KPI_COLUMNS, key_result_rows, kpi_rows
from koers.reports.templating import translated
from koers.vocabulary import N_

SHEET_NAME_LIMIT = 31  # Excel's limit on a sheet's name


def _cell(value: Any) -> Any:
    """A value as a cell: formulas neutralised, and characters XML cannot hold (old data may have them) dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)


def _sheet(
    book: Any, title: str, columns: tuple[tuple[str, str], ...], rows: Iterable[dict[str, Any]], lang: str | None
) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(translated(lang, title)[:SHEET_NAME_LIMIT])
    sheet.append([translated(lang, header) for _name, header in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(row.get(name)) for name, _header in columns])
    sheet.freeze_panes = "A2"
    for index, (name, _header) in enumerate(columns, start=1):
        width = 40 if name in ("objective", "key_result", "kpi") else 14
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width


def cycle_report_xlsx(report: dict[str, Any], lang: str | None) -> bytes:
    """The report as .xlsx bytes: a sheet of key results and one of KPIs."""
    from openpyxl import Workbook  # imported late: only spreadsheet reports need it

    book = Workbook()
    book.remove(book.active)
    _sheet(book, N_("Key results"), COLUMNS, key_result_rows(report), lang)
    _sheet(book, N_("KPIs"), KPI_COLUMNS, kpi_rows(report), lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
