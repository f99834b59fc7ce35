"""Lint every objective and key result of an export document (SPEC §5)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from koers.domain.coach.linting import LintInputError, lint, lint_objective
from koers.domain.coach.result import LintResult


def _title(record: object, where: str) -> str:
    if not isinstance(record, Mapping):
        raise LintInputError("lint.document_not_object", where=where, type=type(record).__name__)
    title = record.get("title")
    if not isinstance(title, str):
        raise LintInputError("lint.title_not_text", where=where, type=type(title).__name__)
    if not title.strip():
        raise LintInputError("lint.title_empty", where=where)
    return title


def _list(record: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise LintInputError("lint.not_list", where=where, key=key, type=type(value).__name__)
    return list(value)


def _entry(kind: str, ident: Any, objective_id: Any, title: str, result: LintResult) -> dict[str, Any]:
    return {"kind": kind, "id": ident, "objective_id": objective_id, "title": title, **result.to_dict()}


def lint_document(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One lint entry per objective and per key result of an export document.

    An objective's entry carries its own id as objective_id, so all entries of one objective
    group together. A key result under an objective with a cycle gets no no-deadline warning:
    the cycle's end date is its deadline.
    """
    if not isinstance(document, Mapping):
        raise LintInputError("lint.document_not_object", where="document", type=type(document).__name__)
    objectives = _list(document, "objectives", "document")
    entries: list[dict[str, Any]] = []
    for o, objective in enumerate(objectives):
        where = f"objectives[{o}]"
        title = _title(objective, where)
        key_results = _list(objective, "key_results", where)
        kr_titles = [_title(kr, f"{where}.key_results[{k}]") for k, kr in enumerate(key_results)]
        objective_id = objective.get("id")
        entries.append(_entry("objective", objective_id, objective_id, title, lint_objective(title, kr_titles)))
        has_cycle = objective.get("cycle_id") is not None
        for kr, kr_title in zip(key_results, kr_titles, strict=True):
            result = lint(kr_title, kind="key_result")
            if has_cycle:
                kept = tuple(f for f in result.findings if f.code != "no-deadline")
                result = LintResult.of(result.lang, kept)
            entries.append(_entry("key_result", kr.get("id"), objective_id, kr_title, result))
    return entries
