"""`koers whatif`: the scores a value would give a key result and the objectives above it; nothing is stored."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from koers.cli.context import console, identifier, koers, number, print_json
from koers.services.whatif import what_if_values

JSON = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command(name="whatif")(whatif)


def whatif(
    key_result_id: Annotated[str, typer.Argument(help="Id of the key result.")],
    value: Annotated[str, typer.Argument(help="The value to try (7.5 or 7,5; 0/1 for a milestone).")],
    json_output: JSON = False,
) -> None:
    """What if a key result had this value: its score and every objective's score that would change. Stores nothing."""
    kr_id = identifier(key_result_id, "KEY_RESULT_ID")
    with koers().uow(read_only=True) as uow:
        answer = what_if_values(uow, {kr_id: number(value, "VALUE")})
    if json_output:
        print_json(asdict(answer))
        return
    for kr in answer.key_results:
        console.print(f"Key result {kr.id} {kr.title!r}: {_score(kr.score_before)} → {_score(kr.score)}")
    for objective in answer.objectives:
        console.print(
            f"  objective {objective.id} {objective.title!r}: {_score(objective.score_before)} → {_score(objective.score)}"
        )
    if not answer.objectives:
        console.print("  no objective's score would change")
    console.print("Nothing was stored.")


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
