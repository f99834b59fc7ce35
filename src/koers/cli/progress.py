"""Commands for the weekly rhythm: status, check-ins, measurements, explanations, and the demo."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

import typer

from koers.cli.context import (
    ACTING_AS,
    JSON,
    acting,
    cli_locale,
    console,
    fmt,
    identifier,
    koers,
    moment,
    number,
    print_json,
    say,
)
from koers.cli.messages import _, decimal


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(init)
    app.command()(demo)
    app.command()(status)
    app.command()(checkin)
    app.command()(measure)
    app.command()(explain)


def init() -> None:
    """Create or upgrade the database schema (idempotent; every command does this when needed). Acts as the system."""
    app_ = koers()
    say(_("Database ready: {url}").format(url=app_.engine.url.render_as_string(hide_password=True)))


def demo(json_output: JSON = False) -> None:
    """Load the seed's example organisation (Dutch) into an empty database. Acts as the system."""
    from rich.text import Text

    from koers.services import demo as demo_service
    from koers.services.passwords import hash_password

    with koers().uow() as uow:
        loaded = demo_service.load_demo(uow, password_hash=hash_password(demo_service.DEMO_ADMIN_PASSWORD))
    if json_output:
        print_json(loaded)
    else:
        console.print(
            Text.assemble(
                f"Demo loaded: cycles {', '.join(loaded['cycles'])}. Try ",
                ("koers status", "bold"),
                "; ",
                ("koers serve", "bold"),
                f" and log in as {demo_service.DEMO_ADMIN_EMAIL} / {demo_service.DEMO_ADMIN_PASSWORD}.",
            )
        )
        console.print(
            "Every demo person has that password (for example lotte.jansen@onderdelen.example, a member), "
            "so you can try the member and team-lead views too."
        )


def status(
    cycle: Annotated[
        list[str] | None,
        typer.Option(
            "--cycle", help="Cycle(s) to show, by name or id (repeat for several); default: every open cycle."
        ),
    ] = None,
    json_output: JSON = False,
) -> None:
    """The dashboard: objectives by team with score bars and pace colours, and KPIs with their status."""
    from koers.cli import dashboard
    from koers.domain.errors import ValidationError
    from koers.services.read.dashboard import dashboard as dashboard_data

    with koers().uow(read_only=True) as uow:
        names = None
        if cycle:
            found = {reference: _cycle_named(uow, reference) for reference in cycle}
            unknown = [reference for reference, name in found.items() if name is None]
            if unknown:
                raise ValidationError("cycle.name_unknown", names=", ".join(unknown))
            names = [name for name in found.values() if name is not None]
        data = dashboard_data(uow, date.today(), names)
    if json_output:
        print_json(data)
    else:
        dashboard.render(data, console)


def _cycle_named(uow: Any, reference: str) -> str | None:
    """The name of the cycle with this name or id (None when there is none)."""
    by_name = uow.cycles.by_name(reference.strip())
    if by_name is not None:
        return str(by_name.name)
    if reference.strip().isdigit():
        by_id = uow.cycles.find(int(reference))
        return None if by_id is None else str(by_id.name)
    return None


def checkin(
    key_result_id: Annotated[str, typer.Argument(help="Id of the key result.")],
    value: Annotated[
        str, typer.Argument(help="The new value (7.5 or 7,5; 23,5% or € 1.200 in its unit; done/1 or not done/0).")
    ],
    confidence: Annotated[
        str | None, typer.Option(help="on_track, at_risk or off_track (Dutch: op-koers, risico, uit-koers).")
    ] = None,
    note: Annotated[str, typer.Option(help="What happened, what is next.")] = "",
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
) -> None:
    """Record a check-in on a key result, as the person --as (or KOERS_USER) names: their rights apply and they are
    its author. Its score and its objectives' scores update at once."""
    from koers.services.check_ins import record_check_in
    from koers.vocabulary import confidence_code

    kr_id = identifier(key_result_id, "KEY_RESULT_ID")
    code = confidence_code(confidence, "--confidence")
    with koers().uow() as uow:
        person = acting(uow, acting_as, "koers checkin")
        assert person is not None
        result = record_check_in(uow, kr_id, value, code, note, author_id=person.id, locale=cli_locale(), field="VALUE")
    check_in, kr, objective = result.check_in, result.key_result, result.objective
    if json_output:
        print_json(
            {
                "check_in": asdict(check_in),
                "key_result": {"id": kr.id, "current": kr.current, "score": kr.score},
                "objective": {"id": objective.id, "score": objective.score},
                "objectives": [asdict(o) for o in result.objectives],
            }
        )
    else:
        say(
            _("Checked in {value} on {title!r}: score {score}; objective {objective!r}: {objective_score}").format(
                value=fmt(check_in.value, kr.unit),
                title=kr.title,
                score=_score(kr.score),
                objective=objective.title,
                objective_score=_score(objective.score),
            )
        )


