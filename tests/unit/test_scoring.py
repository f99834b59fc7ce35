"""Scoring exactly as SPEC §3, including the seed's example and properties that must hold for any input."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from koers.domain.scoring import (
    Reading,
    Target,
    key_result_score,
    newest,
    objective_score,
    progress,
    score_from_progress,
)

numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def test_seed_example_scores_fifty_for_every_key_result():
    assert key_result_score(Target("decrease", 10, 5), 7.5) == 50.0
    assert key_result_score(Target("increase", 70, 80), 75) == 50.0
    assert key_result_score(Target("range", 9.5, None, 3, 4), 6.75) == 50.0
    assert objective_score([(50.0, 1), (50.0, 1), (50.0, 1)]) == 50.0


def test_no_value_scores_from_the_baseline():
    assert key_result_score(Target("increase", 70, 80), None) == 0.0
    assert key_result_score(Target("milestone", 0, 1), None) == 0.0


def test_progress_is_unclamped_and_score_is_clamped():
    goal = Target("increase", 0, 100)
    assert progress(goal, 120) == pytest.approx(1.2)
    assert key_result_score(goal, 120) == 100.0
    assert key_result_score(goal, -10) == 0.0


def test_range_rules_for_baseline_above_below_and_inside():
    assert progress(Target("range", 9.5, None, 3, 4), 3.5) == 1.0
    assert progress(Target("range", 1, None, 3, 4), 2) == pytest.approx(0.5)
    assert progress(Target("range", 3.5, None, 3, 4), 5) == 0.0


def test_maintain_kinds_score_the_share_of_values_on_the_right_side():
    assert progress(Target("above", None, 50), None, [50, 60, 40, 45]) == 0.5  # exactly on target counts as met
    assert progress(Target("below", None, 4), None, [3, 4, 5]) == pytest.approx(2 / 3)
    assert progress(Target("below", None, 4), None, []) == 0.0


def test_milestone_is_zero_or_one():
    assert key_result_score(Target("milestone", 0, 1), 1) == 100.0
    assert key_result_score(Target("milestone", 0, 1), 0) == 0.0


def test_score_rounds_to_one_decimal():
    assert score_from_progress(1 / 3) == 33.3
    assert score_from_progress(0.6666) == 66.7


def test_objective_is_weighted_and_falls_back_to_aligned_objectives():
    assert objective_score([(100, 3), (0, 1)]) == 75.0
    assert objective_score([], [40.0, None, 60.0]) == 50.0
    assert objective_score([], [None]) is None
    assert objective_score([]) is None


def test_newest_reading_wins_and_a_tie_goes_to_the_check_in():
    check_in = Reading(7.5, 10, "check_in")
    assert newest(check_in, Reading(6.0, 11, "kpi")).source == "kpi"
    assert newest(check_in, Reading(6.0, 10, "kpi")).source == "check_in"
    assert newest(None, None) is None


@given(b=numbers, t=numbers, v=numbers)
def test_scores_stay_within_0_and_100(b, t, v):
    assume(abs(t - b) > 1e-6)
    kind = "increase" if t > b else "decrease"
    assert 0.0 <= key_result_score(Target(kind, b, t), v) <= 100.0


@given(b=numbers, t=numbers, v1=numbers, v2=numbers)
def test_increase_score_moves_up_as_the_value_moves_up(b, t, v1, v2):
    assume(t - b > 1e-6)
    low, high = sorted((v1, v2))
    goal = Target("increase", b, t)
    assert key_result_score(goal, low) <= key_result_score(goal, high)


@given(b=numbers, t=numbers, v1=numbers, v2=numbers)
def test_decrease_score_moves_up_as_the_value_moves_down(b, t, v1, v2):
    assume(b - t > 1e-6)
    low, high = sorted((v1, v2))
    goal = Target("decrease", b, t)
    assert key_result_score(goal, high) <= key_result_score(goal, low)


@given(b=numbers, t=numbers, v=numbers)
def test_decrease_mirrors_increase(b, t, v):
    assume(t - b > 1e-3)
    assert progress(Target("decrease", -b, -t), -v) == pytest.approx(progress(Target("increase", b, t), v))


@given(b=numbers, lo=numbers, width=st.floats(min_value=0, max_value=1e5), share=st.floats(min_value=0, max_value=1))
def test_range_scores_100_inside_the_band(b, lo, width, share):
    hi = lo + width
    v = lo + share * width
    assume(lo <= v <= hi)
    assert key_result_score(Target("range", b, None, lo, hi), v) == 100.0


@given(
    st.lists(
        st.tuples(st.floats(min_value=0, max_value=100), st.floats(min_value=0.01, max_value=100)),
        min_size=1,
        max_size=8,
    )
)
def test_objective_score_lies_between_its_lowest_and_highest_key_result(pairs):
    rounded = [(score_from_progress(s / 100), w) for s, w in pairs]
    score = objective_score(rounded)
    assert score is not None
    assert min(s for s, _ in rounded) - 0.05 <= score <= max(s for s, _ in rounded) + 0.05


# --- history (issue 9, item 2): a score is always finite and within 0–100 ---


@pytest.mark.parametrize("p", [math.nan, math.inf, -math.inf, 1e308, -1e308])
def test_a_score_from_any_progress_is_finite_and_within_0_to_100(p):
    score = score_from_progress(p)
    assert math.isfinite(score) and 0.0 <= score <= 100.0


@pytest.mark.parametrize(
    "key_results, aligned",
    [
        ([(50.0, 1e308), (100.0, 1e308)], []),  # the weights' sum overflows
        ([(50.0, math.inf)], []),
        ([(math.inf, 1.0)], []),
        ([(math.nan, 1.0), (50.0, 1.0)], []),
        ([], [math.inf, 50.0]),
        ([], [math.nan, 50.0]),
    ],
)
def test_an_objective_score_is_finite_and_within_0_to_100_whatever_it_is_given(key_results, aligned):
    score = objective_score(key_results, aligned)
    assert score is not None and math.isfinite(score) and 0.0 <= score <= 100.0


def test_the_numbers_that_stored_nan_score_zero_not_nan():
    # baseline −1e308, target 1e308, value 1e308: (1e308 + 1e308) / (1e308 + 1e308) is ∞/∞ = NaN
    assert key_result_score(Target("increase", -1e308, 1e308, None, None), 1e308) == 0.0


def test_weights_that_overflow_give_the_same_mean_as_small_ones():
    assert objective_score([(50.0, 1e308), (100.0, 1e308)]) == objective_score([(50.0, 1.0), (100.0, 1.0)]) == 75.0
