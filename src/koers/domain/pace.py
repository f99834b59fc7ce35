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


def pace_status(score: float | None, has_value: bool, share_elapsed: float, objective_type: str) -> str:
    """One of `not_started`, `achieved`, `on_track`, `at_risk`, `off_track`."""
    if not has_value or score is None:
        return "not_started"
    if score >= 100.0:
        return "achieved"
    expected = expected_score(share_elapsed, objective_type)
    if share_elapsed < 0.1 or score >= 0.9 * expected:
        return "on_track"
    if score >= 0.6 * expected:
        return "at_risk"
    return "off_track"


def forecast_score(score: float | None, share_elapsed: float) -> float | None:
    """Where the score ends at the current pace: score / elapsed, capped at 100 (None before 10% elapsed)."""
    if score is None or share_elapsed < 0.1:
        return None
    return round(min(score / share_elapsed, 100.0), 1)
