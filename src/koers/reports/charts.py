"""Charts drawn on the server with pygal: a key result's history, a KPI's history, confidence calibration.

Each function returns one SVG (as `Markup`: every text in it is escaped) with axes, a legend, an accessible name
(`<title>`, `aria-label`) and a summary in words (`<desc>`). No script and no inline style (`reports.svg`), so the
same SVG is inlined in a page under the strict CSP, in a PDF (WeasyPrint) and in an HTML report.

Words, numbers and dates are those of `koers.i18n`'s current language (the web sets the request's, a report its
reader's), or of `lang` when given; the Dutch is in `reports/translations/nl/charts.po`. Numbers past the domain's
limits (old data: 1e308, inf, nan) are left out or clamped to ±1e15 on the drawing and never raise.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

import pygal
from markupsafe import Markup

from koers import i18n
from koers.domain.calibration import PROBABILITY, outcome, probability
from koers.domain.errors import ValidationError
from koers.domain.forecast import Forecast
from koers.domain.plan import LINEAR, Plan, PlanPoint, parse_plan, planned_span, planned_value
from koers.domain.scoring import Target
from koers.reports.chart_frame import (
    ACHIEVED,
    AMBER_BAND,
    COMMON,
    FORECAST,
    FORECAST_BAND,
    GREEN_AT,
    PLAN,
    PREDICTED,
    RED_AT,
    TARGET,
    TARGET_BAND,
    VALUES,
    Series,
    band,
    chart_style,
    day_label,
    day_of,
    days_since,
    plottable,
    points,
    speaking,
    timeline,
)

PLAN_SAMPLES: Final = 24

_ = i18n.gettext_


@dataclass(frozen=True)
class KeyResultSeries:
    """What a key result's chart shows: its numbers, its values over the cycle, its plan and forecast."""

    title: str
    kind: str
    unit: str
    readings: Sequence[tuple[date | datetime, float]]
    start: date
    end: date
    baseline: float | None = None
    target: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    plan: Plan | None = None
    forecast: Forecast | Mapping[str, Any] | None = None


def key_result_chart(
    kr: Mapping[str, Any],
    cycle: Mapping[str, Any],
    readings: Sequence[tuple[date | datetime, float]] | None = None,
    *,
    forecast: Forecast | Mapping[str, Any] | None = None,
    today: date | None = None,
    lang: str | None = None,
    chart_id: str | None = None,
) -> Markup:
    """A key result's history chart from its view (`services.read.views.key_result_view`: kind, unit, baseline,
    targets, `plan`, `forecast`) and its cycle's view (start_date, end_date)."""
    series = KeyResultSeries(
        title=str(kr.get("title", "")),
        kind=str(kr["kind"]),
        unit=str(kr.get("unit") or ""),
        readings=readings if readings is not None else kr.get("readings") or [],
        start=cycle["start_date"],
        end=cycle["end_date"],
        baseline=kr.get("baseline"),
        target=kr.get("target"),
        target_low=kr.get("target_low"),
        target_high=kr.get("target_high"),
        plan=plan_of(kr.get("plan"), cycle["start_date"], cycle["end_date"]),
        forecast=forecast if forecast is not None else kr.get("forecast"),
    )
    with speaking(lang):
        return history_chart(series, today or date.today(), chart_id or f"kr-{kr.get('id', 0)}-chart")


def plan_of(raw: Plan | Mapping[str, Any] | None, start: date, end: date) -> Plan:
    """A plan from its stored form; a stored plan whose points the cycle's new dates left outside keeps its points
    (`planned_value` skips them); anything unreadable is the linear plan."""
    if isinstance(raw, Plan):
        return raw
    try:
        return parse_plan(raw, start, end)
    except ValidationError:
        pass
    with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
        kept = tuple(PlanPoint(date.fromisoformat(p["date"]), float(p["value"])) for p in raw.get("points") or ())  # type: ignore[union-attr]
        return Plan(str(raw.get("shape", "linear")), kept)  # type: ignore[union-attr]
    return LINEAR


def _forecast_end(forecast: Forecast | Mapping[str, Any] | None) -> tuple[float | None, float | None, float | None]:
    """(value, low, high) at the cycle's end, from a `Forecast` or its API view."""
    if forecast is None:
        return None, None, None
    if isinstance(forecast, Forecast):
        return forecast.value, forecast.low, forecast.high
    return forecast.get("value"), forecast.get("low"), forecast.get("high")


