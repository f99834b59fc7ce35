"""The cycle report's formats in one place: how each is rendered, its media type and its file name."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from koers.reports.csv_report import cycle_report_csv
from koers.reports.html_report import cycle_report_html
from koers.reports.pdf_report import cycle_report_pdf
from koers.reports.xlsx_report import cycle_report_xlsx


@dataclass(frozen=True)
class Format:
    media_type: str
    binary: bool  # PDF and XLSX: bytes that a terminal cannot show
    render: Callable[[dict[str, Any], str | None, str | None], bytes]


FORMATS: Final = {
    "html": Format("text/html; charset=utf-8", False, lambda r, lang, who: cycle_report_html(r, lang, who).encode()),
    "pdf": Format("application/pdf", True, cycle_report_pdf),
    "xlsx": Format(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        True,
        lambda r, lang, _who: cycle_report_xlsx(r, lang),
    ),
    "csv": Format("text/csv; charset=utf-8", False, lambda r, _lang, _who: cycle_report_csv(r).encode()),
}
NAMES: Final = tuple(FORMATS)


def render_report(report: dict[str, Any], format: str, lang: str | None, viewer: str | None = None) -> bytes:
    """The report in one of FORMATS, as bytes (text formats in UTF-8)."""
    return FORMATS[format].render(report, lang, viewer)


def file_name(report: dict[str, Any], format: str) -> str:
    """`koers-report-2026-Q4.pdf`, or with the team: `koers-report-2026-Q4-team-3.pdf` (ASCII only)."""
    cycle = re.sub(r"[^A-Za-z0-9._-]+", "-", str(report["cycle"]["name"])).strip("-.") or str(report["cycle"]["id"])
    team = f"-team-{report['team']['id']}" if report["team"] else ""
    return f"koers-report-{cycle}{team}.{format}"
