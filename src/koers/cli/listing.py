"""`koers list teams|cycles|objectives|key-results|kpis|initiatives`: flat lists with --team and --cycle filters.

A table for people (headers and words in the CLI's language), `--json` for scripts, `--csv` for tools and `--excel`
for Excel in a Dutch locale. With `--as EMAIL` (or KOERS_USER) the list shows what that person may see; without,
the system lists everything.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from koers.cli.context import ACTING_AS, JSON, acting, console, find_cycle_id, fmt, koers, print_json
from koers.cli.messages import _, decimal

if TYPE_CHECKING:
    from koers.storage.unit_of_work import UnitOfWork

list_app = typer.Typer(
    help="Lists of teams, cycles, objectives, key results, KPIs and initiatives.", no_args_is_help=True
)


class Noun(StrEnum):
    teams = "teams"
    cycles = "cycles"
    objectives = "objectives"
    key_results = "key-results"
    kpis = "kpis"
    initiatives = "initiatives"


# The columns a table shows (JSON and CSV carry every column of services.read.lists.COLUMNS).
SHOWN: dict[str, tuple[str, ...]] = {
    "teams": ("id", "name", "parent", "lead"),
    "cycles": ("id", "name", "start_date", "end_date", "status"),
    "objectives": ("id", "title", "cycle", "team", "owner", "level", "type", "score"),
    "key-results": ("id", "title", "objective_id", "team", "owner", "kind", "current", "target", "score", "confidence"),
    "kpis": ("id", "name", "team", "owner", "direction", "current", "target"),
    "initiatives": ("id", "title", "objective_id", "key_result_id", "team", "owner", "status", "due_date"),
}
WORDS = frozenset({"status", "level", "type", "kind", "confidence", "direction", "visibility"})  # codes shown as words
NUMBERS = frozenset({"baseline", "target", "target_low", "target_high", "current"})

TEAM = Annotated[
    str | None, typer.Option("--team", help="Only this team's records, by id or name (teams: it and its sub-teams).")
]
CYCLE = Annotated[str | None, typer.Option("--cycle", help="Only this cycle's records, by name (2026-Q4) or id.")]
CSV = Annotated[bool, typer.Option("--csv", help="Print CSV (UTF-8, ',', every column, codes as they are).")]
EXCEL = Annotated[
    bool,
    typer.Option(
        "--excel", help="CSV for Excel in a Dutch locale: UTF-8 BOM, ';', decimal commas, headers in your language."
    ),
]
OUTPUT = Annotated[Path | None, typer.Option("--output", "-o", help="Write CSV to this file instead of stdout.")]


def register(app: typer.Typer) -> None:
    """Add this module's command group to the app."""
    app.add_typer(list_app, name="list")


def _list(
    noun: Noun,
    team: str | None,
    cycle: str | None,
    acting_as: str | None,
    json_output: bool,
    csv_output: bool,
    excel: bool,
    output: Path | None,
) -> None:
    from koers.services.read.lists import COLUMNS, records

    with koers().uow(read_only=True) as uow:
        acting(uow, acting_as)
        rows = records(uow, noun.value, find_team_id(uow, team), find_cycle_id(uow, cycle))
    columns = COLUMNS[noun.value]
    if json_output:
        print_json(rows)
    elif excel or csv_output:
        from koers.cli.transfer import write_bytes

        write_bytes(_csv(columns, rows, excel), output)
    else:
        _table(noun.value, rows)


def _csv(columns: tuple[str, ...], rows: list[dict[str, Any]], excel: bool) -> bytes:
    from koers.reports import spreadsheet

    if excel:
        return spreadsheet.excel_csv(columns, rows, _)
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else spreadsheet.neutralise(row.get(name)) for name in columns])
    return out.getvalue().encode("utf-8")


def _table(noun: str, rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    from koers.reports.spreadsheet import HEADERS

    if not rows:
        console.print(_("Nothing to list."))
        return
    table = Table(show_edge=False, pad_edge=False)
    for name in SHOWN[noun]:
        numeric = name in NUMBERS or name in ("id", "score") or name.endswith("_id")
        table.add_column(_(HEADERS.get(name, name)), justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(_cell(name, row.get(name), row) for name in SHOWN[noun]))
    console.print(table)


def _cell(name: str, value: Any, row: dict[str, Any]) -> str:
    from koers.vocabulary import label

    if value is None:
        return "–"
    if name in WORDS:
        return _(label(str(value)))
    if name == "score":
        return decimal(float(value), ".1f")
    if name in NUMBERS:
        return fmt(float(value), str(row.get("unit") or ""))
    return str(value)


def find_team_id(uow: UnitOfWork, reference: str | None) -> int | None:
    """A team by id or by name (case-insensitive); None when not given."""
    if reference is None:
        return None
    from koers.domain.errors import NotFound

    text = reference.strip()
    if text.isdigit() and uow.teams.find(int(text)) is not None:
        return int(text)
    for team in uow.teams.list(include_archived=True):
        if team.name.lower() == text.lower():
            return team.id
    raise NotFound("team.not_found", field="--team", id=reference)


@list_app.command("teams")
def list_teams(
    team: TEAM = None,
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
    csv_output: CSV = False,
    excel: EXCEL = False,
    output: OUTPUT = None,
) -> None:
    """Teams, with their parent team and lead."""
    _list(Noun.teams, team, None, acting_as, json_output, csv_output, excel, output)


@list_app.command("cycles")
def list_cycles(
    cycle: CYCLE = None,
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
    csv_output: CSV = False,
    excel: EXCEL = False,
    output: OUTPUT = None,
) -> None:
    """Cycles: quarters and years, with their dates and status."""
    _list(Noun.cycles, None, cycle, acting_as, json_output, csv_output, excel, output)


@list_app.command("objectives")
def list_objectives(
    team: TEAM = None,
    cycle: CYCLE = None,
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
    csv_output: CSV = False,
    excel: EXCEL = False,
    output: OUTPUT = None,
) -> None:
    """Objectives, with their cycle, team, owner and score."""
    _list(Noun.objectives, team, cycle, acting_as, json_output, csv_output, excel, output)


@list_app.command("key-results")
def list_key_results(
    team: TEAM = None,
    cycle: CYCLE = None,
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
    csv_output: CSV = False,
    excel: EXCEL = False,
    output: OUTPUT = None,
) -> None:
    """Key results, with their objective, team, owner, current value, target and score."""
    _list(Noun.key_results, team, cycle, acting_as, json_output, csv_output, excel, output)


@list_app.command("kpis")
def list_kpis(
    team: TEAM = None,
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
    csv_output: CSV = False,
    excel: EXCEL = False,
    output: OUTPUT = None,
) -> None:
    """KPIs, with their team, owner, current value and target."""
    _list(Noun.kpis, team, None, acting_as, json_output, csv_output, excel, output)


@list_app.command("initiatives")
def list_initiatives(
    team: TEAM = None,
    cycle: CYCLE = None,
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
    csv_output: CSV = False,
    excel: EXCEL = False,
    output: OUTPUT = None,
) -> None:
    """Initiatives, with the objective or key result they move, their team, owner, status and due date."""
    _list(Noun.initiatives, team, cycle, acting_as, json_output, csv_output, excel, output)