def history_chart(kr: KeyResultSeries, today: date, chart_id: str = "kr-chart") -> Markup:
    """Values over the cycle with the target (line or band), the plan line, and the forecast: a median line from the
    last value to the cycle's end and the 10–90% band around it."""
    span = max(float((kr.end - kr.start).days), 1.0)
    series = Series(timeline(kr.unit, kr.start, span))
    readings = sorted(kr.readings, key=lambda reading: days_since(reading[0], kr.start))
    values = points((days_since(at, kr.start), value) for at, value in readings)
    target_text, goal_line = _target(kr)
    if kr.kind == "range" and kr.target_low is not None and kr.target_high is not None:
        lo, hi = kr.target_low, kr.target_high
        series.add(TARGET_BAND, _("Target range"), band(0, span, lo, hi, lo, hi))
    value, low, high = _forecast_end(kr.forecast)
    if values and plottable(value) is not None:
        x_last, y_last = values[-1]
        if low is not None and high is not None:
            series.add(FORECAST_BAND, _("Forecast range"), band(x_last, span, y_last, y_last, low, high))
        series.add(FORECAST, _("Forecast"), points([(x_last, y_last), (span, value)]))
    planned: float | None = None
    ends = planned_span(Target(kr.kind, kr.baseline, kr.target, kr.target_low, kr.target_high))
    if ends is not None and all(plottable(end) is not None for end in ends):
        plan = kr.plan or LINEAR
        xs = {
            0.0,
            span,
            *(i * span / PLAN_SAMPLES for i in range(PLAN_SAMPLES)),
            *(days_since(p.day, kr.start) for p in plan.points),
        }
        line = [(x, planned_value(plan, ends[0], ends[1], kr.start, kr.end, _day(kr.start, x))) for x in sorted(xs)]
        series.add(PLAN, _("Plan"), points(line))
        planned = planned_value(plan, ends[0], ends[1], kr.start, kr.end, min(max(today, kr.start), kr.end))
    if goal_line is not None:
        series.add(TARGET, _("Target"), points([(0, goal_line), (span, goal_line)]))
    series.add(VALUES, _("Values"), values)
    title = _("History of %(title)s") % {"title": kr.title}
    return series.render(title, _summary(kr, readings, target_text, planned), chart_id)


def _day(start: date, x: float) -> date:
    return date.fromordinal(start.toordinal() + round(x))


def _target(kr: KeyResultSeries) -> tuple[str, float | None]:
    """The target in words, and the height of its line (None for a range, drawn as a band)."""
    n = i18n.number
    if kr.kind == "range":
        return _("target %(low)s–%(high)s") % {"low": n(kr.target_low), "high": n(kr.target_high)}, None
    if kr.kind == "milestone":
        return _("target: done"), 1.0
    if kr.target is None:
        return "", None
    return _("target %(target)s") % {"target": n(kr.target)}, kr.target


def _summary(
    kr: KeyResultSeries, readings: Sequence[tuple[date | datetime, float]], target: str, planned: float | None
) -> str:
    """value 7.5 on 12 Nov, target 5, expected by plan 6.8, forecast 5.9 (5.1–6.7) at cycle end."""
    n, parts = i18n.number, []
    shown = [(at, value) for at, value in readings if plottable(value) is not None]
    if shown:
        at, value = shown[-1]
        parts.append(_("value %(value)s on %(day)s") % {"value": n(value), "day": day_label(day_of(at))})
    else:
        parts.append(_("no values yet"))
    if target:
        parts.append(target)
    if plottable(planned) is not None:
        parts.append(_("expected by plan %(value)s") % {"value": n(planned)})
    end, low, high = _forecast_end(kr.forecast)
    if plottable(end) is not None:
        forecast = {"value": n(end), "low": n(low), "high": n(high)}
        parts.append(_("forecast %(value)s (%(low)s–%(high)s) at cycle end") % forecast)
    return ", ".join(parts) + (f" ({kr.unit})" if kr.unit else "")


def kpi_chart(
    kpi: Mapping[str, Any],
    readings: Sequence[tuple[date | datetime, float]],
    *,
    lang: str | None = None,
    chart_id: str | None = None,
) -> Markup:
    """A KPI's measurements over their own period with its thresholds (`kpi_status`'s rules): for a KPI that should
    stay in a range the green band and the amber margin around it, else the green_at and red_at lines."""
    with speaking(lang):
        return _kpi_chart(kpi, readings, chart_id or f"kpi-{kpi.get('id', 0)}-chart")


