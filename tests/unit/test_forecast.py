"""Theil–Sen forecasts (issue 10): slopes, intercepts, bands and forecast scores worked out by hand."""

from __future__ import annotations

import statistics

import pytest

from koers.domain.forecast import (
    MAX_FORECAST_VALUES,
    Forecast,
    forecast_score,
    median,
    pairwise_slopes,
    percentile,
    projected_days,
    theil_sen,
)
from koers.domain.scoring import Target

# The issue's check: (days since the cycle's start, value).
ISSUE_POINTS = [(0.0, 10.0), (10.0, 20.0), (20.0, 35.0), (29.0, 39.0)]
X_END = 40.0  # a 40-day cycle


def test_the_issue_example_has_slope_one_per_day():
    # pairwise slopes:
    #   (0,10)-(10,20): 10/10 = 1        (0,10)-(20,35): 25/20 = 1.25     (0,10)-(29,39): 29/29 = 1
    #   (10,20)-(20,35): 15/10 = 1.5     (10,20)-(29,39): 19/19 = 1       (20,35)-(29,39): 4/9 ≈ 0.444
    # sorted: 4/9, 1, 1, 1, 1.25, 1.5 → median = (1 + 1) / 2 = 1
    assert pairwise_slopes(ISSUE_POINTS) == pytest.approx([4 / 9, 1, 1, 1, 1.25, 1.5])
    forecast = theil_sen(ISSUE_POINTS, X_END)
    assert forecast.slope == 1.0
    # intercept: value − 1·x = 10, 10, 15, 10 → sorted 10, 10, 10, 15 → median (10 + 10) / 2 = 10
    assert forecast.intercept == 10.0
    # projected to day 40: 10 + 1·40 = 50
    assert forecast.value == 50.0
    assert (forecast.points, forecast.method, forecast.x_last, forecast.x_end) == (4, "theil_sen", 29.0, 40.0)


def test_the_band_comes_from_the_tenth_and_ninetieth_percentile_slopes():
    forecast = theil_sen(ISSUE_POINTS, X_END)
    # 6 sorted slopes, positions 0–5. 10th percentile at (6 − 1)·0.1 = 0.5: halfway between 4/9 and 1
    #   = 4/9 + (1 − 4/9)/2 = 8/18 + 5/18 = 13/18
    # its intercept: value − 13/18·x = 10, 20 − 130/18, 35 − 260/18, 39 − 377/18
    #   = 180/18, 230/18, 370/18, 325/18 → sorted 180, 230, 325, 370 (/18) → median (230 + 325)/36 = 555/36
    # low = 555/36 + 13/18·40 = 555/36 + 1040/36 = 1595/36 ≈ 44.31
    assert forecast.low == pytest.approx(1595 / 36)
    # 90th percentile at 5·0.9 = 4.5: halfway between 1.25 and 1.5 = 1.375
    # its intercept: value − 1.375·x = 10, 6.25, 7.5, −0.875 → sorted −0.875, 6.25, 7.5, 10 → median 6.875
    # high = 6.875 + 1.375·40 = 6.875 + 55 = 61.875
    assert forecast.high == pytest.approx(61.875)
    assert forecast.low is not None and forecast.value is not None and forecast.high is not None
    assert forecast.low < forecast.value < forecast.high


def test_one_wild_value_does_not_swing_the_line():
    points = [(0.0, 0.0), (10.0, 10.0), (20.0, 20.0), (30.0, 30.0), (40.0, 1000.0)]
    # slopes: the six pairs among the first four are all 1; with (40, 1000): 1000/40 = 25, 990/30 = 33,
    # 980/20 = 49, 970/10 = 97. Ten sorted: 1,1,1,1,1,1,25,33,49,97 → median at 4.5 = (1 + 1)/2 = 1
    # intercept: 0, 0, 0, 0, 1000 − 40 = 960 → median 0; at day 50: 0 + 50 = 50
    forecast = theil_sen(points, 50.0)
    assert (forecast.slope, forecast.intercept, forecast.value) == (1.0, 0.0, 50.0)


def test_values_arrive_in_any_order():
    assert theil_sen(list(reversed(ISSUE_POINTS)), X_END) == theil_sen(ISSUE_POINTS, X_END)


@pytest.mark.parametrize(
    "points",
    [[], [(3.0, 5.0)], [(3.0, 5.0), (3.0, 7.0)]],  # no pair with two different days
)
def test_fewer_than_two_distinct_days_give_no_forecast(points):
    forecast = theil_sen(points, X_END)
    assert forecast == Forecast(None, None, None, len(points))
    assert forecast_score(Target("increase", 0, 10), forecast) is None
    assert forecast_score(Target("above", target=5), forecast) is None