def measure(
    kpi_id: Annotated[str, typer.Argument(help="Id of the KPI.")],
    value: Annotated[str, typer.Argument(help="The measured value.")],
    at: Annotated[str | None, typer.Option(help="When it was measured (ISO date-time, UTC); default now.")] = None,
    note: Annotated[str, typer.Option(help="Where the number comes from.")] = "",
    acting_as: ACTING_AS = None,
    json_output: JSON = False,
) -> None:
    """Record a KPI measurement as the person --as (or KOERS_USER) names (their rights apply); key results linked to
    the KPI update at once."""
    from koers.services.kpis import record_measurement

    kpi_key = identifier(kpi_id, "KPI_ID")
    with koers().uow() as uow:
        acting(uow, acting_as, "koers measure")
        measurement = record_measurement(
            uow, kpi_key, number(value, "VALUE"), moment(at, "--at") if at else None, note=note
        )
        kpi = uow.kpis.get(kpi_key)
        linked: list[dict[str, Any]] = [
            {"id": kr.id, "title": kr.title, "score": kr.score}
            for kr in uow.key_results.linked_to_kpi(kpi_key)
            if not kr.archived and uow.cycles.get(uow.objectives.get(kr.objective_id).cycle_id).status != "closed"
        ]
    if json_output:
        print_json(
            {"measurement": asdict(measurement), "kpi": {"id": kpi.id, "current": kpi.current}, "key_results": linked}
        )
    else:
        say(_("Measured {name} = {value}.").format(name=kpi.name, value=fmt(measurement.value, kpi.unit)))
        for kr in linked:
            say(
                _("  key result {id} {title!r}: score {score}").format(
                    id=kr["id"], title=kr["title"], score=_score(kr["score"])
                )
            )


def _score(value: float | None) -> str:
    return "–" if value is None else decimal(value, ".1f")


def explain(
    target: Annotated[
        str, typer.Argument(metavar="KEY_RESULT_ID|o:OBJECTIVE_ID", help="A key result id, or o:ID for an objective.")
    ],
    json_output: JSON = False,
) -> None:
    """How a score came about: the formula with the numbers filled in, and which values were used when."""
    from rich.text import Text

    from koers.services.explain import explain_key_result, explain_objective

    today = date.today()
    with koers().uow(read_only=True) as uow:
        if target.lower().startswith("o:"):
            data = explain_objective(uow, identifier(target[2:], "OBJECTIVE_ID"), today)
        else:
            data = explain_key_result(uow, identifier(target, "KEY_RESULT_ID"), today)
    if json_output:
        print_json(data)
        return
    if "key_result" in data:
        kr = data["key_result"]
        console.print(Text.assemble((kr["title"], "bold"), f" ({kr['kind']}) in {data['cycle']['name']}"))
        used = data["value_used"]
        if used is None:
            console.print("No check-in or measurement yet: the baseline counts.")
        else:
            source = "latest check-in" if used["source"] == "check_in" else f"latest measurement of KPI {kr['kpi_id']}"
            console.print(f"Value used: {fmt(used['value'], kr['unit'])} — the {source}, recorded {used['at']}")
            fetched = data.get("provenance")
            if fetched:  # issue 11: the data source behind the value
                console.print(f"  fetched by its {fetched['kind']} source at {fetched['at']}: {fetched['target']}")
                console.print(f"  raw result: {fetched['raw']}")
            if data["latest_check_in"] and data["latest_measurement"]:
                console.print("  (the newer of the latest check-in and the linked KPI's latest measurement counts)")
        subject = kr
    else:
        subject = data["objective"]
        console.print(Text.assemble((subject["title"], "bold"), f" (objective, {subject['type']})"))
    formula = data["formula"]
    console.print(f"Rule:   {formula['rule']}")
    console.print(f"Filled: {formula['filled']}")
    if "score" in formula:
        console.print(f"Score:  {formula['score']}")
    pace = data["pace"]
    console.print(
        f"Pace:   {pace['elapsed'] * 100:.0f}% of the cycle elapsed, expected score {pace['expected_score']:g}; status {subject['status'].replace('_', ' ')}"
    )
