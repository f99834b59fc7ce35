"""The CLI reference in Markdown, read from the Typer command tree itself (`make docs` writes docs/cli.md)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from koers.cli.main import root_command

INTRO = """\
Generated from the code by `make docs` (`python -m koers.cli.reference`); do not edit by hand.
A test fails when this file and the commands drift apart.

Every command accepts `--help`. The database is `KOERS_DATABASE_URL` (any SQLAlchemy URL), by default
the SQLite file `koers.db` in the working directory; every command creates or upgrades the schema
when needed (when it is current that costs one query; a database written by a newer Koers is refused).
Numbers follow your locale (`KOERS_LANG=nl|en`, else `LC_ALL`, `LC_MESSAGES` or `LANG`):
`7,5` and `1.234,5` in Dutch, `7.5` and `1,234.5` in English; a lone `7.5` or `7,5` is read either way,
and an ambiguous number is refused with an example. Dates are `YYYY-MM-DD`. Errors are one line on
stderr starting with `koers: error:` and a non-zero exit code.

**Language.** Messages, errors, table headers and `--excel` headers follow `KOERS_LANG` (`nl` or `en`), else
the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: `nl_*` is Dutch), else English. Usage errors from option parsing
stay English. A check-in's `--confidence` takes `on_track`, `at_risk`, `off_track` or the Dutch `op-koers`,
`risico` (`loopt-risico`), `uit-koers` (`niet-op-koers`); `-`, `_` and spaces are alike.

**Who acts.** `--as EMAIL` (or the environment variable `KOERS_USER`) names the person the CLI acts as: their
rights apply exactly as in the web pages and the API, and they are the author of what they record. It is
required for `koers checkin` and `koers measure` (without it they stop with one line saying so); the person must
exist and be active. The goal-writing commands (`objective`, `kr`, `kpi`, `initiative`, `carry-over`,
`retrospective`) and `koers list` take `--as` too; without it they act as the system, with every right and every
record visible. Administration stays with the system, as no person is implied: `init`, `demo`, `import`, `export`,
`user`, `team`, `cycle`, `token`, `audit`, `report` and the insight reports. Commands that take a cycle (`--cycle`,
`cycle close`) take its name or its id; a name wins when a cycle is named like another's id.

