"""Where a key result will end the cycle: a Theil–Sen line through its values, projected to the cycle's end.

Theil–Sen is the median of all pairwise slopes: one wild value cannot swing it, unlike a least-squares line.
x is days since the cycle's start (a float: a check-in at noon of day 3 is 3.5); pairs with equal x are skipped.
The intercept is the median of `value − slope·x`. `low` and `high` use the 10th and 90th percentile of the
pairwise slopes, each with its own intercept (the median of `value − s·x`), projected the same way.

Percentiles interpolate linearly between closest ranks: the p-th of n sorted values lies at position (n − 1)·p
(0-based), the method of `statistics.quantiles(method="inclusive")`; the median is the 50th percentile.
The pairs are O(n²): only the latest `MAX_FORECAST_VALUES` values are used (200 values, 19,900 pairs).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from koers.domain.scoring import MAINTAIN_KINDS, Target, key_result_score, score_from_progress

MAX_FORECAST_VALUES: Final = 200
LOW_PERCENTILE: Final = 0.1
HIGH_PERCENTILE: Final = 0.9


@dataclass(frozen=True)
class Forecast:
    """The projected value at the cycle's end, with a band, from `points` values (value None: fewer than two
    distinct days). `slope` and `intercept` give the median line, `x_last` the latest value's x, `x_end` the end's."""

    value: float | None
    low: float | None
    high: float | None
    points: int
    method: str = "theil_sen"
    slope: float | None = None
    intercept: float | None = None
    x_last: float | None = None
    x_end: float | None = None

    def at(self, x: float) -> float | None:
        """The median line at `x` days since the cycle's start."""
        if self.slope is None or self.intercept is None:
            return None
        return self.intercept + self.slope * x


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """The `share` (0–1) percentile of already sorted values, interpolated between closest ranks."""
    if not sorted_values:
        raise ValueError("percentile of no values")
    position = (len(sorted_values) - 1) * share
    below = math.floor(position)
    if below + 1 >= len(sorted_values):
        return sorted_values[-1]
    return sorted_values[below] + (sorted_values[below + 1] - sorted_values[below]) * (position - below)


def median(values: Iterable[float]) -> float:
    """The middle value (the mean of the two middle ones for an even count)."""
    return percentile(sorted(values), 0.5)


def _by_x(point: tuple[float, float]) -> float:
    return point[0]


def pairwise_slopes(points: Sequence[tuple[float, float]]) -> list[float]:
    """Every slope (v_j − v_i) / (x_j − x_i) of two points with different x, sorted."""
    slopes = [
        (vj - vi) / (xj - xi) for i, (xi, vi) in enumerate(points) for xj, vj in points[i + 1 :] if xj != xi
    ]  # fmt: skip
    return sorted(slopes)


def intercept_for(points: Sequence[tuple[float, float]], slope: float) -> float:
    """The median of `value − slope·x`: where a line of this slope through the middle of the points crosses x = 0."""
    return percentile(sorted([v - slope * x for x, v in points]), 0.5)  # the median, without a generator's cost


def theil_sen(values: Iterable[tuple[float, float]], x_end: float, limit: int = MAX_FORECAST_VALUES) -> Forecast:
    """The Theil–Sen forecast at `x_end` from (x, value) pairs: the latest `limit` of them by x."""
    points = sorted(values, key=_by_x)[-limit:]
    slopes = pairwise_slopes(points)
    if not slopes:
        return Forecast(None, None, None, len(points))
    slope = percentile(slopes, 0.5)
    intercept = intercept_for(points, slope)
    ends = []
    for share in (LOW_PERCENTILE, HIGH_PERCENTILE):
        s = percentile(slopes, share)
        ends.append(intercept_for(points, s) + s * x_end)
    return Forecast(
        value=intercept + slope * x_end,
        low=min(ends),  # with every x before x_end the low slope ends lowest; min/max keep the band ordered anyway
        high=max(ends),
        points=len(points),
        slope=slope,
        intercept=intercept,
        x_last=points[-1][0],
        x_end=x_end,
    )


def projected_days(forecast: Forecast) -> list[float]:
    """The days a band kind is judged on: each whole day after the latest value up to the end, or the end alone."""
    if forecast.x_last is None or forecast.x_end is None:
        return []
    first, last = math.floor(forecast.x_last) + 1, math.floor(forecast.x_end)
    days = [float(day) for day in range(first, last + 1)]
    return days or [forecast.x_end]


def forecast_score(goal: Target, forecast: Forecast) -> float | None:
    """The score the forecast ends at (None without a forecast).

    increase, decrease, milestone: the score of the projected value. range, above, below: 100 × the share of the
    projected values inside the band (range lo ≤ y ≤ hi, above y ≥ target, below y ≤ target), the projected values
    being the median line at each whole day after the latest value up to the cycle's end (`projected_days`).
    """
    if forecast.value is None:
        return None
    if goal.kind not in MAINTAIN_KINDS and goal.kind != "range":
        return key_result_score(goal, forecast.value)
    days = projected_days(forecast)
    return score_from_progress(_inside(goal, forecast, days) / len(days))


def _inside(goal: Target, forecast: Forecast, days: list[float]) -> int:
    """How many of the median line's values at `days` lie inside the band (one loop per band kind: an
    organisation's attention list projects some 200,000 days)."""
    slope, intercept = forecast.slope, forecast.intercept
    if slope is None or intercept is None:
        return 0
    ys = [intercept + slope * x for x in days]  # `Forecast.at`
    if goal.kind == "range":
        lo, hi = goal.target_low, goal.target_high
        return 0 if lo is None or hi is None else sum(1 for y in ys if lo <= y <= hi)
    target = goal.target
    if target is None:
        return 0
    return sum(1 for y in ys if y >= target) if goal.kind == "above" else sum(1 for y in ys if y <= target)
