"""Commands that set up the organisation and its goals: users, teams, cycles, objectives, key results, KPIs."""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Annotated, Any

import typer

from koers.cli.context import (
    ACTING_AS,
    acting,
    console,
    day,
    find_cycle_id,
    identifier,
    koers,
    number,
    optional_number,
    print_json,
)
from koers.domain import model
from koers.domain.errors import ValidationError
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.cycle_close import close_preview
from koers.services.kpis import archive_kpi, create_kpi
from koers.services.passwords import hash_password

JSON = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]

user_app = typer.Typer(help="People who use Koers.", no_args_is_help=True)
team_app = typer.Typer(help="Teams (a tree).", no_args_is_help=True)
cycle_app = typer.Typer(help="Cycles: quarters and years.", no_args_is_help=True)
objective_app = typer.Typer(help="Objectives: qualitative, ambitious goals.", no_args_is_help=True)
kr_app = typer.Typer(help="Key results: measurable outcomes under an objective.", no_args_is_help=True)
kpi_app = typer.Typer(help="KPIs: ongoing quantitative metrics.", no_args_is_help=True)
initiative_app = typer.Typer(help="Initiatives: the work that moves a key result.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this module's command groups to the app (with `koers user`'s commands from koers.cli.accounts)."""
    from koers.cli import accounts  # noqa: F401  (adds set-password, enable and invite to user_app)

    for name, group in (
        ("user", user_app), ("team", team_app), ("cycle", cycle_app), ("objective", objective_app),
        ("kr", kr_app), ("kpi", kpi_app), ("initiative", initiative_app),
    ):  # fmt: skip
        app.add_typer(group, name=name)


def _done(entity: Any, label: str, json_output: bool, verb: str = "saved") -> None:
    if json_output:
        print_json(asdict(entity))
    else:
        console.print(f"{label} {entity.id} {verb}.")


def _ids(values: list[str] | None, name: str) -> list[int]:
    return [identifier(v, name) for v in values or []]


def _days(text: str, name: str) -> Any:
    """A whole number of days as an int; anything else as typed, for the domain to refuse by name."""
    value = number(text, name)
    return int(value) if value.is_integer() else value


def _optional_id(value: str | None, name: str) -> int | None:
    return None if value is None else identifier(value, name)


@user_app.command("add")
def user_add(
    email: str,
    role: Annotated[str, typer.Option(help="admin or member.")] = "member",
    name: Annotated[str, typer.Option(help="Full name.")] = "",
    locale: Annotated[str, typer.Option(help="nl or en.")] = "nl",
    team: Annotated[list[str] | None, typer.Option("--team", help="Team id (repeat for several).")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read a password from stdin.")] = False,
    json_output: JSON = False,
) -> None:
    """Add a user; never prompts (use --password-stdin to set a password)."""
    password_hash = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        password_hash = hash_password(password)
    with koers().uow() as uow:
        user = org.add_user(uow, email, role, name, locale, _ids(team, "--team"), password_hash)
    _done(user, "User", json_output)


@user_app.command("disable")
def user_disable(email: str) -> None:
    """Disable a user: no more logins, and every token of theirs stops working."""
    with koers().uow() as uow:
        user = uow.users.by_email(email.strip())
        if user is None or user.id is None:
            raise ValidationError("user.email_unknown", email=email)
        org.disable_user(uow, user.id)
    console.print(f"User {email} disabled; their tokens are revoked.")


@user_app.command("list")
def user_list(json_output: JSON = False) -> None:
    """Every user."""
    with koers().uow(read_only=True) as uow:
        users = uow.users.list()
    if json_output:
        print_json([asdict(u) for u in users])
    for u in [] if json_output else users:
        console.print(f"{u.id:>4}  {u.email:<40} {u.role:<7} {u.name}")


@team_app.command("add")
def team_add(
    name: str,
    parent: Annotated[str | None, typer.Option(help="Parent team id.")] = None,
    lead: Annotated[str | None, typer.Option(help="Lead's user id.")] = None,
    json_output: JSON = False,
) -> None:
    """Add a team, optionally under a parent team."""
    with koers().uow() as uow:
        team = org.create_team(uow, name, _optional_id(parent, "--parent"), _optional_id(lead, "--lead"))
    _done(team, "Team", json_output)


@cycle_app.command("add")
def cycle_add(
    name: str,
    start: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option(help="Last day, YYYY-MM-DD.")],
    status: Annotated[str, typer.Option(help="planning or active.")] = "active",
    json_output: JSON = False,
) -> None:
    """Add a cycle (a quarter such as 2026-Q4, or a year)."""
    with koers().uow() as uow:
        cycle = org.create_cycle(uow, name, day(start, "--start"), day(end, "--end"), status)
    _done(cycle, "Cycle", json_output)


@cycle_app.command("close")
def cycle_close(
    cycle: Annotated[str, typer.Argument(metavar="CYCLE", help="The cycle, by name (2026-Q4) or id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Close without asking (scripts).")] = False,
    json_output: JSON = False,
) -> None:
    """Close a cycle: grade each objective and flag goals that were reached too easily.

    Asks first, saying how many days are left and how many key results had no check-in for 14 days; `--yes`
    skips the question. A cycle still being planned cannot be closed.
    """
    with koers().uow(read_only=True) as uow:
        preview = close_preview(uow, find_cycle_id(uow, cycle) or 0)
    if preview["refusal"] is not None:
        raise preview["refusal"]
    if not yes:
        _warn_before_closing(preview)
        if not typer.confirm(f"Close {preview['cycle'].name} now? This cannot be undone.", err=True):
            console.print("Not closed.")
            raise typer.Exit(1)
    with koers().uow() as uow:
        result = org.close_cycle(uow, preview["cycle"].id or 0)
    if json_output:
        print_json({**result, "cycle": asdict(result["cycle"])})
        return
    console.print(f"Cycle {result['cycle'].name} closed.")
    for g in result["grades"]:
        flag = "  (aspirational goal fully reached: was it ambitious enough?)" if g["too_easy"] else ""
        grade = "–" if g["grade"] is None else f"{g['grade']:.2f}"
        console.print(f"  {grade:>5} {g['colour'] or '':<6} {g['title']}{flag}")
    for team_id in result["too_easy_team_ids"]:
        console.print(f"  Team {team_id}: more than half of its aspirational key results reached 100 — aim higher.")


def _warn_before_closing(preview: dict[str, Any]) -> None:
    """What the admin should know before closing (the web's confirmation step, on stderr)."""
    cycle, left, quiet = preview["cycle"], preview["days_left"], preview["quiet_key_results"]
    if left > 0:
        when = f"{left} day{'s' if left != 1 else ''} left until its last day ({cycle.end_date.isoformat()})"
    elif left == 0:
        when = "today is its last day"
    else:
        when = f"it ended {-left} day{'s' if left != -1 else ''} ago"
    days = preview["quiet_days"]
    count = len(quiet)
    typer.echo(f"{cycle.name}: {when}.", err=True)
    typer.echo(f"{count} key result{'s' if count != 1 else ''} had no check-in for {days} days or more.", err=True)
    for kr in quiet[:10]:
        typer.echo(f"  {kr['id']}  {kr['title']}", err=True)
    if count > 10:
        typer.echo(f"  … and {count - 10} more", err=True)


@objective_app.command("add")
def objective_add(
    title: str,
    cycle: Annotated[str, typer.Option(help="The cycle, by name (2026-Q4) or id.")],
    level: Annotated[str, typer.Option(help="strategic or tactical.")] = "tactical",
    type: Annotated[str, typer.Option("--type", help="committed or aspirational.")] = "committed",
    team: Annotated[str | None, typer.Option(help="Team id (none: the whole organisation).")] = None,
    owner: Annotated[str | None, typer.Option(help="Owner's user id.")] = None,
    parent: Annotated[str | None, typer.Option(help="Objective id this one aligns under.")] = None,
    visibility: Annotated[str, typer.Option(help="public or team.")] = "public",
    description: Annotated[str, typer.Option(help="Why this objective matters.")] = "",
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
) -> None:
    """Add an objective to a cycle."""
    objective = model.Objective(
        title=title, cycle_id=0, level=level, type=type, description=description,
        team_id=_optional_id(team, "--team"), owner_id=_optional_id(owner, "--owner"),
        parent_id=_optional_id(parent, "--parent"), visibility=visibility,
    )  # fmt: skip
    with koers().uow() as uow:
        acting(uow, acting_as)
        objective.cycle_id = find_cycle_id(uow, cycle) or 0
        goals.create_objective(uow, objective)
    _done(objective, "Objective", json_output)


@objective_app.command("align")
def objective_align(
    objective_id: str,
    parent_id: Annotated[str, typer.Argument(help="The objective to align under, or 'none' to detach.")],
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
) -> None:
    """Align an objective under another (a tactical objective supports a strategic one)."""
    parent = None if parent_id.lower() == "none" else identifier(parent_id, "PARENT_ID")
    with koers().uow() as uow:
        acting(uow, acting_as)
        objective = goals.align_objective(uow, identifier(objective_id, "OBJECTIVE_ID"), parent)
    _done(objective, "Objective", json_output, f"aligned under {parent}" if parent else "detached")


@objective_app.command("archive")
def objective_archive(objective_id: str, acting_as: ACTING_AS = None, json_output: JSON = False) -> None:
    """Archive an objective: out of scores and lists, history kept."""
    with koers().uow() as uow:
        acting(uow, acting_as)
        objective = goals.archive_objective(uow, identifier(objective_id, "OBJECTIVE_ID"))
    _done(objective, "Objective", json_output, "archived")


@kr_app.command("add")
def kr_add(
    objective_id: str,
    title: str,
    kind: Annotated[str, typer.Option(help="increase, decrease, range, above, below or milestone.")] = "increase",
    baseline: Annotated[str | None, typer.Option(help="Where it starts.")] = None,
    target: Annotated[str | None, typer.Option(help="Where it should end.")] = None,
    low: Annotated[str | None, typer.Option("--low", help="Range: lowest good value.")] = None,
    high: Annotated[str | None, typer.Option("--high", help="Range: highest good value.")] = None,
    unit: Annotated[str, typer.Option(help="%, min, EUR...")] = "",
    weight: Annotated[str, typer.Option(help="Weight in the objective's score.")] = "1",
    kpi: Annotated[str | None, typer.Option(help="KPI id whose measurements feed this key result.")] = None,
    owner: Annotated[str | None, typer.Option(help="Owner's user id.")] = None,
    plan: Annotated[
        str | None, typer.Option("--plan", help="Planned pace: linear (default), back_loaded or s_curve.")
    ] = None,
    cadence: Annotated[str, typer.Option("--cadence", help="A check-in is due every this many days (1-366).")] = "7",
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
) -> None:
    """Add a key result to an objective."""
    kr = model.KeyResult(
        objective_id=identifier(objective_id, "OBJECTIVE_ID"), title=title, kind=kind, unit=unit,
        baseline=optional_number(baseline, "--baseline"), target=optional_number(target, "--target"),
        target_low=optional_number(low, "--low"), target_high=optional_number(high, "--high"),
        weight=number(weight, "--weight"), kpi_id=_optional_id(kpi, "--kpi"), owner_id=_optional_id(owner, "--owner"),
        plan=None if plan is None else {"shape": plan}, cadence_days=_days(cadence, "--cadence"),
    )  # fmt: skip
    with koers().uow() as uow:
        acting(uow, acting_as)
        goals.create_key_result(uow, kr)
    _done(kr, "Key result", json_output)


@kr_app.command("archive")
def kr_archive(key_result_id: str, acting_as: ACTING_AS = None, json_output: JSON = False) -> None:
    """Archive a key result: out of its objective's score, check-ins kept."""
    with koers().uow() as uow:
        acting(uow, acting_as)
        kr = goals.archive_key_result(uow, identifier(key_result_id, "KEY_RESULT_ID"))
    _done(kr, "Key result", json_output, "archived")


@kpi_app.command("add")
def kpi_add(
    name: str,
    direction: Annotated[str, typer.Option(help="higher_is_better, lower_is_better or in_range.")] = "higher_is_better",
    unit: Annotated[str, typer.Option(help="%, min, EUR...")] = "",
    target: Annotated[str | None, typer.Option(help="The value aimed for.")] = None,
    green_at: Annotated[
        str | None, typer.Option("--green-at", help="Green from this value (in_range: amber distance).")
    ] = None,
    red_at: Annotated[str | None, typer.Option("--red-at", help="Red beyond this value.")] = None,
    low: Annotated[str | None, typer.Option("--low", help="in_range: lowest good value.")] = None,
    high: Annotated[str | None, typer.Option("--high", help="in_range: highest good value.")] = None,
    team: Annotated[str | None, typer.Option(help="Team id.")] = None,
    description: Annotated[str, typer.Option(help="What it measures.")] = "",
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
) -> None:
    """Add a KPI."""
    kpi = model.Kpi(
        name=name, unit=unit, direction=direction, description=description,
        target=optional_number(target, "--target"), green_at=optional_number(green_at, "--green-at"),
        red_at=optional_number(red_at, "--red-at"), target_low=optional_number(low, "--low"),
        target_high=optional_number(high, "--high"), team_id=_optional_id(team, "--team"),
    )  # fmt: skip
    with koers().uow() as uow:
        acting(uow, acting_as)
        create_kpi(uow, kpi)
    _done(kpi, "KPI", json_output)


@kpi_app.command("archive")
def kpi_archive(kpi_id: str, acting_as: ACTING_AS = None, json_output: JSON = False) -> None:
    """Archive a KPI; its measurements are kept."""
    with koers().uow() as uow:
        acting(uow, acting_as)
        kpi = archive_kpi(uow, identifier(kpi_id, "KPI_ID"))
    _done(kpi, "KPI", json_output, "archived")


@initiative_app.command("add")
def initiative_add(
    title: str,
    objective: Annotated[str | None, typer.Option(help="Objective id it serves.")] = None,
    kr: Annotated[str | None, typer.Option("--kr", help="Key result id it moves.")] = None,
    status: Annotated[str, typer.Option(help="planned, in_progress, done or cancelled.")] = "planned",
    due: Annotated[str | None, typer.Option(help="Due date, YYYY-MM-DD.")] = None,
    owner: Annotated[str | None, typer.Option(help="Owner's user id.")] = None,
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
) -> None:
    """Add an initiative: the work done to move a key result."""
    if objective is None and kr is None:
        raise ValidationError("initiative.parent_missing")
    initiative = model.Initiative(
        title=title, status=status, objective_id=_optional_id(objective, "--objective"),
        key_result_id=_optional_id(kr, "--kr"), owner_id=_optional_id(owner, "--owner"),
        due_date=day(due, "--due") if due else None,
    )  # fmt: skip
    with koers().uow() as uow:
        acting(uow, acting_as)
        goals.create_initiative(uow, initiative)
    _done(initiative, "Initiative", json_output)
