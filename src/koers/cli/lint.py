"""`koers lint`: the OKR quality coach on one statement or on a whole export document."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.text import Text

from koers.cli.context import console, print_json
from koers.domain.coach import LintResult, lint, lint_document
from koers.domain.errors import ValidationError

SEVERITY_STYLES = {"error": "red", "warning": "yellow", "info": "cyan"}


def register(app: typer.Typer) -> None:
    """Add this module's command to the app."""
    app.command("lint")(lint_command)


def lint_command(
    text: Annotated[
        str | None, typer.Argument(metavar="TEXT", help="An objective or key result, in Dutch or English.")
    ] = None,
    kind: Annotated[str, typer.Option(help="key_result or objective.")] = "key_result",
    lang: Annotated[str, typer.Option(help="auto, nl or en.")] = "auto",
    file: Annotated[
        str | None, typer.Option("--file", help="Lint every objective and key result of an export/YAML document.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Coach a goal as it is written: is it measurable, an outcome rather than an activity, one goal, dated?

    Exits with 1 when any finding is an error (verdict needs_work).
    """
    if (text is None) == (file is None):
        raise ValidationError("lint.text_or_file")
    if file is not None:
        from koers.cli.transfer import read_document

        entries = lint_document(read_document(file))
        if json_output:
            print_json(entries)
        else:
            _print_document(entries)
        needs_work = any(entry["verdict"] == "needs_work" for entry in entries)
    else:
        assert text is not None
        result: LintResult = lint(text, kind, lang)
        if json_output:
            print_json(result.to_dict())
        else:
            _print_result(result.to_dict())
        needs_work = result.verdict == "needs_work"
    if needs_work:
        raise typer.Exit(1)


def _print_result(result: dict[str, Any], indent: str = "") -> None:
    style = "green" if result["verdict"] == "good" else "red"
    console.print(
        Text(f"{indent}{result['verdict'].replace('_', ' ')}", style=f"bold {style}")
        + Text(f"  ({result['lang']})", style="dim")
    )
    for finding in result["findings"]:
        console.print(
            Text(f"{indent}  {finding['severity']:<7} ", style=SEVERITY_STYLES.get(finding["severity"], ""))
            + Text(f"{finding['code']}: ", style="bold")
            + Text(finding["message"])
        )
        if finding.get("suggestion"):
            console.print(Text(f"{indent}          → {finding['suggestion']}", style="dim"))


def _print_document(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        label = "Objective" if entry["kind"] == "objective" else "  Key result"
        console.print(Text(f"{label} {entry['id']}: ", style="bold") + Text(entry["title"]))
        _print_result(entry, indent="    " if entry["kind"] == "key_result" else "  ")
    errors = sum(1 for e in entries if e["verdict"] == "needs_work")
    console.print(f"\n{len(entries)} statements, {errors} need work.")
