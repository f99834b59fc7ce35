"""Geometry of the small SVGs drawn in templates: a key result's progress bar and a KPI's sparkline.

The charts with axes (a key result's and a KPI's history) are `koers.reports.charts`'s, drawn with pygal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def _finite(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def _share(value: float, lo: float, hi: float) -> float:
    """Where `value` lies between `lo` and `hi`, 0–1; halves first so that even ±1e308 never overflows.

    Old data may hold values the domain now refuses (1e308, inf, nan): a chart then draws something sane
    instead of failing the page.
    """
    if not math.isfinite(value):
        return 1.0 if value == math.inf else 0.0
    span = hi / 2 - lo / 2
    if not span > 0:
        return 0.0
    return min(max((value / 2 - lo / 2) / span, 0.0), 1.0)


@dataclass(frozen=True)
class Bar:
    """A key result's bar on one scale: baseline, current, target (or the range band)."""

    baseline_x: float
    current_x: float | None
    target_x: float | None
    band: tuple[float, float] | None

    @property
    def fill(self) -> tuple[float, float] | None:
        """The stretch from baseline to current, drawn in the status colour."""
        if self.current_x is None:
            return None
        return (min(self.baseline_x, self.current_x), abs(self.current_x - self.baseline_x))


def progress_bar(
    kind: str,
    baseline: float | None,
    current: float | None,
    target: float | None,
    low: float | None,
    high: float | None,
) -> Bar:
    """Positions (0–100) of baseline, current and target on a shared scale."""
    start = baseline if baseline is not None else 0.0
    points = _finite([start, current, target, low, high]) or [0.0]
    lo, hi = min(points), max(points)

    def x(value: float) -> float:
        return round(100.0 * _share(value, lo, hi), 2)

    band = (x(low), max(x(high) - x(low), 1.0)) if kind == "range" and low is not None and high is not None else None
    return Bar(x(start), None if current is None else x(current), None if target is None else x(target), band)


def sparkline(values: Sequence[float], width: float = 120.0, height: float = 28.0) -> str:
    """Polyline points of a small trend line."""
    if not values:
        return ""
    lo, hi = min(_finite(values) or [0.0]), max(_finite(values) or [0.0])
    step = width / max(len(values) - 1, 1)
    return " ".join(f"{i * step:.1f},{height - 2 - _share(v, lo, hi) * (height - 4):.1f}" for i, v in enumerate(values))
