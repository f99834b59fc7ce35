"""The `koers` command: Typer app, and the wrapper that turns every error into one clear line.

Start-up is kept short: this module imports only Typer and Koers' domain errors. Each command module is imported
when its command runs (or when `--help` lists them), never all at once. To add commands, write a module with a
`register(app)` function that adds them (`app.command(...)(function)`, `app.add_typer(group, name=...)`), keep its
top-level imports light (heavy ones inside the command functions), and add ONE line to COMMANDS below:

    "koers.cli.mymodule": ("name-one", "name-two"),   # the top-level command names its register() adds

`tests/e2e/test_cli_startup.py` checks that every name listed here is registered by its module and that no module
registers a name it does not list.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from koers import __version__
from koers.domain.errors import KoersError

# Module -> the top-level commands (and command groups) its `register(app)` adds, in the order `--help` lists them.
COMMANDS: dict[str, tuple[str, ...]] = {
    "koers.cli.progress": ("init", "demo", "status", "checkin", "measure", "explain"),
    "koers.cli.listing": ("list",),
    "koers.cli.transfer": ("export", "import"),
    "koers.cli.organise": ("user", "team", "cycle", "objective", "kr", "kpi", "initiative"),
    "koers.cli.lint": ("lint",),
    "koers.cli.accounts": ("token", "audit"),
    "koers.cli.serve": ("serve",),
    "koers.cli.insight": ("attention", "forecast", "calibration", "ambition", "carry-over", "retrospective"),
    "koers.cli.whatif": ("whatif",),
    "koers.cli.report": ("report",),
    "koers.cli.sources": ("source", "sync"),  # issue 11: data sources, background jobs
}


def module_commands(module_name: str, only: str | None = None) -> dict[str, Any]:
    """The click commands a module's `register(app)` adds, by name (the module imported now); with `only`, just
    that one is built (Typer builds a validator for every parameter it converts: not for the commands not run)."""
    module = importlib.import_module(module_name)
    scratch = typer.Typer()
    module.register(scratch)
    if only is not None:
        scratch.registered_commands = [c for c in scratch.registered_commands if _name(c) == only]
        scratch.registered_groups = [g for g in scratch.registered_groups if g.name == only]
    return dict(typer.main.get_group(scratch).commands)


def _name(info: Any) -> str:
    """The name Typer gives a registered command."""
    return str(info.name or typer.main.get_command_name(info.callback.__name__))


class LazyGroup(TyperGroup):
    """The root group: commands of COMMANDS are built from their module when first asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        lazy = [name for names in COMMANDS.values() for name in names if name not in self.commands]
        return [*super().list_commands(ctx), *lazy]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands:
            for module_name, names in COMMANDS.items():
                if cmd_name in names:
                    self.commands.update(module_commands(module_name, only=cmd_name))
                    break
        return self.commands.get(cmd_name)

    def load_all(self) -> None:
        """Build every command now (the reference generator and tests read `commands` directly)."""
        for module_name, names in COMMANDS.items():
            if any(name not in self.commands for name in names):
                self.commands.update({k: v for k, v in module_commands(module_name).items() if k not in self.commands})


app = typer.Typer(
    name="koers",
    help="Koers: OKRs and KPIs for organisations that steer by objectives and key results.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=LazyGroup,
)


@app.callback()
def root() -> None:
    """The group itself: options of its own would go here (a callback also keeps `koers` a group)."""


@app.command()
def version() -> None:
    """Print Koers' version."""
    print(__version__)


EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70


def root_command(load_all: bool = False) -> Any:
    """The click group of the app (every command built when `load_all`)."""
    command = typer.main.get_command(app)
    if load_all and isinstance(command, LazyGroup):
        command.load_all()
    return command


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code; errors are one line on stderr, never a traceback."""
    if list(sys.argv[1:] if argv is None else argv) == ["version"]:
        version()  # nothing to parse: skip building the command tree (Typer's validators load pydantic)
        return 0
    command = root_command()
    try:
        result = command.main(args=list(argv) if argv is not None else None, prog_name="koers", standalone_mode=False)
    except KoersError as error:
        from koers.cli.messages import localise

        return _fail(localise(error), EXIT_ERROR)
    except typer.Abort:
        return _fail("aborted", EXIT_ERROR)
    except typer.TyperException as error:  # usage errors from argument parsing
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        return _fail(" ".join(message.split()), getattr(error, "exit_code", EXIT_USAGE) or EXIT_USAGE)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return 0
    except Exception as error:  # the last line of defence: users never see a traceback
        refused = _database_refusal(error)
        if refused is not None:
            return _fail(refused, EXIT_ERROR)
        if os.environ.get("KOERS_DEBUG"):
            raise
        return _fail(f"internal error ({type(error).__name__}: {error}); set KOERS_DEBUG=1 for details", EXIT_INTERNAL)
    return result if isinstance(result, int) else 0


def _database_refusal(error: Exception) -> str | None:
    """The one line for an error the database raised (SQLAlchemy is only looked at when it was loaded)."""
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import DBAPIError, OperationalError

    if not isinstance(error, DBAPIError):
        return None
    reason = str(error.orig).strip().splitlines()[0] if error.orig else "unknown"
    what = "operation" if isinstance(error, OperationalError) else "change"
    return f"the database refused the {what}: {reason}"


def _fail(message: str, code: int) -> int:
    from koers.cli.context import printable

    sys.stderr.write(f"koers: error: {printable(message, lines=False)}\n")
    return code


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
