"""Grades at cycle close and the seed's warning about goals that were not ambitious enough."""

from __future__ import annotations

from collections.abc import Iterable


def grade(score: float | None) -> float | None:
    """`score / 100` as 0.0–1.0."""
    if score is None:
        return None
    return round(score / 100.0, 2)


def final_grade(computed: float | None, override: float | None) -> float | None:
    """The grade that counts: one set by hand (issue 15) wins over the computed `score / 100`."""
    return computed if override is None else override


def grade_colour(value: float | None) -> str | None:
    """red below 0.4, yellow below 0.7, green from 0.7."""
    if value is None:
        return None
    if value < 0.4:
        return "red"
    if value < 0.7:
        return "yellow"
    return "green"


def too_easy_objective(objective_type: str, value: float | None) -> bool:
    """An aspirational objective graded 1.0 was probably not ambitious enough."""
    return objective_type == "aspirational" and value is not None and value >= 1.0


def too_easy_team(aspirational_kr_scores: Iterable[float]) -> bool:
    """A team whose aspirational key results reach 100 in more than half the cases aims too low."""
    scores = list(aspirational_kr_scores)
    if not scores:
        return False
    return sum(1 for s in scores if s >= 100.0) > len(scores) / 2


# The third ambition flag (issue 10): committed objectives that missed.
def missed_commitment(objective_type: str, value: float | None) -> bool:
    """A committed objective graded below 1.0 missed what the team promised."""
    return objective_type == "committed" and value is not None and value < 1.0
