"""What every chart of `koers.reports.charts` shares: its language, its limits, its frame and its series.

A chart is a pygal XY (dates on x) or Bar chart of `WIDTH` × `HEIGHT`, with the legend below; each series is added
with a `Look` (its role and colours), which `reports.svg` applies as presentation attributes.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from typing import Any, Final

import pygal
from babel.dates import format_date
from markupsafe import Markup
from pygal.style import Style

from koers import i18n
from koers.reports.svg import Look, clean

LIMIT: Final = 1e15
WIDTH: Final = 400  # small enough that a phone (≈340 px for the chart) shows the 13 px labels at ≥ 11 px
HEIGHT: Final = 280
LEGEND_FONT: Final = 13

VALUES = Look("values", "#0b5cad", dots=True, width=2.5)
TARGET = Look("target", "#1b7f3b", dashes="6 4")
TARGET_BAND = Look("target-band", "#1b7f3b", filled=True)
PLAN = Look("plan", "#5f6b7a", dashes="2 4", width=2.0)
FORECAST = Look("forecast", "#8a5a00", dashes="8 4")
FORECAST_BAND = Look("forecast-band", "#d08a00", filled=True)
GREEN_AT = Look("green-at", "#1b7f3b", dashes="6 4")
RED_AT = Look("red-at", "#b3261e", dashes="6 4")
AMBER_BAND = Look("amber-band", "#d08a00", filled=True, opacity=0.18)
PREDICTED = Look("predicted", "#8d97a5", filled=True, opacity=1.0)
ACHIEVED = Look("achieved", "#0b5cad", filled=True, opacity=1.0)

_ = i18n.gettext_


@contextlib.contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Words, numbers and dates in `lang` (nl, en) for the block; the current language when None."""
    if lang is None:
        yield
        return
    token = i18n.current_locale.set(lang if lang in i18n.LOCALES else i18n.DEFAULT_LOCALE)
    try:
        yield
    finally:
        i18n.current_locale.reset(token)


def day_label(value: date) -> str:
    """12 Nov / 12 nov: a date on an axis or in a chart's summary."""
    return format_date(value, format="d MMM", locale=i18n.current_locale.get())


def plottable(value: float | None) -> float | None:
    """A value the drawing can use: None for nan/±inf, clamped to ±1e15 (the domain's limit) otherwise."""
    if value is None or not math.isfinite(value):
        return None
    return min(max(value, -LIMIT), LIMIT)


def day_of(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def days_since(moment: date | datetime, start: date) -> float:
    """Days since the cycle's start, as `koers.domain.forecast` counts them (noon of day 3 is 3.5)."""
    at = moment if isinstance(moment, datetime) else datetime.combine(moment, time())
    return (at.replace(tzinfo=None) - datetime.combine(start, time())).total_seconds() / 86400


def chart_style() -> Style:
    return Style(
        background="transparent",
        plot_background="#ffffff",
        font_family="sans-serif",
        label_font_size=LEGEND_FONT,
        major_label_font_size=LEGEND_FONT,
        legend_font_size=LEGEND_FONT,
        title_font_size=13,
        colors=("#000000",) * 8,  # replaced by each series' Look in `reports.svg`
    )


COMMON: Final[dict[str, Any]] = {
    "js": [],
    "disable_xml_declaration": True,
    "width": WIDTH,
    "height": HEIGHT,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 2,  # three columns crowd the longer Dutch names on a phone
    "legend_box_size": 10,
    "truncate_legend": -1,
    "truncate_label": -1,
    "margin": 8,
    "margin_right": 24,  # room for the last date label, centred on the axis's end
}


def timeline(unit: str, first: date, span: float) -> pygal.XY:
    """An XY chart whose x is days since `first` (labelled with dates) and whose y carries the unit."""

    def date_label(x: float) -> str:
        return day_label(date.fromordinal(first.toordinal() + round(x)))

    return pygal.XY(
        **COMMON,
        style=chart_style(),
        show_x_guides=False,
        xrange=(0, span),
        x_labels=ticks(span),
        x_value_formatter=date_label,
        value_formatter=i18n.number,
        y_title=unit or None,
        dots_size=3,
        no_data_text=_("No values yet"),
    )


def ticks(span: float, count: int = 4) -> list[float]:
    """Whole days from 0 to `span`, evenly spread: the x axis's date labels."""
    return sorted({round(span * i / count) for i in range(count + 1)})


class Series:
    """The series of one chart and how each is drawn (pygal numbers them in the order they are added)."""

    def __init__(self, chart: pygal.graph.graph.Graph) -> None:
        self.chart = chart
        self.looks: dict[int, Look] = {}

    def add(self, look: Look, title: str, points: Sequence[tuple[float, float] | float]) -> None:
        if len(points) >= (1 if look.dots or look.filled else 2):
            self.looks[len(self.looks)] = look
            self.chart.add(
                title, points, fill=look.filled, show_dots=look.dots, stroke=len(points) > 1 or not look.dots
            )

    def render(self, title: str, summary: str, chart_id: str) -> Markup:
        """Clean SVG with room for every legend row (pygal 3.1 counts `n // columns` rows, not the ceiling)."""
        config = self.chart.config
        if not self.looks:  # nothing to draw: pygal's "no data" text (an XY chart without a series cannot render)
            config.show_legend = False
            self.looks[0] = VALUES
            self.chart.add("", [])
        columns = config.legend_at_bottom_columns or 1
        missing = math.ceil(len(self.looks) / columns) - len(self.looks) // columns
        config.margin_bottom = config.margin + 1.5 * LEGEND_FONT * missing
        return Markup(clean(self.chart.render_tree(), self.looks, title, summary, chart_id))


def points(pairs: Iterable[tuple[float, float | None]]) -> list[tuple[float, float]]:
    return [(x, v) for x, raw in pairs if (v := plottable(raw)) is not None and math.isfinite(x)]


def band(x0: float, x1: float, low: float, high: float, low_end: float, high_end: float) -> list[tuple[float, float]]:
    """A closed polygon from (x0, low..high) to (x1, low_end..high_end): pygal fills it as a band."""
    corners = points([(x0, high), (x1, high_end), (x1, low_end), (x0, low), (x0, high)])
    return corners if len(corners) == 5 else []