def test_pairs_on_the_same_day_are_skipped():
    # (0,0)-(10,10) = 1, (0,0)-(10,30) = 3, and (10,10)-(10,30) skipped → median (1 + 3)/2 = 2
    assert pairwise_slopes([(0.0, 0.0), (10.0, 10.0), (10.0, 30.0)]) == [1.0, 3.0]
    assert theil_sen([(0.0, 0.0), (10.0, 10.0), (10.0, 30.0)], X_END).slope == 2.0


def test_only_the_latest_two_hundred_values_count():
    wild = [(float(x), 1000.0 - 7 * x) for x in range(50)]  # days 0–49: another trend entirely
    steady = [(float(x), 2.0 * x) for x in range(50, 250)]  # days 50–249: value = 2·day
    forecast = theil_sen(wild + steady, 300.0)
    # the latest 200 by day are days 50–249: every slope 2, every value − 2·x = 0 → 0 + 2·300 = 600
    assert forecast.points == MAX_FORECAST_VALUES == 200
    assert (forecast.slope, forecast.intercept, forecast.value, forecast.low, forecast.high) == (2, 0, 600, 600, 600)


def test_percentiles_interpolate_between_closest_ranks_like_statistics_inclusive():
    data = [1.0, 2.0, 4.0, 8.0, 16.0]
    # 10th: position 4·0.1 = 0.4 → 1 + 0.4·(2 − 1) = 1.4; 90th: 4·0.9 = 3.6 → 8 + 0.6·(16 − 8) = 12.8
    assert percentile(data, 0.1) == pytest.approx(1.4)
    assert percentile(data, 0.9) == pytest.approx(12.8)
    assert percentile(data, 0.5) == 4.0 == median(data)
    assert percentile(data, 0.0) == 1.0 and percentile(data, 1.0) == 16.0
    assert median([1.0, 2.0, 4.0, 8.0]) == 3.0  # (2 + 4)/2
    deciles = statistics.quantiles(data, n=10, method="inclusive")
    assert (deciles[0], deciles[-1]) == pytest.approx((1.4, 12.8))
    assert percentile([7.0], 0.9) == 7.0
    with pytest.raises(ValueError):
        percentile([], 0.5)


# --- forecast scores ---


def test_increase_and_decrease_score_the_projected_value():
    forecast = theil_sen(ISSUE_POINTS, X_END)  # value 50
    # increase 10 → 60: (50 − 10)/(60 − 10) = 40/50 = 0.8 → 80
    assert forecast_score(Target("increase", baseline=10, target=60), forecast) == 80.0
    # decrease 60 → 10: (60 − 50)/(60 − 10) = 10/50 = 0.2 → 20
    assert forecast_score(Target("decrease", baseline=60, target=10), forecast) == 20.0
    # increase 10 → 40: 40/30 = 1.33, clamped → 100
    assert forecast_score(Target("increase", baseline=10, target=40), forecast) == 100.0


def test_band_kinds_score_the_share_of_remaining_days_the_line_lies_in_the_band():
    forecast = theil_sen(ISSUE_POINTS, X_END)  # line y = 10 + x, latest value on day 29
    # projected days: 30, 31, …, 40 (11 days); the line there: 40, 41, …, 50
    assert projected_days(forecast) == [float(d) for d in range(30, 41)]
    # range [45, 55]: days 35–40 (y 45–50) inside: 6 of 11 = 0.5454… → 54.5
    assert forecast_score(Target("range", baseline=20, target_low=45, target_high=55), forecast) == 54.5
    # above 45: y ≥ 45 on days 35–40: 6/11 → 54.5 (exactly on target counts as met)
    assert forecast_score(Target("above", target=45), forecast) == 54.5
    # below 44.5: y ≤ 44.5 on days 30–34: 5/11 = 0.4545… → 45.5
    assert forecast_score(Target("below", target=44.5), forecast) == 45.5
    # below 60: every day → 100; above 60: none → 0
    assert forecast_score(Target("below", target=60), forecast) == 100.0
    assert forecast_score(Target("above", target=60), forecast) == 0.0


def test_with_no_day_left_a_band_kind_is_judged_at_the_end():
    forecast = theil_sen(ISSUE_POINTS, 29.0)  # the cycle ends on the latest value's day: 10 + 29 = 39
    assert projected_days(forecast) == [29.0]
    assert forecast_score(Target("range", baseline=0, target_low=35, target_high=45), forecast) == 100.0
    assert forecast_score(Target("range", baseline=0, target_low=40, target_high=45), forecast) == 0.0


def test_fractional_days_count_whole_days_after_the_latest_value():
    forecast = theil_sen([(0.0, 0.0), (7.5, 7.5)], 10.0)  # slope 1, intercept 0; latest value at day 7.5
    assert projected_days(forecast) == [8.0, 9.0, 10.0]
    # above 9: y = 9 and 10 on days 9, 10 → 2/3 = 0.666… → 66.7
    assert forecast_score(Target("above", target=9), forecast) == 66.7
