"""`koers report`: a cycle's report as HTML, PDF, XLSX or CSV, for the organisation or one team.

The CLI acts as the system and sees everything. HTML and CSV go to stdout without `-o`; PDF and XLSX are bytes,
written to stdout only when it is not a terminal (`koers report … --format pdf > r.pdf`), refused on a terminal.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from koers.cli.context import cli_locale, koers
from koers.domain.errors import ValidationError
from koers.reports.formats import FORMATS, render_report
from koers.services.read.report import cycle_report, find_cycle


class ReportFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"
    csv = "csv"


class Language(StrEnum):
    nl = "nl"
    en = "en"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(report)


def report(
    cycle: Annotated[str, typer.Option("--cycle", help="The cycle, by name (2026-Q4) or id.")],
    format: Annotated[ReportFormat, typer.Option("--format", help="html, pdf, xlsx or csv.")] = ReportFormat.html,
    team: Annotated[int | None, typer.Option("--team", help="Only this team's objectives and KPIs (team id).")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (PDF/XLSX to a terminal need it).")
    ] = None,
    lang: Annotated[
        Language | None, typer.Option("--lang", help="nl or en; default: KOERS_LANG or the locale.")
    ] = None,
) -> None:
    """A cycle report: objectives and key results with scores (or grades), charts, attention items and KPIs."""
    chosen = FORMATS[format.value]
    if output is None and chosen.binary and sys.stdout.isatty():
        raise ValidationError("report.binary_to_terminal", format=format.value)
    with koers().uow(read_only=True) as uow:
        data = cycle_report(uow, find_cycle(uow, cycle), date.today(), team)
    content = render_report(data, format.value, lang.value if lang else cli_locale())
    if output is not None:
        output.write_bytes(content)
        sys.stderr.write(f"wrote {output} ({len(content):,} bytes)\n")
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
