"""The `koers` command: Typer app, and the wrapper that turns every error into one clear line."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import typer
from sqlalchemy.exc import DBAPIError, OperationalError

from koers import __version__
from koers.cli import accounts, insight, lint, organise, progress, report, serve, transfer, whatif
from koers.cli.context import printable
from koers.domain.errors import KoersError

app = typer.Typer(
    name="koers",
    help="Koers: OKRs and KPIs for organisations that steer by objectives and key results.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
progress.register(app)
transfer.register(app)
organise.register(app)
lint.register(app)
accounts.register(app)
serve.register(app)
insight.register(app)
whatif.register(app)
report.register(app)


@app.command()
def version() -> None:
    """Print Koers' version."""
    print(__version__)


EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code; errors are one line on stderr, never a traceback."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=list(argv) if argv is not None else None, prog_name="koers", standalone_mode=False)
    except KoersError as error:
        return _fail(error.message, EXIT_ERROR)
    except typer.Abort:
        return _fail("aborted", EXIT_ERROR)
    except typer.TyperException as error:  # usage errors from argument parsing
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        return _fail(" ".join(message.split()), getattr(error, "exit_code", EXIT_USAGE) or EXIT_USAGE)
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "unknown"
        return _fail(f"the database refused the operation: {reason}", EXIT_ERROR)
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "unknown"
        return _fail(f"the database refused the change: {reason}", EXIT_ERROR)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return 0
    except Exception as error:  # the last line of defence: users never see a traceback
        if os.environ.get("KOERS_DEBUG"):
            raise
        return _fail(f"internal error ({type(error).__name__}: {error}); set KOERS_DEBUG=1 for details", EXIT_INTERNAL)
    return result if isinstance(result, int) else 0


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"koers: error: {printable(message, lines=False)}\n")
    return code


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
