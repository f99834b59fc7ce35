"""Pace status: is a score where it should be at this point of the cycle? (SPEC §3)."""

from __future__ import annotations

from datetime import date

ASPIRATIONAL_FACTOR = 0.7


def elapsed(today: date, start: date, end: date) -> float:
    """Share of the cycle that has passed, 0–1."""
    span = (end - start).days
    if span <= 0:
        return 1.0
    return min(max((today - start).days / span, 0.0), 1.0)


def expected_score(share_elapsed: float, objective_type: str) -> float:
    """The score a key result should have by now: linear, 70% of the way for aspirational goals."""
    factor = ASPIRATIONAL_FACTOR if objective_type == "aspirational" else 1.0
    return 100.0 * share_elapsed * factor


ON_TRACK_SHARE = 0.9  # on track from 90% of the expected score
AT_RISK_SHARE = 0.6  # at risk from 60% of it, off track below


def pace_status(
    score: float | None, has_value: bool, share_elapsed: float, objective_type: str, expected: float | None = None
) -> str:
    """One of `not_started`, `achieved`, `on_track`, `at_risk`, `off_track`.

    `expected` is the score the plan expects by now (`koers.domain.plan.expected_score`); without it, the linear
    pace `expected_score(share_elapsed, objective_type)`.
    """
    if not has_value or score is None:
        return "not_started"
    if score >= 100.0:
        return "achieved"
    if expected is None:
        expected = expected_score(share_elapsed, objective_type)
    if share_elapsed < 0.1 or score >= ON_TRACK_SHARE * expected:
        return "on_track"
    if score >= AT_RISK_SHARE * expected:
        return "at_risk"
    return "off_track"
