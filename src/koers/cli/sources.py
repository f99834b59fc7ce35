"""`koers source ...` (a KPI's or key result's data source) and `koers sync` (due sources and jobs, for cron)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from koers.cli.context import JSON, console, identifier, koers, print_json
from koers.domain.errors import ValidationError

source_app = typer.Typer(
    help="A KPI's or key result's data source: show, set, dry-run, its last runs, remove.", no_args_is_help=True
)

Target = Annotated[str, typer.Argument(metavar="kpi:ID|kr:ID", help="The KPI (kpi:3) or key result (kr:5).")]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(source_app, name="source")
    app.command("sync")(sync)


def _target(text: str) -> tuple[str, int]:
    prefix, _, number = text.strip().partition(":")
    subject = {"kpi": "kpi", "kr": "key_result"}.get(prefix.lower())
    if subject is None:
        raise ValidationError("source.target_invalid", value=text)
    return subject, identifier(number, "ID")


def _print_source(view: dict[str, Any]) -> None:
    console.print(f"{view['kind']} source" + (f", every {view['every']}" if view["every"] else ""))
    for name in ("url", "query", "selector", "column", "aggregate", "locale", "push_url"):
        if view.get(name):
            console.print(f"  {name}: {view[name]}")
    for name, value in (view.get("headers") or {}).items():
        console.print(f"  header {name}: {value}")
    if view["last_run_at"]:
        outcome = f"error: {view['last_error']}" if view["last_error"] else f"value {view['last_value']:g}"
        console.print(f"  last run {view['last_run_at'].isoformat()}: {outcome}")
    else:
        console.print("  not run yet")


@source_app.command("show")
def show(target: Target, json_output: JSON = False) -> None:
    """Show the data source (secrets as ***) and how its last run went."""
    from koers.services.sources import source_of, source_view

    subject, subject_id = _target(target)
    app = koers()
    with app.uow(read_only=True) as uow:
        view = source_view(source_of(uow, subject, subject_id), app.settings.base_url)
    if json_output:
        print_json(view)
    else:
        _print_source(view)


@source_app.command("set")
def set_(
    target: Target,
    kind: Annotated[str, typer.Argument(help="sql, http_json, csv or push.")],
    url: Annotated[str | None, typer.Option(help="Database URL (sql), http(s) URL, or CSV file path or URL.")] = None,
    query: Annotated[str | None, typer.Option(help="sql: a query returning one number.")] = None,
    selector: Annotated[str | None, typer.Option(help="http_json: where the number is, like $.data.nps.")] = None,
    header: Annotated[
        list[str] | None, typer.Option(help="http_json/csv: NAME=VALUE (VALUE may be env:NAME); repeatable.")
    ] = None,
    column: Annotated[str | None, typer.Option(help="csv: the column's name.")] = None,
    aggregate: Annotated[str | None, typer.Option(help="csv: last (default), sum, mean or count.")] = None,
    locale: Annotated[str | None, typer.Option(help="How numbers in text are written: en (default) or nl.")] = None,
    every: Annotated[str | None, typer.Option(help="How often it runs: 15m, 1h (default), 1d.")] = None,
    json_output: JSON = False,
) -> None:
    """Give a KPI or key result its data source, replacing the one it had (a push source prints its token once)."""
    from koers.services.sources import set_source, source_view

    subject, subject_id = _target(target)
    body: dict[str, Any] = {"kind": kind}
    for name, value in (("url", url), ("query", query), ("selector", selector), ("column", column),
                        ("aggregate", aggregate), ("locale", locale), ("every", every)):  # fmt: skip
        if value is not None:
            body[name] = value
    if header:
        pairs = [h.partition("=") for h in header]
        if any(not sep or not name.strip() for name, sep, _ in pairs):
            raise ValidationError("source.headers_invalid", field="headers", max=20)
        body["headers"] = {name.strip(): value for name, _, value in pairs}
    app = koers()
    with app.uow() as uow:
        source, token = set_source(uow, subject, subject_id, body, app.settings)
    view = source_view(source, app.settings.base_url)
    if json_output:
        print_json({**view, "push_token": token})
        return
    _print_source(view)
    if token:
        console.print(f"Push token (shown once, send it as X-Koers-Push-Token): {token}")


@source_app.command("remove")
def remove(target: Target) -> None:
    """Take the data source away (values recorded so far stay, with where they came from)."""
    from koers.services.sources import remove_source

    subject, subject_id = _target(target)
    with koers().uow() as uow:
        remove_source(uow, subject, subject_id)
    console.print(f"Data source of {target} removed: its values are entered by hand again.")


@source_app.command("dry-run")
def dry_run(target: Target, json_output: JSON = False) -> None:
    """Fetch the value the source would record now, recording nothing."""
    from koers.services.sources import dry_run as try_source

    subject, subject_id = _target(target)
    app = koers()
    result = try_source(lambda: app.uow(read_only=True), subject, subject_id, None, app.settings)
    if json_output:
        print_json(result)
    else:
        console.print(f"Value: {result['value']:g}  (from {result['target']})")
        console.print(f"Raw:   {result['raw']}")


@source_app.command("runs")
def runs(
    target: Target,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many runs, newest first.")] = 20,
    json_output: JSON = False,
) -> None:
    """The source's last runs: when, what was asked, the value or the error."""
    from koers.services.sources import recent_runs

    subject, subject_id = _target(target)
    with koers().uow(read_only=True) as uow:
        rows = recent_runs(uow, subject, subject_id, limit)
    if json_output:
        print_json(rows)
        return
    if not rows:
        console.print("No runs yet.")
    for row in rows:
        outcome = f"error: {row['error']}" if row["error"] else f"{row['value']:g}"
        recorded = " (recorded)" if row["measurement_id"] or row["check_in_id"] else ""
        console.print(f"{row['at'].isoformat()}  {outcome}{recorded}  {row['target'].splitlines()[0][:80]}")


def sync(
    all_: Annotated[bool, typer.Option("--all", help="Run every data source now, due or not.")] = False,
    job: Annotated[list[str] | None, typer.Option("--job", help="Run only this job (repeatable), now.")] = None,
    json_output: JSON = False,
) -> None:
    """Run the data sources and background jobs that are due (for cron: every minute is fine)."""
    import time

    from koers.services import jobs
    from koers.services.sources import sync_sources

    app = koers()
    now = datetime.now(UTC)
    started = time.perf_counter()
    lines: list[dict[str, Any]] = []
    if all_:
        summary = sync_sources(app.uow, now, app.settings, force=True)
        lines.append({"job": "sources (--all)", "ran": True, "summary": summary, "error": None})
    for outcome in jobs.run_due(app.uow, now, names=job or None, force=bool(job)):
        lines.append({"job": outcome.name, "ran": outcome.ran, "summary": outcome.summary, "error": outcome.error})
    seconds = time.perf_counter() - started
    if json_output:
        print_json({"jobs": lines, "seconds": round(seconds, 3)})
        return
    for line in lines:
        if not line["ran"]:
            console.print(f"{line['job']}: not due")
        elif line["error"]:
            console.print(f"{line['job']}: failed: {line['error']}")
        else:
            console.print(f"{line['job']}: {line['summary']}")
    console.print(f"Done in {seconds:.2f} s.")
