"""Domain errors carry a known code and its parameters; every message has a Dutch translation."""

from __future__ import annotations

import ast
import string
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

import koers
from koers.domain.errors import LITERAL, Conflict, KoersError, NotFound, PermissionDenied, ValidationError
from koers.domain.messages import MESSAGES

SOURCE = Path(koers.__file__).parent
ERRORS_PO = SOURCE / "web" / "translations" / "nl" / "errors.po"
# New codes may keep their Dutch in another catalogue of the same folder (each part adds its own .po file).
EXTRA_ERRORS_PO = sorted(p for p in ERRORS_PO.parent.glob("*.po") if p != ERRORS_PO)
KEYWORDS = {"field", "location", "retry_after"}  # arguments of the error itself, not message parameters
REQUIRERS = {"require": 1, "require_admin": 1}  # functions whose argument at this index is a message code


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _sample(template: str) -> dict[str, Any]:
    """Parameters that fill every placeholder: numbers where the spec formats numbers, text elsewhere."""
    values: dict[str, Any] = {}
    for _, name, spec, _ in string.Formatter().parse(template):
        if name:
            values[name] = 7 if spec and spec[-1] in "gdf" else "x"
    return values


def _error_classes(files: list[Path]) -> set[str]:
    """KoersError and every class that derives from it (by name) anywhere in the package."""
    names = {"KoersError"}
    bases: dict[str, set[str]] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
    grown = True
    while grown:
        grown = False
        for name, parents in bases.items():
            if name not in names and parents & names:
                names.add(name)
                grown = True
    return names | {"KoersValidationError"}  # an alias of ValidationError where pydantic's shares the name


def _code_uses() -> list[tuple[str, ast.expr, list[ast.keyword]]]:
    """(where, code argument, keywords) of every error raised with a message, and every permission check."""
    files = sorted(SOURCE.rglob("*.py"))
    classes = _error_classes(files)
    uses = []
    for path in files:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            where = f"{path.relative_to(SOURCE.parent)}:{node.lineno}"
            if name in classes and node.args:
                uses.append((where, node.args[0], node.keywords))
            elif name in REQUIRERS and len(node.args) > REQUIRERS[name]:
                uses.append((where, node.args[REQUIRERS[name]], node.keywords))
    return uses


def test_every_raise_site_names_a_known_code_with_its_parameters() -> None:
    problems = []
    for where, code, keywords in _code_uses():
        if isinstance(code, ast.JoinedStr | ast.BinOp):
            problems.append(f"{where}: English text instead of a message code")
        elif isinstance(code, ast.Constant) and isinstance(code.value, str):
            if code.value not in MESSAGES or code.value == LITERAL:
                problems.append(f"{where}: unknown message code {code.value!r}")
            elif not any(k.arg is None for k in keywords):  # **params: checked where they are built
                given = {k.arg for k in keywords if k.arg} - KEYWORDS
                if given != _placeholders(MESSAGES[code.value]):
                    problems.append(f"{where}: {code.value} takes {sorted(_placeholders(MESSAGES[code.value]))}")
    assert not problems, "\n".join(problems)


def test_the_scan_sees_raise_sites() -> None:
    """The scan above proves nothing if it finds nothing."""
    codes = {c.value for _, c, _ in _code_uses() if isinstance(c, ast.Constant)}
    assert {"check_in.cycle_closed", "admin_only.create_teams", "objective.change_forbidden"} <= codes


def test_repository_nouns_have_their_codes() -> None:
    from koers.storage.repositories.base import Repository

    def subclasses(cls: type) -> list[type]:
        return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

    import koers.storage.unit_of_work  # noqa: F401  (imports every repository)

    labels = {getattr(r, "label", None) for r in subclasses(Repository)} - {None}
    assert labels
    for label in labels:
        noun = str(label).lower().replace(" ", "_").replace("-", "_")
        assert f"{noun}.not_found" in MESSAGES and f"{noun}.stale" in MESSAGES, label


def test_every_message_has_a_dutch_translation_with_the_same_placeholders() -> None:
    with ERRORS_PO.open("rb") as handle:
        catalogue = read_po(handle)
    for extra in EXTRA_ERRORS_PO:
        with extra.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string and catalogue.get(message.id) is None:
                    catalogue[message.id] = message
    problems = []
    for code, template in MESSAGES.items():
        message = catalogue.get(template)
        if message is None or not message.string:
            problems.append(f"{code}: no Dutch translation of {template!r}")
            continue
        dutch = str(message.string)
        if _placeholders(dutch) != _placeholders(template):
            problems.append(f"{code}: placeholders differ: {dutch!r}")
            continue
        params = _sample(template)
        template.format(**params)
        dutch.format(**params)
    assert not problems, "\n".join(problems)


def test_an_error_carries_its_code_parameters_and_english_message() -> None:
    error = ValidationError("check_in.cycle_closed", field="value", name="Q1 2026")
    assert (error.code, error.params, error.field, error.location) == (
        "check_in.cycle_closed",
        {"name": "Q1 2026"},
        "value",
        "body",
    )
    assert error.message == str(error) == "cycle Q1 2026 is closed: check-ins are no longer accepted"
    assert NotFound("key_result.not_found", id=9).message == "key result 9 does not exist"
    assert Conflict("team.name_taken", name="Ops").message == "a team named 'Ops' already exists"


def test_an_unknown_code_is_english_text_until_every_site_is_converted() -> None:
    error = PermissionDenied("you may not do {this}")
    assert (error.code, error.message) == (LITERAL, "you may not do {this}")


def test_domain_errors_carry_no_http_status() -> None:
    for cls in (KoersError, ValidationError, NotFound, Conflict, PermissionDenied):
        assert not hasattr(cls, "status") and not hasattr(cls, "title")


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_template_renders_with_its_parameters(code: str) -> None:
    error = KoersError(code, **_sample(MESSAGES[code]))
    assert error.code == code and "{" not in error.message.replace("{{", "").replace("{id}/close", "")
