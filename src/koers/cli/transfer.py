"""`koers export` and `koers import`: the whole organisation as one JSON or YAML document."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from koers.cli.context import console, json_text, koers, print_json
from koers.config import Settings
from koers.domain.errors import ValidationError
from koers.reports.spreadsheet import key_results_csv
from koers.services.document_text import parse_document
from koers.services.transfer import export_document, import_document


class Format(StrEnum):
    json = "json"
    yaml = "yaml"
    csv = "csv"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command("export")(export)
    app.command("import")(import_)


def export(
    format: Annotated[
        Format, typer.Option("--format", "-f", help="json (default), yaml, or csv (key results).")
    ] = Format.json,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print everything as one document that `koers import` reads back (CSV: one row per key result)."""
    with koers().uow(read_only=True) as uow:
        document = export_document(uow, date.today())
    if format is Format.json:
        text = json_text(document) + "\n"
    elif format is Format.yaml:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    else:
        text = key_results_csv(document)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"Exported to {output}")


def import_(
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="A JSON or YAML document from `koers export`; - for stdin.")
    ],
    append: Annotated[
        bool, typer.Option("--append", help="Add the document's goals to a database that already has some.")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Read a document into the database: everything or, on any error, nothing."""
    document = read_document(file)
    with koers().uow() as uow:
        counts = import_document(uow, document, append=append)
    if json_output:
        print_json(counts)
    else:
        console.print(
            "Imported " + ", ".join(f"{name.replace('_', ' ')}: {n}" for name, n in counts.items() if n) + "."
        )


def read_document(file: str) -> Any:
    """Parse a JSON or YAML file (safe loader, size-limited) with a clear error when it is not one."""
    limit = Settings.from_environment().max_import_bytes  # KOERS_MAX_IMPORT_BYTES, as for an import upload
    if file == "-":
        raw = sys.stdin.buffer.read(limit + 1)
    else:
        path = Path(file)
        if not path.exists():
            raise ValidationError("file.missing", file=file)
        if path.is_dir():
            raise ValidationError("file.is_directory", file=file)
        # Streams (/dev/stdin, <(...)) have no size up front: read one byte over the limit instead.
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    return parse_document(raw, file, limit)