**Lists and spreadsheets.** `koers list teams|cycles|objectives|key-results|kpis|initiatives` print a table,
`--json`, `--csv` or `--excel`, filtered by `--team` (id or name) and `--cycle` (name or id). `--excel` (also on
`koers export`) writes CSV that Excel opens in a Dutch locale: a UTF-8 byte order mark, `;` between cells,
decimal commas, CRLF line ends, team and owner names beside their ids, headers in the CLI's language; a cell
that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` so that it is never run as a
formula."""


@dataclass(frozen=True)
class ParamDoc:
    """One argument or option, as the reference shows it."""

    is_option: bool
    names: list[str]
    placeholder: str
    help: str
    default: str
    required: bool
    is_flag: bool
    choices: list[str]
    repeatable: bool


@dataclass(frozen=True)
class CommandDoc:
    """One command or command group, with its full path from `koers`."""

    path: tuple[str, ...]
    help: str
    params: list[ParamDoc]
    subcommands: list[CommandDoc] = field(default_factory=list)
    is_group: bool = False

    @property
    def title(self) -> str:
        return " ".join(self.path)

    @property
    def summary(self) -> str:
        """The first paragraph of the help, on one line."""
        return " ".join(self.help.split("\n\n", 1)[0].split())

    @property
    def anchor(self) -> str:
        return "#" + self.title.lower().replace(" ", "-")

    @property
    def arguments(self) -> list[ParamDoc]:
        return [p for p in self.params if not p.is_option]

    @property
    def options(self) -> list[ParamDoc]:
        return [p for p in self.params if p.is_option]

    def walk(self) -> Iterator[CommandDoc]:
        """This command and every command under it, in registration order."""
        yield self
        for sub in self.subcommands:
            yield from sub.walk()


def describe(command: Any, path: tuple[str, ...]) -> CommandDoc:
    """Read a Typer (click) command object into a CommandDoc.

    Recent Typer vendors its own click, so the concrete classes are private: only click's public
    attributes (`commands`, `params`, `help`, `opts`, `default`...) are read, duck-typed.
    """
    children: dict[str, Any] | None = getattr(command, "commands", None)
    subcommands = [
        describe(child, (*path, name))
        for name, child in (children or {}).items()
        if not getattr(child, "hidden", False)
    ]
    params = [_describe_param(p) for p in command.params if not getattr(p, "hidden", False)]
    help_text = command.help or command.short_help or ""
    return CommandDoc(path, _clean(help_text), params, subcommands, is_group=children is not None)


def _describe_param(param: Any) -> ParamDoc:
    is_option = param.param_type_name == "option"
    is_flag = bool(getattr(param, "is_flag", False))
    placeholder = str(param.metavar) if param.metavar else (param.name or "value").upper()
    return ParamDoc(
        is_option=is_option,
        names=[*param.opts, *param.secondary_opts] if is_option else [placeholder],
        placeholder=placeholder,
        help=_clean(getattr(param, "help", None) or ""),
        default=_default(param.default, is_flag),
        required=bool(param.required),
        is_flag=is_flag,
        choices=_choices(param),
        repeatable=bool(param.multiple) or param.nargs == -1,
    )


def _choices(param: Any) -> list[str]:
    # Typer >= 0.2x keeps them on `type_descriptor`; older Typer on a click.Choice `type`.
    for holder in (getattr(param, "type_descriptor", None), getattr(param, "type", None)):
        values = getattr(holder, "choices", None)
        if values:
            return [str(v.value if isinstance(v, Enum) else v) for v in values]
    return []


def _default(value: Any, is_flag: bool) -> str:
    if is_flag:
        return "on" if value is True else ""
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v.value if isinstance(v, Enum) else v) for v in value)
    return str(value)


def _clean(text: str) -> str:
    # click's "\b" marks a paragraph not to rewrap; Markdown needs no such hint.
    return inspect.cleandoc(text.replace("\b\n", "").replace("\b", ""))


def _cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


def usage(command: CommandDoc) -> str:
    """The command line as one types it: arguments, then required options, then [OPTIONS]."""
    if command.is_group:
        return f"{command.title} COMMAND [ARGS]..."
    pieces = [command.title]
    for arg in command.arguments:
        text = arg.placeholder + ("..." if arg.repeatable else "")
        pieces.append(text if arg.required else f"[{text}]")
    for option in command.options:
        if option.required:
            pieces.append(f"{option.names[0]} {option.placeholder}")
    pieces.append("[OPTIONS]")
    return " ".join(pieces)


def _value(param: ParamDoc) -> str:
    if param.is_flag:
        text = "flag"
    elif param.choices:
        text = " | ".join(_code(c) for c in param.choices)
    else:
        text = _code(param.placeholder)
    return text + (", repeatable" if param.repeatable else "")


def _render_params(command: CommandDoc) -> list[str]:
    lines: list[str] = []
    if command.arguments:
        lines += ["", "| Argument | Required | Default | Description |", "|---|---|---|---|"]
        for arg in command.arguments:
            name = _cell(_code(arg.placeholder + ("..." if arg.repeatable else "")))
            required = "yes" if arg.required else "no"
            lines.append(f"| {name} | {required} | {_cell(_code(arg.default))} | {_cell(arg.help)} |")
    if command.options:
        lines += ["", "| Option | Value | Default | Description |", "|---|---|---|---|"]
        for option in command.options:
            names = ", ".join(_code(n) for n in option.names)
            default = "*required*" if option.required else _code(option.default)
            lines.append(f"| {_cell(names)} | {_cell(_value(option))} | {_cell(default)} | {_cell(option.help)} |")
    return lines


def _render_command(command: CommandDoc) -> list[str]:
    level = "#" * min(len(command.path), 6)
    lines = ["", f"{level} {command.title}", ""]
    if command.help:
        lines += [command.help, ""]
    lines += ["```", usage(command), "```"]
    lines += _render_params(command)
    if command.subcommands:
        lines += ["", "| Command | Description |", "|---|---|"]
        for sub in command.subcommands:
            lines.append(f"| [{sub.title}]({sub.anchor}) | {_cell(sub.summary)} |")
    for sub in command.subcommands:
        lines += _render_command(sub)
    return lines


def command_tree() -> CommandDoc:
    """The whole `koers` command tree, read from the Typer app."""
    return describe(root_command(load_all=True), ("koers",))


def cli_reference() -> str:
    """The Markdown CLI reference for every command of the `koers` app."""
    root = command_tree()
    lines = ["# Command-line reference", ""]
    if root.help:
        lines += [root.help, ""]
    lines += [INTRO, "", "## Commands", "", "| Command | Description |", "|---|---|"]
    for command in list(root.walk())[1:]:
        lines.append(f"| [{command.title}]({command.anchor}) | {_cell(command.summary)} |")
    if root.params:
        lines += _render_params(root)
    for command in root.subcommands:
        lines += _render_command(command)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(cli_reference(), end="")