def _kpi_chart(kpi: Mapping[str, Any], readings: Sequence[tuple[date | datetime, float]], chart_id: str) -> Markup:
    ordered = sorted(readings, key=lambda reading: days_since(reading[0], date.min))
    first = day_of(ordered[0][0]) if ordered else date.today()
    span = max(float((day_of(ordered[-1][0]) - first).days), 1.0) if ordered else 1.0
    unit = str(kpi.get("unit") or "")
    series = Series(timeline(unit, first, span))
    n, parts = i18n.number, []
    if ordered:
        at, value = ordered[-1]
        parts.append(_("value %(value)s on %(day)s") % {"value": n(value), "day": day_label(day_of(at))})
    green_at, red_at = kpi.get("green_at"), kpi.get("red_at")
    low, high = kpi.get("target_low"), kpi.get("target_high")
    if kpi.get("direction") == "in_range":
        if low is not None and high is not None:
            if green_at is not None and plottable(green_at) is not None and green_at > 0:
                wide = (low - green_at, high + green_at)
                series.add(AMBER_BAND, _("Amber"), band(0, span, wide[0], wide[1], wide[0], wide[1]))
            series.add(TARGET_BAND, _("Green"), band(0, span, low, high, low, high))
            parts.append(_("green from %(low)s to %(high)s") % {"low": n(low), "high": n(high)})
            if green_at is not None:
                parts.append(_("amber within %(margin)s of it") % {"margin": n(green_at)})
    else:
        higher = kpi.get("direction") != "lower_is_better"
        if green_at is not None and red_at is not None and green_at != red_at:
            lo, hi = sorted((green_at, red_at))
            series.add(AMBER_BAND, _("Amber"), band(0, span, lo, hi, lo, hi))
        if green_at is not None:
            green = _("green from %(value)s") if higher else _("green up to %(value)s")
            line = points([(0, green_at), (span, green_at)])
            series.add(GREEN_AT, _capital(green % {"value": _amount(green_at, unit)}), line)
            parts.append(green % {"value": n(green_at)})
        if red_at is not None:
            red = _("red below %(value)s") if higher else _("red above %(value)s")
            line = points([(0, red_at), (span, red_at)])
            series.add(RED_AT, _capital(red % {"value": _amount(red_at, unit)}), line)
            parts.append(red % {"value": n(red_at)})
    series.add(VALUES, _("Measurements"), points((days_since(at, first), value) for at, value in ordered))
    title = _("Measurements of %(name)s") % {"name": kpi.get("name", "")}
    summary = ", ".join(parts) + (f" ({unit})" if unit and parts else "")
    return series.render(title, summary or _("No values yet"), chart_id)


def _amount(value: float, unit: str) -> str:
    """5% / 4 min: a threshold with its unit, for a legend (the threshold lines are named by their value)."""
    shown = i18n.number(value)
    return shown + unit if unit == "%" else f"{shown} {unit}".rstrip()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class CalibrationLevel:
    """The check-ins given one confidence: what they predicted (the probability) and the share that came true."""

    confidence: str
    predicted: float
    achieved: float
    check_ins: int


def calibration_levels(check_ins: Iterable[tuple[str | None, str, float | None]]) -> list[CalibrationLevel]:
    """Per confidence (on track, at risk, off track) the predicted probability and the share achieved, from the
    (confidence, objective type, final score) triples `koers.domain.calibration.calibration` reads."""
    outcomes: dict[str, list[int]] = {}
    for confidence, objective_type, final_score in check_ins:
        if confidence is not None:
            outcomes.setdefault(confidence, []).append(outcome(objective_type, final_score))
    return [
        CalibrationLevel(level, probability(level), sum(found) / len(found), len(found))
        for level in PROBABILITY
        if (found := outcomes.get(level))
    ]


def calibration_chart(
    title: str,
    levels: Sequence[CalibrationLevel],
    labels: Mapping[str, str],
    *,
    lang: str | None = None,
    chart_id: str = "calibration-chart",
) -> Markup:
    """Bars of predicted against achieved success per confidence level: optimism shows as achieved below predicted,
    sandbagging as achieved above. `labels` names each confidence in the reader's language."""
    with speaking(lang):
        chart = pygal.Bar(
            **{**COMMON, "legend_at_bottom_columns": 2}, style=chart_style(), range=(0, 100), include_x_axis=True, y_title="%",
            value_formatter=i18n.number, no_data_text=_("No check-ins with a confidence in closed cycles yet"),
        )  # fmt: skip
        chart.x_labels = [f"{labels.get(level.confidence, level.confidence)} ({level.check_ins})" for level in levels]
        series = Series(chart)
        series.add(PREDICTED, _("Predicted"), [100 * level.predicted for level in levels])
        series.add(ACHIEVED, _("Achieved"), [100 * level.achieved for level in levels])
        summary = "; ".join(
            _("%(confidence)s: predicted %(predicted)s%%, achieved %(achieved)s%% of %(count)s check-ins")
            % {
                "confidence": labels.get(level.confidence, level.confidence),
                "predicted": i18n.number(100 * level.predicted),
                "achieved": i18n.number(100 * level.achieved),
                "count": level.check_ins,
            }
            for level in levels
        )
        return series.render(title, summary or _("No check-ins with a confidence in closed cycles yet"), chart_id)
