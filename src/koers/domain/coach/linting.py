"""Lint one statement or one objective with its key results."""

from __future__ import annotations

from collections.abc import Sequence

from koers.domain.coach.language import LANGUAGES, detect_language
from koers.domain.coach.messages import finding, quote
from koers.domain.coach.result import ERROR, WARNING, Finding, LintResult
from koers.domain.coach.rules import is_activity, key_result_findings, objective_findings
from koers.domain.coach.statement import analyse
from koers.domain.errors import ValidationError

KINDS = ("key_result", "objective")
MIN_KEY_RESULTS = 2
MAX_KEY_RESULTS = 5


class LintInputError(ValidationError, ValueError):
    """Input the coach cannot read; still a ValueError for callers that catch that."""


def _check_text(text: object, what: str = "text") -> str:
    if not isinstance(text, str):
        raise LintInputError("lint.not_text", name=what, type=type(text).__name__)
    if not text.strip():
        raise LintInputError("lint.empty", name=what)
    return text


def _resolve_lang(lang: object, text: str) -> str:
    if lang == "auto":
        return detect_language(text)
    if lang not in LANGUAGES:
        raise LintInputError("lint.lang_unknown", lang=lang)
    return str(lang)


def lint(text: str, kind: str = "key_result", lang: str = "auto") -> LintResult:
    """Lint one key result or objective; lang "auto" detects Dutch or English."""
    text = _check_text(text)
    if kind not in KINDS:
        raise LintInputError("lint.kind_unknown", kinds=", ".join(KINDS), kind=kind)
    st = analyse(text.strip(), _resolve_lang(lang, text))
    found = key_result_findings(st) if kind == "key_result" else objective_findings(st)
    return LintResult.of(st.lang, found)


def lint_objective(title: str, key_results: Sequence[str], lang: str = "auto") -> LintResult:
    """Lint an objective: its title, its 2–5 key results, and key results that belong elsewhere."""
    title = _check_text(title, "title")
    if isinstance(key_results, str):
        raise LintInputError("lint.key_results_one_string")
    texts = [_check_text(kr, f"key_results[{i}]") for i, kr in enumerate(key_results)]
    resolved = _resolve_lang(lang, " ".join([title, *texts]))
    found: list[Finding] = list(objective_findings(analyse(title.strip(), resolved)))
    count = len(texts)
    if count < MIN_KEY_RESULTS:
        found.append(finding("too-few-key-results", WARNING, resolved, count=str(count)))
    elif count > MAX_KEY_RESULTS:
        found.append(finding("too-many-key-results", WARNING, resolved, count=str(count)))
    for text in texts:
        # Each key result is read in its own language; the advice speaks the objective's.
        kr = analyse(text.strip(), detect_language(text) if lang == "auto" else resolved)
        if is_activity(kr, kind="key_result"):
            found.append(finding("activity-key-result", WARNING, resolved, key_result=quote(text)))
        elif kr.measures.measurable and kr.maintains:
            found.append(finding("maintain-key-result", WARNING, resolved, key_result=quote(text)))
    found.sort(key=lambda f: f.severity != ERROR)
    return LintResult.of(resolved, found)
