"""The OKR quality coach: lint key results and objectives (SPEC §5), offline, Dutch and English."""

from __future__ import annotations

from koers.domain.coach.document import lint_document
from koers.domain.coach.linting import lint, lint_objective
from koers.domain.coach.result import Finding, LintResult

__all__ = ["Finding", "LintResult", "lint", "lint_document", "lint_objective"]
