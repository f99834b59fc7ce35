"""Confidence calibration (issue 10): Brier scores of check-in confidences, worked out by hand."""

from __future__ import annotations

import pytest

from koers.domain.calibration import Calibration, calibration, calibration_by, outcome, probability


def test_a_confidence_is_a_probability():
    assert (probability("on_track"), probability("at_risk"), probability("off_track")) == (0.9, 0.5, 0.1)


@pytest.mark.parametrize(
    ("objective_type", "final_score", "succeeded"),
    [
        ("committed", 100.0, 1),
        ("committed", 99.9, 0),  # committed must reach 100
        ("aspirational", 70.0, 1),  # ~70 is success for a stretch goal
        ("aspirational", 69.9, 0),
        ("aspirational", 100.0, 1),
        ("committed", None, 0),  # no score, no success
    ],
)
def test_the_outcome_depends_on_the_objective_type(objective_type, final_score, succeeded):
    assert outcome(objective_type, final_score) == succeeded


ROWS = [
    # (owner, confidence, objective type, final score of the key result)
    (7, "on_track", "committed", 100.0),  # outcome 1: (0.9 − 1)² = 0.01
    (7, "at_risk", "committed", 100.0),  # outcome 1: (0.5 − 1)² = 0.25
    (8, "off_track", "aspirational", 65.0),  # 65 < 70, outcome 0: (0.1 − 0)² = 0.01
    (8, "on_track", "aspirational", 65.0),  # outcome 0: (0.9 − 0)² = 0.81
    (8, None, "aspirational", 65.0),  # no confidence given: left out
    (9, None, "committed", 40.0),  # an owner who never gave one: left out
]


def test_brier_is_the_mean_squared_gap_between_confidence_and_outcome():
    # (0.01 + 0.25 + 0.01 + 0.81) / 4 = 1.08 / 4 = 0.27
    result = calibration((c, t, s) for _, c, t, s in ROWS)
    assert result.check_ins == 4
    assert result.brier == pytest.approx(0.27)


def test_calibration_by_owner():
    result = calibration_by(ROWS)
    assert list(result) == [7, 8]
    # owner 7: (0.01 + 0.25) / 2 = 0.13; owner 8: (0.01 + 0.81) / 2 = 0.41
    assert result[7].check_ins == 2 and result[7].brier == pytest.approx(0.13)
    assert result[8].check_ins == 2 and result[8].brier == pytest.approx(0.41)


def test_perfect_hedging_and_confident_mistakes():
    # always "at risk": (0.5 − 1)² = (0.5 − 0)² = 0.25 whatever happens
    assert calibration([("at_risk", "committed", 100.0), ("at_risk", "committed", 10.0)]).brier == pytest.approx(0.25)
    # habitual optimism: on track every time, the committed key result ends at 80 → (0.9 − 0)² = 0.81
    assert calibration([("on_track", "committed", 80.0)] * 3).brier == pytest.approx(0.81)


def test_without_confidences_there_is_no_score():
    assert calibration([]) == Calibration(None, 0)
    assert calibration([(None, "committed", 100.0)]) == Calibration(None, 0)
    assert calibration_by([]) == {}
