"""Number formatting and chart scaling never fail a page, whatever float old data holds (issue 9, item 3)."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.web import charts, i18n

ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)
EDGES = [math.inf, -math.inf, math.nan, 1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324, 1e15, 0.0]


def _in(locale: str):
    return i18n.current_locale.set(locale)


@pytest.mark.parametrize("locale", ["nl", "en"])
@pytest.mark.parametrize("formatter", [i18n.number, i18n.score, i18n.percent, lambda v: i18n.number(v, 0)])
@given(value=ANY_FLOAT)
def test_every_formatter_gives_short_text_for_any_float(locale, formatter, value):
    token = _in(locale)
    try:
        text = formatter(value)
    finally:
        i18n.current_locale.reset(token)
    assert text and len(text) <= 30, f"{value!r} → {text!r}"
    assert "NaN" not in text and "∞" not in text and "inf" not in text.lower()


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_non_finite_values_show_a_dash_and_huge_ones_a_scientific_form(locale):
    token = _in(locale)
    try:
        for formatter in (i18n.number, i18n.score, i18n.percent):
            assert formatter(math.inf) == formatter(-math.inf) == formatter(math.nan) == "–"
        assert i18n.number(1e308) == "1E308" and i18n.number(-1e308) == "-1E308"
        assert i18n.score(1e308) == "1E308"
        assert i18n.percent(1e308) == "1E310%"
        assert i18n.number(1.7976931348623157e308) == ("1,8E308" if locale == "nl" else "1.8E308")
        assert i18n.number(1e15) == ("1.000.000.000.000.000" if locale == "nl" else "1,000,000,000,000,000")
        assert i18n.number(7.5) == ("7,5" if locale == "nl" else "7.5")
    finally:
        i18n.current_locale.reset(token)


_COORDINATE = re.compile(r"-?\d+\.\d")


def _sane(x: float | None, top: float) -> bool:
    return x is None or (math.isfinite(x) and -0.01 <= x <= top + 0.01)


@given(
    kind=st.sampled_from(["increase", "decrease", "range", "above", "below", "milestone"]),
    values=st.lists(st.one_of(st.none(), ANY_FLOAT), min_size=5, max_size=5),
)
def test_a_progress_bar_lies_within_its_scale_for_any_float(kind, values):
    bar = charts.progress_bar(kind, *values)
    assert all(_sane(x, 100.0) for x in (bar.baseline_x, bar.current_x, bar.target_x))
    if bar.band is not None:
        assert all(_sane(x, 101.0) for x in bar.band)
    if bar.fill is not None:
        assert all(_sane(x, 100.0) for x in bar.fill)


@given(readings=st.lists(ANY_FLOAT, max_size=6))
def test_sparklines_draw_finite_points_for_any_float(readings):
    # the history charts moved to koers.reports.charts: tests/unit/test_report_charts.py
    line = charts.sparkline(readings)
    assert "nan" not in line and "inf" not in line
    assert all(_COORDINATE.fullmatch(part) for point in line.split() for part in point.split(","))
