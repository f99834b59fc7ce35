"""The docs and the CLI never drift apart: the reference is current, and documented commands exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from koers.cli.main import root_command
from koers.cli.reference import cli_reference

ROOT = Path(__file__).resolve().parents[2]
CLI_MD = ROOT / "docs" / "cli.md"
DOCS_WITH_EXAMPLES = [ROOT / "README.md", ROOT / "docs" / "getting-started.md"]


def command_paths(command: Any, path: tuple[str, ...] = ("koers",)) -> list[tuple[str, ...]]:
    """Every command and group under `command`, read straight from the Typer tree (not from reference.py)."""
    found = [path]
    for name, child in (getattr(command, "commands", None) or {}).items():
        if not getattr(child, "hidden", False):
            found += command_paths(child, (*path, name))
    return found


PROMPT_AND_ENVIRONMENT = re.compile(r"^(\$ )?([A-Z_][A-Z0-9_]*=\S* +)*")


def fenced_koers_lines(markdown: str) -> list[str]:
    """The lines inside ``` fences that run `koers`, after a `$ ` prompt and `NAME=value` settings."""
    lines, inside = [], False
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            inside = not inside
            continue
        command = PROMPT_AND_ENVIRONMENT.sub("", stripped)
        if inside and command.startswith("koers "):
            lines.append(command)
    return lines


def unknown_command(line: str, root: Any) -> str | None:
    """The part of a `koers ...` line that names no command of the app, or None when it resolves."""
    try:
        words = shlex.split(line, comments=True)
    except ValueError:  # an unbalanced quote in prose-like text: plain words will do
        words = line.split()
    node, path = root, ["koers"]
    for word in words[1:]:
        children = getattr(node, "commands", None)
        if children is None or word.startswith("-"):
            break  # reached a command: the rest are its arguments and options
        if word not in children:
            return " ".join([*path, word])
        node = children[word]
        path.append(word)
    return None


@pytest.fixture(scope="module")
def root() -> Any:
    return root_command(load_all=True)  # every lazily registered command built


def test_cli_reference_is_up_to_date():
    assert CLI_MD.read_text(encoding="utf-8") == cli_reference(), "docs/cli.md is out of date: run make docs"


def test_every_command_has_a_section_in_the_cli_reference(root):
    headings = set(re.findall(r"^#{2,6} (koers\b.*)$", CLI_MD.read_text(encoding="utf-8"), flags=re.MULTILINE))
    paths = command_paths(root)[1:]
    assert len(paths) > 10, "the command tree looks empty"
    missing = [" ".join(path) for path in paths if " ".join(path) not in headings]
    assert not missing, f"docs/cli.md has no section for {', '.join(missing)}: run make docs"


@pytest.mark.parametrize("doc", DOCS_WITH_EXAMPLES, ids=lambda p: p.name)
def test_commands_in_the_examples_exist(doc, root):
    lines = fenced_koers_lines(doc.read_text(encoding="utf-8"))
    assert lines, f"{doc.name} shows no `koers` command in a code block"
    unknown = sorted({name for line in lines if (name := unknown_command(line, root))})
    assert not unknown, f"{doc.name} shows commands that do not exist: {', '.join(unknown)}"


def test_the_example_check_catches_commands_that_do_not_exist(root):
    markdown = "\n".join(
        [
            "koers frobnicate  # outside a code block: prose, not checked",
            "```sh",
            "$ koers status --json",
            "koers user add anna@example.com --role admin  # a comment",
            "koers user frobnicate 3",
            "$ KOERS_DATABASE_URL=sqlite:///copy.db koers frobnicate --now",
            "koers: error: output lines are not commands",
            "koers checkin 1 \"7,5\" --note 'it's fine'",
            "```",
        ]
    )
    lines = fenced_koers_lines(markdown)
    assert len(lines) == 5
    assert [unknown_command(line, root) for line in lines] == [
        None,
        None,
        "koers user frobnicate",
        "koers frobnicate",
        None,
    ]
