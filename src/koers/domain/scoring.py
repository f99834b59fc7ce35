"""Scoring of key results and objectives, exactly as SPEC §3 states it.

A key result's progress `p` follows from its kind, baseline `b`, target `t` and latest value `v`;
`score = round(100 × clamp(p, 0, 1), 1)`; `progress` is `p` unclamped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from koers.domain.errors import ValidationError

MAINTAIN_KINDS = frozenset({"above", "below"})


@dataclass(frozen=True)
class Target:
    """What a key result aims for: its kind and the numbers that define success."""

    kind: str
    baseline: float | None = None
    target: float | None = None
    target_low: float | None = None
    target_high: float | None = None

    @property
    def start(self) -> float:
        """The value a key result has before any check-in: its baseline (0 for a milestone)."""
        if self.baseline is not None:
            return self.baseline
        return 0.0


def progress(goal: Target, value: float | None, cycle_values: Sequence[float] = ()) -> float:
    """Progress `p` of a key result, unclamped (1.2 means 20% over target).

    `value` is the latest value (None when there is none: the baseline is used);
    `cycle_values` are all of this cycle's values, used by the maintain kinds `above` and `below`.
    """
    kind = goal.kind
    if kind in MAINTAIN_KINDS:
        return _share_met(goal, cycle_values)
    v = goal.start if value is None else value
    b = goal.start
    if kind == "increase" or kind == "decrease":
        t = _required(goal.target, "target")
        return (v - b) / (t - b) if kind == "increase" else (b - v) / (b - t)
    if kind == "range":
        lo = _required(goal.target_low, "target_low")
        hi = _required(goal.target_high, "target_high")
        if lo <= v <= hi:
            return 1.0
        if b > hi:
            return (b - v) / (b - hi)
        if b < lo:
            return (v - b) / (lo - b)
        return 0.0
    if kind == "milestone":
        return v
    raise ValueError(f"unknown key result kind {kind!r}")


def _share_met(goal: Target, values: Sequence[float]) -> float:
    if not values:
        return 0.0
    t = _required(goal.target, "target")
    met = sum(1 for v in values if (v >= t if goal.kind == "above" else v <= t))
    return met / len(values)


def _required(number: float | None, name: str) -> float:
    if number is None:
        raise ValidationError("key_result.value_required", field=name, name=name)
    return number


def score_from_progress(p: float) -> float:
    """`round(100 × clamp(p, 0, 1), 1)`: always a finite score in 0–100 (a NaN progress, from numbers past
    the domain's limits such as ∞/∞, scores 0)."""
    if math.isnan(p):
        return 0.0
    return round(100.0 * min(max(p, 0.0), 1.0), 1)


def _bounded(score: float) -> float:
    """A stored score is finite and within 0–100 (the database refuses anything else)."""
    return 0.0 if math.isnan(score) else min(max(score, 0.0), 100.0)


def _weighted_mean(pairs: list[tuple[float, float]]) -> float:
    try:
        mean = math.fsum(s * w for s, w in pairs) / math.fsum(w for _, w in pairs)
    except (OverflowError, ZeroDivisionError):
        mean = math.nan
    if math.isfinite(mean):
        return mean
    # Weights past the domain's limits (stored before they were refused): scale them down, the mean is the same.
    top = max((abs(w) for _, w in pairs if math.isfinite(w)), default=0.0) or 1.0
    scaled = [(s, w / top if math.isfinite(w) else 1.0) for s, w in pairs]
    try:
        return math.fsum(s * w for s, w in scaled) / math.fsum(w for _, w in scaled)
    except (OverflowError, ZeroDivisionError):
        return math.nan


def key_result_score(goal: Target, value: float | None, cycle_values: Sequence[float] = ()) -> float:
    """Score 0–100 of a key result."""
    return score_from_progress(progress(goal, value, cycle_values))


def cycle_has_started(status: str, start_date: date | None, today: date) -> bool:
    """Whether an objective of this cycle counts in its parent's mean (SPEC §3): not while the cycle is `planning`
    or starts after today. A closed cycle has started."""
    return status != "planning" and (start_date is None or start_date <= today)


def objective_score(
    key_results: Iterable[tuple[float, float]], aligned_scores: Iterable[float | None] = ()
) -> float | None:
    """Weight-averaged score of (score, weight) pairs; with none, the mean of aligned objectives' scores.

    Aligned objectives without a score are left out of the mean; with nothing to average the score is None.
    """
    # fsum: the result must not depend on the order the database hands rows back in.
    pairs = list(key_results)
    if pairs:
        return round(_bounded(_weighted_mean(pairs)), 1)
    children = [s for s in aligned_scores if s is not None]
    if children:
        return round(_bounded(math.fsum(_bounded(s) for s in children) / len(children)), 1)
    return None


@dataclass(frozen=True)
class Reading:
    """One value of a key result at a moment, and where it came from (`check_in` or `kpi`)."""

    value: float
    at: Any
    source: str


def newest(check_in: Reading | None, measurement: Reading | None) -> Reading | None:
    """The newer of a key result's latest check-in and its KPI's latest measurement (a tie goes to the check-in)."""
    if check_in is None:
        return measurement
    if measurement is None or check_in.at >= measurement.at:
        return check_in
    return measurement
