"""Confidence calibration: were the owners' calls at check-ins borne out by how their key results ended?

A confidence is a probability that the key result succeeds: `on_track` 0.9, `at_risk` 0.5, `off_track` 0.1.
It succeeded (outcome 1) when it ended at a score ≥ 100 (committed objective) or ≥ 70 (aspirational), else 0.
The Brier score is the mean of (p − outcome)² over the check-ins: 0 is perfect, 0.25 is what always saying
"at risk" earns, 1 is always certain and always wrong. Every check-in with a confidence counts once, so a key
result checked in often weighs more than one checked in rarely; check-ins without a confidence are left out.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Final, TypeVar

PROBABILITY: Final = {"on_track": 0.9, "at_risk": 0.5, "off_track": 0.1}
SUCCESS_SCORE: Final = {"committed": 100.0, "aspirational": 70.0}

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Calibration:
    """The Brier score of `check_ins` confidences (None when there are none)."""

    brier: float | None
    check_ins: int


def probability(confidence: str) -> float:
    """The chance of success a confidence states."""
    return PROBABILITY[confidence]


def outcome(objective_type: str, final_score: float | None) -> int:
    """1 when a key result ended successfully for its objective's type, else 0 (no score is no success)."""
    if final_score is None:
        return 0
    return 1 if final_score >= SUCCESS_SCORE.get(objective_type, SUCCESS_SCORE["committed"]) else 0


def calibration(check_ins: Iterable[tuple[str | None, str, float | None]]) -> Calibration:
    """The Brier score of (confidence, objective type, the key result's final score) triples."""
    errors = [
        (probability(confidence) - outcome(objective_type, final_score)) ** 2
        for confidence, objective_type, final_score in check_ins
        if confidence is not None
    ]
    if not errors:
        return Calibration(None, 0)
    return Calibration(math.fsum(errors) / len(errors), len(errors))


def calibration_by(check_ins: Iterable[tuple[Key, str | None, str, float | None]]) -> dict[Key, Calibration]:
    """The calibration of each key (an owner's id) over its (key, confidence, objective type, final score) rows,
    in the order keys first appear; keys whose check-ins all lack a confidence are left out."""
    grouped: dict[Key, list[tuple[str | None, str, float | None]]] = {}
    for key, confidence, objective_type, final_score in check_ins:
        grouped.setdefault(key, []).append((confidence, objective_type, final_score))
    result = {key: calibration(rows) for key, rows in grouped.items()}
    return {key: value for key, value in result.items() if value.check_ins}
