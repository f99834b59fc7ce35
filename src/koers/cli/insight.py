"""What Koers sees and what the last cycle taught: attention, forecasts, calibration, ambition, carry-over and the
retrospective note. Each command calls the service the API and the web call, acting as the system (like `status`)."""

from __future__ import annotations

import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from koers.cli.context import ACTING_AS, acting, console, fmt, identifier, koers, print_json
from koers.domain.errors import NotFound, ValidationError
from koers.services.carry_over import carry_over
from koers.services.forecasts import key_result_forecast
from koers.services.objectives import update_objective
from koers.services.read.ambition import ambition as ambition_data
from koers.services.read.attention import attention as attention_data
from koers.services.read.calibration import calibration_report
from koers.services.read.report import find_cycle
from koers.storage.unit_of_work import UnitOfWork

JSON = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
REASON_COLOURS = {"off_track": "red", "guardrail": "red", "at_risk": "yellow", "no_recent_check_in": "dim"}
READ_LIMIT = 1_000_000  # bytes of a --file note; the note itself may hold 10,000 characters


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(attention)
    app.command()(forecast)
    app.command()(calibration)
    app.command()(ambition)
    app.command(name="carry-over")(carry_over_command)
    app.command()(retrospective)


def attention(
    team: Annotated[int | None, typer.Option("--team", help="Only this team's objectives (a team id).", min=1)] = None,
    json_output: JSON = False,
) -> None:
    """What needs attention: key results of open cycles that are behind, late, heading for a miss or past a guardrail."""
    with koers().uow(read_only=True) as uow:
        data = attention_data(uow, date.today(), team)
    if json_output:
        print_json(
            {"items": [{k: item[k] for k in ("key_result_id", "objective_id", "reasons")} for item in data["items"]]}
        )
        return
    if not data["items"]:
        console.print("Nothing needs attention.")
        return
    table = Table(title="Needs attention", title_justify="left")
    for heading in ("KR", "Key result", "Objective", "Team", "Reasons"):
        table.add_column(heading)
    for item in data["items"]:
        reasons = Text(" ").join(
            Text(code.replace("_", " "), style=REASON_COLOURS.get(code, "yellow")) for code in item["reasons"]
        )
        table.add_row(str(item["key_result_id"]), item["title"], item["objective_title"], item["team"] or "–", reasons)
    console.print(table)


def forecast(
    key_result_id: Annotated[str, typer.Argument(help="Id of the key result.")],
    json_output: JSON = False,
) -> None:
    """Where a key result is heading: a Theil–Sen line through the cycle's values, projected to the cycle's end."""
    kr_id = identifier(key_result_id, "KEY_RESULT_ID")
    with koers().uow(read_only=True) as uow:
        data = key_result_forecast(uow, kr_id)
        kr = uow.key_results.get(kr_id)
    if json_output:
        print_json(data)
        return
    values = f"{data['points']} value{'' if data['points'] == 1 else 's'}"
    if data["value"] is None:
        console.print(f"Key result {kr_id} {kr.title!r}: not enough values for a forecast ({values}; two needed).")
        return
    score = "–" if data["score"] is None else f"{data['score']:.1f}"
    console.print(
        f"Key result {kr_id} {kr.title!r}: forecast {fmt(data['value'], kr.unit)} at the cycle's end"
        f" ({fmt(data['low'], kr.unit)} – {fmt(data['high'], kr.unit)}), score {score};"
        f" from {values}, method {data['method']}."
    )


def calibration(
    team: Annotated[int | None, typer.Option("--team", help="Only this team's objectives (a team id).", min=1)] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Only this person's check-ins (email or id).")] = None,
    cycle: Annotated[str | None, typer.Option("--cycle", help="Only this closed cycle (name or id).")] = None,
    json_output: JSON = False,
) -> None:
    """Confidence calibration over closed cycles: the Brier score of the check-ins' confidences, overall and per owner.

    on_track counts as 0.9, at_risk 0.5, off_track 0.1; 0 is perfect, 0.25 is what always saying 50% scores.
    """
    with koers().uow(read_only=True) as uow:
        owner_id = None if owner is None else _user_id(uow, owner)
        cycle_id = None if cycle is None else find_cycle(uow, cycle).id
        data = calibration_report(uow, team, owner_id, cycle_id)
        people = {o["owner_id"]: uow.users.find(o["owner_id"]) for o in data["owners"] if o["owner_id"] is not None}
    if json_output:
        print_json({k: data[k] for k in ("brier", "check_ins", "owners")})
        return
    if not data["check_ins"]:
        console.print("No check-ins with a confidence in closed cycles: nothing to calibrate.")
        return
    console.print(f"Brier {_brier(data['brier'])} over {data['check_ins']} check-ins (0 is perfect).")
    table = Table(title="Per owner", title_justify="left")
    for heading in ("Owner", "Brier", "Check-ins"):
        table.add_column(heading)
    for row in data["owners"]:
        person = people.get(row["owner_id"])
        name = person.email if person is not None else "–"
        table.add_row(name, _brier(row["brier"]), str(row["check_ins"]))
    console.print(table)


