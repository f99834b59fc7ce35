"""Pace status, grades, ambition flags and KPI colours (SPEC §3)."""

from __future__ import annotations

from datetime import date

import pytest

from koers.domain.grading import grade, grade_colour, too_easy_objective, too_easy_team
from koers.domain.kpi_status import kpi_status
from koers.domain.pace import elapsed, expected_score, pace_status


def test_elapsed_is_clamped_to_the_cycle():
    start, end = date(2026, 10, 1), date(2026, 12, 31)
    assert elapsed(date(2026, 9, 1), start, end) == 0.0
    assert elapsed(date(2027, 1, 5), start, end) == 1.0
    assert elapsed(date(2026, 11, 15), start, end) == pytest.approx(45 / 91)


def test_aspirational_goals_are_expected_at_seventy_percent():
    assert expected_score(1.0, "aspirational") == pytest.approx(70.0)
    assert expected_score(0.5, "committed") == 50.0


@pytest.mark.parametrize(
    ("score", "has_value", "share", "kind", "expected"),
    [
        (None, False, 0.5, "committed", "not_started"),
        (0.0, False, 0.5, "committed", "not_started"),
        (100.0, True, 0.5, "committed", "achieved"),
        (0.0, True, 0.05, "committed", "on_track"),  # too early to judge
        (45.0, True, 0.5, "committed", "on_track"),  # 45 >= 0.9 * 50
        (44.9, True, 0.5, "committed", "at_risk"),
        (30.0, True, 0.5, "committed", "at_risk"),  # 30 >= 0.6 * 50
        (29.9, True, 0.5, "committed", "off_track"),
        (31.5, True, 0.5, "aspirational", "on_track"),  # expected 35, 0.9 * 35 = 31.5
    ],
)
def test_pace_status_thresholds(score, has_value, share, kind, expected):
    assert pace_status(score, has_value, share, kind) == expected


def test_pace_status_compares_against_the_planned_expected_score():
    # Half the cycle, back-loaded plan: expected 100 × 0.5² = 25 (linear would be 50).
    # 22.5 ≥ 0.9 × 25 = 22.5 → on track (against linear it would be at risk: 22.5 < 0.6 × 50 = 30 → off track).
    assert pace_status(22.5, True, 0.5, "committed", expected=25.0) == "on_track"
    assert pace_status(22.5, True, 0.5, "committed") == "off_track"
    # 15 ≥ 0.6 × 25 = 15 → at risk; 14.9 → off track.
    assert pace_status(15.0, True, 0.5, "committed", expected=25.0) == "at_risk"
    assert pace_status(14.9, True, 0.5, "committed", expected=25.0) == "off_track"


def test_grades_and_their_colours():
    assert grade(50.0) == 0.5
    assert grade(None) is None
    assert [grade_colour(g) for g in (0.39, 0.4, 0.69, 0.7, 1.0)] == ["red", "yellow", "yellow", "green", "green"]


def test_too_easy_flags_follow_the_seed():
    assert too_easy_objective("aspirational", 1.0)
    assert not too_easy_objective("committed", 1.0)
    assert too_easy_team([100, 100, 40])
    assert not too_easy_team([100, 40])
    assert not too_easy_team([])


def test_kpi_status_higher_lower_and_in_range():
    assert kpi_status("higher_is_better", 80, green_at=80, red_at=70) == "green"
    assert kpi_status("higher_is_better", 75, green_at=80, red_at=70) == "amber"
    assert kpi_status("higher_is_better", 69, green_at=80, red_at=70) == "red"
    assert kpi_status("lower_is_better", 5, green_at=5, red_at=9) == "green"
    assert kpi_status("lower_is_better", 7.5, green_at=5, red_at=9) == "amber"
    assert kpi_status("lower_is_better", 9.1, green_at=5, red_at=9) == "red"
    assert kpi_status("in_range", 3.5, green_at=1, red_at=None, target_low=3, target_high=4) == "green"
    assert kpi_status("in_range", 4.8, green_at=1, red_at=None, target_low=3, target_high=4) == "amber"
    assert kpi_status("in_range", 5.5, green_at=1, red_at=None, target_low=3, target_high=4) == "red"
    assert kpi_status("lower_is_better", None, green_at=5, red_at=9) is None
