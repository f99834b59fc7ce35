"""The reasons a key result needs attention (`koers.domain.attention`), with the arithmetic written out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from koers.domain.attention import (
    AttentionFacts,
    attention_reasons,
    checked_in_this_period,
    forecast_falls_short,
    improved,
    is_overdue,
    period_start,
)
from koers.domain.scoring import Target

NOW = datetime(2026, 5, 15, 12, tzinfo=UTC)
START = datetime(2026, 4, 1, tzinfo=UTC)
QUIET = AttentionFacts(
    now=NOW,
    cycle_start=START,
    last_value_at=NOW - timedelta(days=1),
    cadence_days=7,
    status="on_track",
    objective_type="committed",
    forecast_score=100.0,
    latest_confidence="on_track",
    improved=False,
)


def test_a_key_result_on_pace_with_a_recent_value_and_a_forecast_at_target_needs_nothing():
    assert attention_reasons(QUIET) == []


@pytest.mark.parametrize(
    ("last_value_at", "cadence", "overdue"),
    [
        # NOW is Friday 15 May 2026: its ISO week began on Monday 11 May
        (datetime(2026, 5, 11, 8, tzinfo=UTC), 7, False),  # Monday of this week
        (datetime(2026, 5, 10, 22, tzinfo=UTC), 7, True),  # Sunday night: last week's
        (datetime(2026, 5, 4, 8, tzinfo=UTC), 14, False),  # a fortnightly one: last week counts
        (datetime(2026, 5, 3, 20, tzinfo=UTC), 14, True),  # the week before that does not
        (datetime(2026, 5, 13, tzinfo=UTC), 3, False),  # 3 days: Wednesday, Thursday, Friday
        (datetime(2026, 5, 12, 23, tzinfo=UTC), 3, True),
    ],
)
def test_no_recent_check_in_follows_the_calendar_week_or_the_cadence(last_value_at, cadence, overdue):
    facts = replace(QUIET, last_value_at=last_value_at, cadence_days=cadence)
    assert ("no_recent_check_in" in attention_reasons(facts)) is overdue


def test_without_any_value_the_period_counts_from_the_cycle_start():
    # The cycle began on 1 April: long overdue; one that began on this week's Tuesday is not yet.
    assert is_overdue(NOW, START, None, 7)
    assert not is_overdue(NOW, datetime(2026, 5, 12, tzinfo=UTC), None, 7)
    assert is_overdue(NOW, datetime(2026, 5, 8, tzinfo=UTC), None, 7)  # last Friday: this week has nothing


MONDAY, THURSDAY, SUNDAY = date(2026, 5, 18), date(2026, 5, 14), date(2026, 5, 17)


def test_on_monday_last_thursdays_check_in_is_last_weeks():
    assert period_start(MONDAY, 7) == MONDAY
    assert not checked_in_this_period(MONDAY, THURSDAY, 7)
    assert checked_in_this_period(MONDAY, MONDAY, 7)
    # the old rule (the last seven days) counted it: Monday − Thursday = 4 days
    assert (MONDAY - THURSDAY).days < 7


def test_on_sunday_the_whole_week_since_monday_counts():
    assert period_start(SUNDAY, 7) == date(2026, 5, 11)
    assert checked_in_this_period(SUNDAY, date(2026, 5, 11), 7)
    assert not checked_in_this_period(SUNDAY, date(2026, 5, 10), 7)  # the Sunday before


def test_a_fortnightly_cadence_counts_this_week_and_the_one_before():
    assert period_start(MONDAY, 14) == date(2026, 5, 11)
    assert checked_in_this_period(MONDAY, THURSDAY, 14)  # last Thursday: within the two weeks
    assert checked_in_this_period(SUNDAY, date(2026, 5, 4), 14)
    assert not checked_in_this_period(SUNDAY, date(2026, 5, 3), 14)
    assert period_start(SUNDAY, 21) == date(2026, 4, 27)


def test_a_cadence_of_days_counts_calendar_days_and_never_a_value_means_waiting():
    assert period_start(MONDAY, 1) == MONDAY and period_start(MONDAY, 3) == date(2026, 5, 16)
    assert not checked_in_this_period(MONDAY, SUNDAY - timedelta(days=1), 2)
    assert checked_in_this_period(MONDAY, SUNDAY, 2)
    assert not checked_in_this_period(MONDAY, None, 7)
    assert period_start(MONDAY, 0) == MONDAY  # a cadence below 1 counts as 1


def test_days_are_counted_where_now_is():
    amsterdam = timezone(timedelta(hours=2))
    monday_morning = datetime(2026, 5, 18, 0, 30, tzinfo=amsterdam)  # Sunday 22:30 UTC
    sunday_evening_utc = datetime(2026, 5, 17, 22, 15, tzinfo=UTC)  # Monday 00:15 in Amsterdam
    assert not is_overdue(monday_morning, START, sunday_evening_utc, 7)
    assert is_overdue(monday_morning, START, datetime(2026, 5, 17, 21, 0, tzinfo=UTC), 7)


@pytest.mark.parametrize("status", ["off_track", "at_risk"])
def test_pace_status_off_track_and_at_risk_are_reasons(status):
    assert attention_reasons(replace(QUIET, status=status)) == [status]


@pytest.mark.parametrize("status", ["on_track", "achieved", "not_started"])
def test_other_pace_statuses_are_not(status):
    assert attention_reasons(replace(QUIET, status=status)) == []


@pytest.mark.parametrize(
    ("objective_type", "forecast", "short"),
    [
        ("committed", 99.9, True),  # committed succeeds at 100
        ("committed", 100.0, False),
        ("aspirational", 69.9, True),  # aspirational succeeds at 70
        ("aspirational", 70.0, False),
        ("committed", None, False),  # no forecast (fewer than two values): nothing to judge
    ],
)
def test_the_forecast_falls_short_below_the_bar_of_success(objective_type, forecast, short):
    assert forecast_falls_short(objective_type, forecast) is short
    facts = replace(QUIET, objective_type=objective_type, forecast_score=forecast, latest_confidence="at_risk")
    assert attention_reasons(facts) == (["forecast_below_target"] if short else [])


def test_confidence_disagrees_only_when_on_track_meets_a_short_forecast():
    short = replace(QUIET, forecast_score=50.0)
    assert attention_reasons(short) == ["forecast_below_target", "confidence_disagrees"]
    assert attention_reasons(replace(short, latest_confidence="off_track")) == ["forecast_below_target"]
    assert attention_reasons(replace(short, latest_confidence=None)) == ["forecast_below_target"]
    assert attention_reasons(replace(QUIET, latest_confidence="on_track")) == []  # forecast 100: they agree


@pytest.mark.parametrize(
    ("was_improved", "statuses", "fires"),
    [
        (True, ("red",), True),  # churn fell while prices (a red KPI) fell
        (True, ("green", "amber"), True),
        (True, ("green",), False),
        (True, (None,), False),  # a guardrail without a measurement has no colour
        (False, ("red",), False),  # the key result did not improve: a red KPI is not its doing
    ],
)
def test_guardrail_fires_when_the_key_result_improved_while_a_guardrail_kpi_is_amber_or_red(
    was_improved, statuses, fires
):
    facts = replace(QUIET, improved=was_improved, guardrail_statuses=statuses)
    assert attention_reasons(facts) == (["guardrail"] if fires else [])


def test_reasons_come_in_one_order():
    facts = replace(
        QUIET,
        last_value_at=None,
        status="off_track",
        forecast_score=10.0,
        improved=True,
        guardrail_statuses=("red",),
    )
    assert attention_reasons(facts) == [
        "no_recent_check_in",
        "off_track",
        "forecast_below_target",
        "confidence_disagrees",
        "guardrail",
    ]


def test_improved_compares_the_newest_value_with_the_one_before_or_the_baseline():
    increase = Target("increase", baseline=70, target=80)
    assert improved(increase, [72])  # p = 0.2 > 0 at the baseline
    assert improved(increase, [72, 75])  # 0.5 > 0.2
    assert not improved(increase, [75, 72])
    assert not improved(increase, [])
    decrease = Target("decrease", baseline=10, target=5)
    assert improved(decrease, [9, 8])  # churn 9 -> 8: p 0.2 -> 0.4
    assert not improved(decrease, [8, 9])
    above = Target("above", target=50)
    assert improved(above, [40, 60])  # share met 0/1 -> 1/2
    assert not improved(above, [60, 40])  # 1/1 -> 1/2
    assert not improved(above, [60])  # one value: nothing to compare with