def ambition(json_output: JSON = False) -> None:
    """Ambition across closed cycles: each team's red/yellow/green grade spread per cycle, and the flags.

    Flags: an aspirational objective graded 1.0 (too easy), a team whose aspirational key results reach 100 in more
    than half the cases (easy team), and a committed objective that missed.
    """
    with koers().uow(read_only=True) as uow:
        data = ambition_data(uow)
    if json_output:
        print_json(data)
        return
    if not data["cycles"]:
        console.print("No closed cycles yet.")
        return
    table = Table(title="Grades per team (red/yellow/green)", title_justify="left")
    table.add_column("Team")
    for cycle in data["cycles"]:
        table.add_column(cycle["name"])
    for team in data["teams"]:
        cells = []
        for cell in team["cycles"]:
            spread = cell["spread"]
            text = "–" if spread is None else "/".join(str(spread[c]) for c in ("red", "yellow", "green"))
            cells.append(text + (" easy team" if cell["easy_team"] else ""))
        table.add_row(team["name"] or "Organisation", *cells)
    console.print(table)
    for flag in data["flags"]:
        what = "too easy: aspirational, graded 1.0" if flag["flag"] == "too_easy" else "missed: committed"
        console.print(
            f"  {flag['cycle']}: objective {flag['id']} {flag['title']!r} ({flag['team'] or 'organisation'}) {what}"
        )
    if not data["flags"]:
        console.print("No flags.")


def carry_over_command(
    objective_id: Annotated[str, typer.Argument(help="Id of the objective to carry over.")],
    cycle: Annotated[str, typer.Option("--cycle", help="The cycle to carry it into (name or id); not closed.")],
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
) -> None:
    """Carry an objective over into another cycle: a copy whose key results start at the original's last values."""
    original_id = identifier(objective_id, "OBJECTIVE_ID")
    with koers().uow() as uow:
        acting(uow, acting_as)
        copy = carry_over(uow, original_id, find_cycle(uow, cycle).id or 0)
    if json_output:
        print_json(asdict(copy))
        return
    console.print(f"Objective {copy.id} {copy.title!r} carried over from objective {original_id}.")


def retrospective(
    objective_id: Annotated[str, typer.Argument(help="Id of the objective.")],
    text: Annotated[str | None, typer.Argument(metavar="TEXT", help="What we learned.")] = None,
    file: Annotated[str | None, typer.Option("--file", help="Read the note from this UTF-8 file; - for stdin.")] = None,
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
) -> None:
    """Write an objective's retrospective note ("what we learned"); allowed after its cycle closed."""
    obj_id = identifier(objective_id, "OBJECTIVE_ID")
    if (text is None) == (file is None):
        raise ValidationError("lint.text_or_file")
    note = text if text is not None else _read_text(file or "-")
    with koers().uow() as uow:
        acting(uow, acting_as)
        objective = update_objective(uow, obj_id, {"retrospective": note})
    if json_output:
        print_json(asdict(objective))
        return
    console.print(f"Retrospective of objective {objective.id} {objective.title!r} saved.")


def _user_id(uow: UnitOfWork, reference: str) -> int | None:
    """A user by id (a number) or by email."""
    if reference.strip().isdigit():
        if uow.users.find(int(reference)) is None:
            raise NotFound("user.not_found", id=int(reference))
        return int(reference)
    user = uow.users.by_email(reference.strip())
    if user is None:
        raise NotFound("user.email_unknown", email=reference)
    return user.id


def _read_text(file: str) -> str:
    """A UTF-8 text file (or stdin for -), without its surrounding blank space; at most READ_LIMIT bytes are read,
    so a longer note still reaches the length check and its message."""
    if file == "-":
        raw = sys.stdin.buffer.read(READ_LIMIT)
    else:
        path = Path(file)
        if not path.exists():
            raise ValidationError("file.missing", file=file)
        if path.is_dir():
            raise ValidationError("file.is_directory", file=file)
        with path.open("rb") as handle:
            raw = handle.read(READ_LIMIT)
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ValidationError("file.not_utf8", file=file) from None


def _brier(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
