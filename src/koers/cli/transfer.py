"""`koers export` and `koers import`: the whole organisation as one JSON or YAML document."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from koers.cli.context import console, json_text, koers, print_json
from koers.domain.errors import ValidationError


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
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="CSV for Excel in a Dutch locale: UTF-8 BOM, ';', decimal commas, team and owner names, headers in "
            "the CLI's language (implies --format csv).",
        ),
    ] = False,
) -> None:
    """Print everything as one document that `koers import` reads back (CSV: one row per key result). Acts as the
    system: everything is exported."""
    from koers.services.transfer import export_document

    if excel:
        format = Format.csv
    with koers().uow(read_only=True) as uow:
        document = export_document(uow, date.today())
    if excel:
        from koers.cli.messages import _
        from koers.reports.spreadsheet import key_results_excel

        write_bytes(key_results_excel(document, _), output)
        return
    if format is Format.json:
        text = json_text(document) + "\n"
    elif format is Format.yaml:
        import yaml

        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    else:
        from koers.reports.spreadsheet import key_results_csv

        text = key_results_csv(document)
    write_bytes(text.encode("utf-8"), output)


def write_bytes(content: bytes, output: Path | None) -> None:
    """Content to stdout, or to a file (then one line says where it went)."""
    if output is None:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stdout (tests that redirect it)
            sys.stdout.write(content.decode("utf-8"))
            return
        sys.stdout.flush()
        buffer.write(content)
        buffer.flush()
    else:
        output.write_bytes(content)
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
    """Read a document into the database: everything or, on any error, nothing. Acts as the system."""
    from koers.services.transfer import import_document

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
    from koers.config import Settings
    from koers.services.document_text import parse_document

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
