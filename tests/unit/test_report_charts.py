"""The pygal charts of `koers.reports.charts`: axes, target, plan, forecast band, thresholds and words in both
languages, CSP-safe SVG (no script, no style), and any number that old data may hold drawn without raising."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from koers.domain.forecast import theil_sen
from koers.reports.charts import calibration_chart, calibration_levels, key_result_chart, kpi_chart

NS = {"svg": "http://www.w3.org/2000/svg"}
CYCLE = {"start_date": date(2026, 11, 1), "end_date": date(2026, 11, 21)}  # 20 days
# Values on day 1, 6 and 11 (noon: x = 1.5, 6.5, 11.5 days since the start)
READINGS = [
    (datetime(2026, 11, 2, 12, tzinfo=UTC), 1.0),
    (datetime(2026, 11, 7, 12, tzinfo=UTC), 3.0),
    (datetime(2026, 11, 12, 12, tzinfo=UTC), 7.5),
]
INCREASE = {"id": 7, "title": "Sales", "kind": "increase", "unit": "k€", "baseline": 0.0, "target": 10.0, "plan": None}
TODAY = date(2026, 11, 13)  # 12 of 20 days: the linear plan expects 0 + (10 − 0) × 12/20 = 6


def _forecast():
    # pairwise slopes: (3−1)/5 = 0.4, (7.5−1)/10 = 0.65, (7.5−3)/5 = 0.9; median 0.65, intercept median of
    # 1 − 0.65·1.5 = 0.025, 3 − 0.65·6.5 = −1.225, 7.5 − 0.65·11.5 = 0.025 → 0.025; at x = 20: 0.025 + 13 = 13.025.
    # low: the 10th percentile of the slopes at position (3 − 1)·0.1 = 0.2: 0.4 + 0.2·0.25 = 0.45, intercept the median
    # of 1 − 0.675, 3 − 2.925, 7.5 − 5.175 = 0.325, at 20: 0.325 + 9 = 9.325; high: position 1.8: 0.65 + 0.8·0.25 =
    # 0.85, intercept median of −0.275, −2.525, −2.275 = −2.275, at 20: −2.275 + 17 = 14.725.
    return theil_sen([(1.5, 1.0), (6.5, 3.0), (11.5, 7.5)], 20.0)


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _series(root: ET.Element, role: str) -> list[ET.Element]:
    return root.findall(f".//svg:g[@class='series {role}']", NS)


def test_the_worked_forecast_is_what_the_chart_is_given():
    forecast = _forecast()
    assert math.isclose(forecast.slope or 0, 0.65) and math.isclose(forecast.value or 0, 13.025)
    assert math.isclose(forecast.low or 0, 9.325) and math.isclose(forecast.high or 0, 14.725)


def test_a_key_result_chart_has_axes_target_plan_forecast_band_and_its_words_in_english():
    svg = key_result_chart(INCREASE, CYCLE, READINGS, forecast=_forecast(), today=TODAY, lang="en")
    root = _tree(svg)
    x_labels = [t.text for t in root.findall(".//svg:g[@class='axis x']//svg:text", NS)]
    assert x_labels[0] == "1 Nov" and x_labels[-1] == "21 Nov"  # dates from the cycle's start to its end
    y_labels = [t.text for t in root.findall(".//svg:g[@class='axis y']//svg:text", NS)]
    assert "0" in y_labels and "10" in y_labels
    assert any(t.text == "k€" for t in root.iter(f"{{{NS['svg']}}}text"))  # the unit names the y axis
    for role in ("values", "target", "plan", "forecast", "forecast-band"):
        assert _series(root, role), role
    band = _series(root, "forecast-band")[0].find("svg:path", NS)
    assert band is not None and band.get("fill") and float(band.get("fill-opacity", "1")) < 1
    target = _series(root, "target")[0].find("svg:path", NS)
    assert target is not None and target.get("stroke-dasharray")
    assert root.get("role") == "img" and root.get("aria-label") == "History of Sales"
    assert root.find("svg:title", NS).text == "History of Sales"
    # the values of the summary: the last value, the target, the plan today (6) and the forecast at the end
    assert root.find("svg:desc", NS).text == (
        "value 7.5 on 12 Nov, target 10, expected by plan 6, forecast 13 (9.3–14.7) at cycle end (k€)"
    )


def test_the_same_chart_speaks_dutch():
    root = _tree(key_result_chart(INCREASE, CYCLE, READINGS, forecast=_forecast(), today=TODAY, lang="nl"))
    assert root.get("aria-label") == "Verloop van Sales"
    assert root.find("svg:desc", NS).text == (
        "waarde 7,5 op 12 nov, streefwaarde 10, volgens plan 6 verwacht, prognose 13 (9,3–14,7) aan het einde van de cyclus (k€)"
    )
    legend = {t.text for t in root.findall(".//svg:g[@class='legend']//svg:text", NS)}
    assert {"Waarden", "Streefwaarde", "Plan", "Prognose", "Prognosemarge"} <= legend


def test_the_svg_has_no_script_no_style_and_no_random_ids():
    svg = key_result_chart(INCREASE, CYCLE, READINGS, forecast=_forecast(), today=TODAY, lang="en")
    assert "<script" not in svg and "<style" not in svg and "style=" not in svg
    assert re.findall(r'\bid="([^"]+)"', svg) == ["kr-7-chart-title", "kr-7-chart-desc"]
    assert svg == key_result_chart(INCREASE, CYCLE, READINGS, forecast=_forecast(), today=TODAY, lang="en")


def test_a_range_shows_its_band_and_a_shaped_plan_its_curve():
    kr = {**INCREASE, "kind": "range", "target": None, "target_low": 4.0, "target_high": 6.0}
    root = _tree(key_result_chart(kr, CYCLE, READINGS, today=TODAY, lang="en"))
    assert _series(root, "target-band") and not _series(root, "target")
    assert "target 4–6" in root.find("svg:desc", NS).text
    back_loaded = {**INCREASE, "plan": {"shape": "back_loaded"}}
    root = _tree(key_result_chart(back_loaded, CYCLE, READINGS, today=TODAY, lang="en"))
    assert "expected by plan 3.6" in root.find("svg:desc", NS).text  # 10 × (12/20)² = 3.6


def test_the_forecast_from_the_api_view_is_drawn_too():
    kr = {**INCREASE, "forecast": {"value": 13.025, "low": 12.2, "high": 14.3, "points": 3, "method": "theil_sen"}}
    root = _tree(key_result_chart(kr, CYCLE, READINGS, today=TODAY, lang="en"))
    assert _series(root, "forecast-band") and "forecast 13 (12.2–14.3)" in root.find("svg:desc", NS).text


def test_a_kpi_chart_shows_its_thresholds_and_dates():
    kpi = {"id": 3, "name": "Churn", "unit": "%", "direction": "lower_is_better", "green_at": 5.0, "red_at": 9.0}
    readings = [(datetime(2026, 6, 1, tzinfo=UTC), 10.4), (datetime(2026, 11, 30, tzinfo=UTC), 8.3)]
    root = _tree(kpi_chart(kpi, readings, lang="en"))
    assert _series(root, "green-at") and _series(root, "red-at") and _series(root, "values")
    x_labels = [t.text for t in root.findall(".//svg:g[@class='axis x']//svg:text", NS)]
    assert x_labels[0] == "1 Jun" and x_labels[-1] == "30 Nov"
    assert root.find("svg:desc", NS).text == "value 8.3 on 30 Nov, green up to 5, red above 9 (%)"
    in_range = {**kpi, "direction": "in_range", "target_low": 3.0, "target_high": 4.0, "green_at": 0.5, "red_at": None}
    root = _tree(kpi_chart(in_range, readings, lang="nl"))
    assert _series(root, "target-band") and _series(root, "amber-band")
    assert "groen van 3 tot 4, oranje binnen 0,5 daarvan" in root.find("svg:desc", NS).text


def test_calibration_compares_predicted_with_achieved_per_confidence():
    rows = [
        ("on_track", "committed", 100.0),  # achieved (≥ 100)
        ("on_track", "committed", 60.0),  # missed
        ("on_track", "aspirational", 70.0),  # achieved (≥ 70)
        ("at_risk", "committed", 30.0),  # missed
        (None, "committed", 100.0),  # no confidence: left out
    ]
    levels = calibration_levels(rows)
    assert [(lv.confidence, lv.predicted, lv.check_ins) for lv in levels] == [("on_track", 0.9, 3), ("at_risk", 0.5, 1)]
    assert math.isclose(levels[0].achieved, 2 / 3) and levels[1].achieved == 0.0
    labels = {"on_track": "op koers", "at_risk": "risico"}
    root = _tree(calibration_chart("Kalibratie", levels, labels, lang="nl"))
    assert _series(root, "predicted") and _series(root, "achieved")
    assert root.find("svg:desc", NS).text == (
        "op koers: voorspeld 90%, behaald 66,7% van 3 check-ins; risico: voorspeld 50%, behaald 0% van 1 check-ins"
    )
    assert [t.text for t in root.findall(".//svg:g[@class='axis x']//svg:text", NS)] == ["op koers (3)", "risico (1)"]


ANY = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e308, -1e308, 1e15]))


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=5),
    baseline=ANY,
    target=ANY,
    low=ANY,
    high=ANY,
    kind=st.sampled_from(["increase", "decrease", "range", "above", "below", "milestone"]),
)
def test_numbers_past_the_limits_never_raise(values, baseline, target, low, high, kind):
    """Old data may hold 1e308, inf or nan: every chart still draws, with finite coordinates only."""
    readings = [(datetime(2026, 11, 2 + i, tzinfo=UTC), v) for i, v in enumerate(values)]
    kr = {**INCREASE, "kind": kind, "baseline": baseline, "target": target, "target_low": low, "target_high": high}
    forecast = theil_sen([(1.0 + i, v) for i, v in enumerate(values) if math.isfinite(v)], 20.0)
    kpi = {"name": "K", "unit": "", "direction": "in_range", "green_at": target, "target_low": low, "target_high": high}
    for svg in (
        key_result_chart(kr, CYCLE, readings, forecast=forecast, today=TODAY, lang="nl"),
        kpi_chart(kpi, readings, lang="en"),
        kpi_chart({**kpi, "direction": "higher_is_better", "red_at": baseline}, readings, lang="en"),
    ):
        root = _tree(svg)
        for path in root.iter(f"{{{NS['svg']}}}path"):
            assert "nan" not in (path.get("d") or "").lower() and "inf" not in (path.get("d") or "").lower()


def test_a_chart_keeps_its_plain_svg_tags_whatever_another_library_registered():
    """WeasyPrint's PDF metadata re-registers XML prefixes process-wide; charts drawn after a PDF must not change."""
    import xml.etree.ElementTree as ET

    before = str(key_result_chart(INCREASE, CYCLE, READINGS, forecast=_forecast(), today=TODAY, lang="en"))
    saved = dict(ET._namespace_map)  # type: ignore[attr-defined]
    try:
        ET.register_namespace("", "http://example.org/another-default")
        after = str(key_result_chart(INCREASE, CYCLE, READINGS, forecast=_forecast(), today=TODAY, lang="en"))
    finally:
        ET._namespace_map.clear()  # type: ignore[attr-defined]
        ET._namespace_map.update(saved)  # type: ignore[attr-defined]
    assert after == before and after.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "ns0" not in after
