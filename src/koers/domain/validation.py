"""Rules that keep goals meaningful; each violation raises ValidationError with a clear message."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection

from koers.domain import model
from koers.domain.errors import ValidationError


def one_of(value: str, allowed: Collection[str], field: str) -> str:
    """Refuse a value outside a fixed vocabulary, naming the allowed ones."""
    if value not in allowed:
        raise ValidationError(f"{field} must be one of {', '.join(allowed)}; got {value!r}", field=field)
    return value


def finite(value: float | None, field: str) -> float | None:
    """Refuse NaN and infinity: they would poison every score they touch."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{field} must be a number; got {value!r}", field=field)
    if not math.isfinite(value):
        raise ValidationError(f"{field} must be a finite number; got {value!r}", field=field)
    return float(value)


def non_empty(text: str | None, field: str, max_length: int = 500) -> str:
    """A required, trimmed text of bounded length."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValidationError(f"{field} must not be empty", field=field)
    if len(cleaned) > max_length:
        raise ValidationError(f"{field} is longer than {max_length} characters", field=field)
    return cleaned


def validate_cycle(cycle: model.Cycle) -> None:
    """A cycle has a name, a known status, and ends after it starts."""
    cycle.name = non_empty(cycle.name, "name", 100)
    one_of(cycle.status, model.CYCLE_STATUSES, "status")
    if cycle.end_date <= cycle.start_date:
        raise ValidationError(
            f"end_date ({cycle.end_date}) must be after start_date ({cycle.start_date})", field="end_date"
        )


def validate_objective(objective: model.Objective) -> None:
    """Title, level, type and visibility from the vocabulary."""
    objective.title = non_empty(objective.title, "title")
    one_of(objective.level, model.LEVELS, "level")
    one_of(objective.type, model.OBJECTIVE_TYPES, "type")
    one_of(objective.visibility, model.VISIBILITIES, "visibility")
    if len(objective.description or "") > 10_000:
        raise ValidationError("description is longer than 10000 characters", field="description")


def validate_key_result(kr: model.KeyResult) -> None:
    """Kind, numbers and weight fit together so that the score can be computed."""
    kr.title = non_empty(kr.title, "title")
    one_of(kr.kind, model.KR_KINDS, "kind")
    for name in ("baseline", "target", "target_low", "target_high", "weight"):
        setattr(kr, name, finite(getattr(kr, name), name))
    if kr.weight is None or kr.weight <= 0:
        raise ValidationError(f"weight must be greater than 0; got {kr.weight}", field="weight")
    _KIND_RULES[kr.kind](kr)


def _needs(kr: model.KeyResult, *names: str) -> None:
    for name in names:
        if getattr(kr, name) is None:
            article = "an" if kr.kind[0] in "aeiou" else "a"
            raise ValidationError(f"{article} {kr.kind} key result needs a {name}", field=name)


def _increase(kr: model.KeyResult) -> None:
    _needs(kr, "baseline", "target")
    assert kr.target is not None and kr.baseline is not None
    if not kr.target > kr.baseline:
        raise ValidationError(
            f"an increase key result needs a target above its baseline "
            f"(baseline {kr.baseline:g}, target {kr.target:g})",
            field="target",
        )


def _decrease(kr: model.KeyResult) -> None:
    _needs(kr, "baseline", "target")
    assert kr.target is not None and kr.baseline is not None
    if not kr.target < kr.baseline:
        raise ValidationError(
            f"a decrease key result needs a target below its baseline (baseline {kr.baseline:g}, target {kr.target:g})",
            field="target",
        )


def _range(kr: model.KeyResult) -> None:
    _needs(kr, "baseline", "target_low", "target_high")
    assert kr.target_low is not None and kr.target_high is not None
    if kr.target_low > kr.target_high:
        raise ValidationError(
            f"target_low ({kr.target_low:g}) must not be above target_high ({kr.target_high:g})",
            field="target_low",
        )


def _maintain(kr: model.KeyResult) -> None:
    _needs(kr, "target")


def _milestone(kr: model.KeyResult) -> None:
    if kr.baseline not in (None, 0.0) or kr.target not in (None, 1.0):
        raise ValidationError("a milestone goes from 0 (not done) to 1 (done)", field="target")
    kr.baseline, kr.target = 0.0, 1.0


_KIND_RULES: dict[str, Callable[[model.KeyResult], None]] = {
    "increase": _increase,
    "decrease": _decrease,
    "range": _range,
    "above": _maintain,
    "below": _maintain,
    "milestone": _milestone,
}


def validate_check_in_value(kind: str, value: float) -> float:
    """A finite number; 0 or 1 for a milestone."""
    number = finite(value, "value")
    assert number is not None
    if kind == "milestone" and number not in (0.0, 1.0):
        raise ValidationError(f"a milestone is checked in as 0 (not done) or 1 (done); got {value:g}", field="value")
    return number


def validate_kpi(kpi: model.Kpi) -> None:
    """Direction from the vocabulary and thresholds that point the right way."""
    kpi.name = non_empty(kpi.name, "name", 200)
    one_of(kpi.direction, model.KPI_DIRECTIONS, "direction")
    for name in ("target", "target_low", "target_high", "green_at", "red_at"):
        setattr(kpi, name, finite(getattr(kpi, name), name))
    if kpi.direction == "in_range":
        if kpi.target_low is None or kpi.target_high is None:
            raise ValidationError("an in_range KPI needs target_low and target_high", field="target_low")
        if kpi.target_low > kpi.target_high:
            raise ValidationError("target_low must not be above target_high", field="target_low")
        if kpi.green_at is not None and kpi.green_at < 0:
            raise ValidationError("green_at of an in_range KPI is a distance and must be ≥ 0", field="green_at")
        return
    if kpi.green_at is None:
        kpi.green_at = kpi.target
    if kpi.green_at is not None and kpi.red_at is not None:
        wrong = kpi.red_at > kpi.green_at if kpi.direction == "higher_is_better" else kpi.red_at < kpi.green_at
        if wrong:
            side = "above" if kpi.direction == "higher_is_better" else "below"
            raise ValidationError(
                f"red_at ({kpi.red_at:g}) must not be {side} green_at ({kpi.green_at:g}) for a {kpi.direction} KPI",
                field="red_at",
            )


def validate_alignment(
    objective_id: int | None,
    level: str,
    parent_id: int,
    parent_level: str,
    ancestors_of_parent: Collection[int],
) -> None:
    """No loops, and a strategic objective never aligns under a tactical one."""
    if objective_id is not None and (parent_id == objective_id or objective_id in ancestors_of_parent):
        raise ValidationError(
            f"aligning objective {objective_id} under {parent_id} would make a loop", field="parent_id"
        )
    if level == "strategic" and parent_level == "tactical":
        raise ValidationError("a strategic objective cannot align under a tactical one", field="parent_id")


def validate_initiative(initiative: model.Initiative) -> None:
    """Title, status, and exactly one thing it moves: an objective or a key result."""
    initiative.title = non_empty(initiative.title, "title")
    one_of(initiative.status, model.INITIATIVE_STATUSES, "status")
    if (initiative.objective_id is None) == (initiative.key_result_id is None):
        raise ValidationError("an initiative belongs to either an objective or a key result", field="objective_id")
