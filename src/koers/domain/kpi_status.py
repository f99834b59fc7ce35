"""KPI status colours (SPEC §3)."""

from __future__ import annotations

from koers.domain.model import Kpi


def kpi_status(
    direction: str,
    value: float | None,
    *,
    green_at: float | None,
    red_at: float | None,
    target_low: float | None = None,
    target_high: float | None = None,
) -> str | None:
    """`green`, `amber` or `red` for a KPI's current value; None without a value or thresholds."""
    if value is None:
        return None
    if direction == "in_range":
        if target_low is None or target_high is None:
            return None
        if target_low <= value <= target_high:
            return "green"
        distance = target_low - value if value < target_low else value - target_high
        return "amber" if green_at is not None and distance <= green_at else "red"
    if green_at is None:
        return None
    red = green_at if red_at is None else red_at
    if direction == "higher_is_better":
        if value >= green_at:
            return "green"
        return "red" if value < red else "amber"
    if value <= green_at:
        return "green"
    return "red" if value > red else "amber"


def kpi_colour(kpi: Kpi, value: float | None) -> str | None:
    """`kpi_status` of `value` against this KPI's own direction and thresholds."""
    return kpi_status(
        kpi.direction,
        value,
        green_at=kpi.green_at,
        red_at=kpi.red_at,
        target_low=kpi.target_low,
        target_high=kpi.target_high,
    )
