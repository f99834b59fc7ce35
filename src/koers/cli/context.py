"""What every command shares: the configured Koers, the acting person, number and date parsing, and output.

Kept light on purpose (start-up time): Rich, SQLAlchemy and the rest of Koers load only when a command uses them.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

import typer

from koers.domain.errors import NotFound, ValidationError
from koers.domain.numbers import parse_number
from koers.domain.validation import is_control_character

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderableType, RenderResult

    from koers.bootstrap import Koers
    from koers.domain.model import User
    from koers.storage.unit_of_work import UnitOfWork

PRINTABLE_LINES = frozenset("\n\t")
_DUTCH_MARKS = str.maketrans(",.", ".,")

JSON = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
ACTING_AS = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="KOERS_USER",
        show_envvar=False,
        metavar="EMAIL",
        help="Act as this person (their rights apply; they are the author); default KOERS_USER.",
    ),
]


def printable(text: str, lines: bool = True) -> str:
    """`text` without control characters and bidi overrides (older data may hold them): safe for a terminal.

    The one sanitiser of the CLI's output: every console line passes it (see `_Printable`), and so do error lines,
    `say` and JSON output. Line breaks and tabs stay where `lines` allows them.
    """
    kept = PRINTABLE_LINES if lines else frozenset()
    return "".join(c for c in text if c in kept or not is_control_character(c))


def say(text: str) -> None:
    """One line for people on stdout, without Rich (cheaper to start than the console)."""
    sys.stdout.write(printable(text) + "\n")


def _make_console() -> Console:
    from rich.console import Console, RenderHook
    from rich.segment import Segment

    class _Printable:
        """A renderable whose text segments are made printable; Rich's own styling is added after, from the styles."""

        def __init__(self, renderable: ConsoleRenderable | RenderableType) -> None:
            self.renderable = renderable

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
            for segment in console.render(self.renderable, options):
                yield segment if segment.control else Segment(printable(segment.text), segment.style)

    class _PrintableOutput(RenderHook):
        def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
            return [_Printable(renderable) for renderable in renderables]

    # Piped output is read by people and scripts alike: do not wrap it at 80 columns. No console markup: titles
    # that hold "[bold]" are text, never styling; commands style with Text and style= instead.
    made = Console(highlight=False, markup=False, width=None if sys.stdout.isatty() else 160)
    made.push_render_hook(_PrintableOutput())
    return made


class _LazyConsole:
    """The Rich console, made on first use: commands that print plain lines never load Rich."""

    _console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            type(self)._console = _make_console()
        return getattr(self._console, name)


console: Any = _LazyConsole()


@cache
def koers() -> Koers:
    """Koers on the configured database, schema created or upgraded (once per process)."""
    from koers.bootstrap import bootstrap

    return bootstrap()


def acting(uow: UnitOfWork, email: str | None, action: str | None = None) -> User | None:
    """Make the person with this email the unit of work's actor (their rights apply) and return them.

    Without an email the system acts (every right), unless `action` names a write only a person may do (a check-in,
    a measurement): then the command stops with one line saying how to say who you are.
    """
    email = (email or "").strip()
    if not email:
        if action is not None:
            raise ValidationError("cli.actor_missing", field="--as", action=action)
        return None
    person = uow.users.by_email(email)
    if person is None:
        raise NotFound("user.email_unknown", field="--as", email=email)
    if not person.active:
        raise ValidationError("user.disabled", field="--as", email=person.email)
    uow.actor = person
    return person


def find_cycle_id(uow: UnitOfWork, reference: str | None, option: str = "--cycle") -> int | None:
    """A cycle named by its name or its id (None when not given). A name wins over an id: the demo's cycle "2026"
    is the year, not cycle 2026."""
    if reference is None:
        return None
    text = reference.strip()
    cycle = uow.cycles.by_name(text)
    if cycle is None and text.isdigit():
        cycle = uow.cycles.find(int(text))
        if cycle is None:
            raise NotFound("cycle.not_found", field=option, id=int(text))
    if cycle is None:
        raise ValidationError("cycle.name_unknown", field=option, names=text)
    return cycle.id


def cli_locale() -> str:
    """The CLI's locale, "nl" or "en": KOERS_LANG, else the first of LC_ALL, LC_MESSAGES, LANG that is set."""
    chosen = os.environ.get("KOERS_LANG", "").strip().lower()
    if chosen in ("nl", "en"):
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    return "en"


def number(text: str, name: str) -> float:
    """A number as people type it in their locale: `7,5` and `1.234,5` (nl), `7.5` and `1,234.5` (en), `1e3`."""
    return parse_number(text, cli_locale(), field=name)


def optional_number(text: str | None, name: str) -> float | None:
    """Like `number`, None when not given."""
    return None if text is None else number(text, name)


def day(text: str, name: str) -> date:
    """A date as YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError("date.invalid", field=name, name=name, value=text) from None


def moment(text: str, name: str) -> datetime:
    """A date or date-time (ISO 8601); without a time zone it is UTC."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError("moment.invalid", field=name, name=name, value=text) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def identifier(text: str, name: str) -> int:
    """A record id: a positive whole number."""
    if not text.strip().isdigit():
        raise ValidationError("id.invalid", field=name, name=name, value=text)
    return int(text)


def json_text(data: Any) -> str:
    """Data as indented JSON; C1 and bidi controls escaped like JSON escapes C0: the same data, nothing raw."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_encode)
    return "".join(f"\\u{ord(c):04x}" if is_control_character(c) and c != "\n" else c for c in text)


def print_json(data: Any) -> None:
    """Machine-readable output on stdout."""
    sys.stdout.write(json_text(data) + "\n")


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def fmt(value: float | None, unit: str = "") -> str:
    """A number for people in the CLI's language: no trailing zeros, the unit after it."""
    if value is None:
        return "–"
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:,.0f}"
    if cli_locale() == "nl":  # 1.234,5 in Dutch
        text = text.translate(_DUTCH_MARKS)
    return f"{text}{'' if not unit else (unit if unit == '%' else ' ' + unit)}"
