"""The lint result of SPEC §5: a verdict, the language, and findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One remark of the coach, with a code from SPEC §5 (or an objective-level code)."""

    code: str
    severity: str
    message: str
    suggestion: str

    def to_dict(self) -> dict[str, str]:
        """The finding as SPEC §5 JSON."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class LintResult:
    """The coach's verdict on one statement or objective."""

    verdict: str
    lang: str
    findings: tuple[Finding, ...]

    @classmethod
    def of(cls, lang: str, findings: list[Finding] | tuple[Finding, ...]) -> LintResult:
        """A result whose verdict follows SPEC §5: needs_work when any finding is an error."""
        verdict = "needs_work" if any(f.severity == ERROR for f in findings) else "good"
        return cls(verdict=verdict, lang=lang, findings=tuple(findings))

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the findings, in order."""
        return tuple(f.code for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """The result as SPEC §5 JSON: verdict, lang and findings."""
        return {
            "verdict": self.verdict,
            "lang": self.lang,
            "findings": [f.to_dict() for f in self.findings],
        }
