"""Check-ins: each kind's score (SPEC §3, worked by hand), the objective roll-up, and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from koers.domain.errors import ValidationError
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.check_ins import record_check_in
from koers.services.explain import explain_objective
from koers.services.read.objective import objective_detail
from koers.services.scores import recompute_all, refresh_objectives
from tests import builders as b


@pytest.fixture
def objective(uow):
    """An objective in an active cycle around today."""
    return b.objective(uow, b.cycle(uow).id)


def scores_after(uow, objective, kind, values, **numbers):
    """(key result's progress, score; objective's score) after checking in these values one after another."""
    kr = b.key_result(uow, objective.id, kind, **numbers)
    for hours, value in enumerate(reversed(values)):
        record_check_in(uow, kr.id, value, created_at=b.ago(hours=hours))
    stored = uow.key_results.get(kr.id)
    return stored.progress, stored.score, uow.objectives.get(objective.id).score


@pytest.mark.parametrize(
    ("kind", "numbers", "values", "progress", "score"),
    [
        # increase 70 -> 80: (77.5 - 70) / (80 - 70) = 0.75
        ("increase", {"baseline": 70, "target": 80}, [77.5], 0.75, 75.0),
        # over-achieving shows in progress, the score stops at 100: (82 - 70) / 10 = 1.2
        ("increase", {"baseline": 70, "target": 80}, [82], 1.2, 100.0),
        # falling below the baseline: (65 - 70) / 10 = -0.5, score clamped to 0
        ("increase", {"baseline": 70, "target": 80}, [65], -0.5, 0.0),
        # the latest value counts, not the best: (72 - 70) / 10 = 0.2
        ("increase", {"baseline": 70, "target": 80}, [79, 72], 0.2, 20.0),
        # decrease 10 -> 5: (10 - 8) / (10 - 5) = 0.4
        ("decrease", {"baseline": 10, "target": 5}, [8], 0.4, 40.0),
        # range [3, 4], baseline above it: (9.5 - 6.75) / (9.5 - 4) = 2.75 / 5.5 = 0.5
        ("range", {"baseline": 9.5, "target_low": 3, "target_high": 4}, [6.75], 0.5, 50.0),
        # range [3, 4], baseline below it: (2.5 - 1) / (3 - 1) = 0.75
        ("range", {"baseline": 1, "target_low": 3, "target_high": 4}, [2.5], 0.75, 75.0),
        # range [3, 4], baseline inside it: outside the range is 0, inside (edges included) is 1
        ("range", {"baseline": 3.5, "target_low": 3, "target_high": 4}, [5], 0.0, 0.0),
        ("range", {"baseline": 3.5, "target_low": 3, "target_high": 4}, [4], 1.0, 100.0),
        ("range", {"baseline": 9.5, "target_low": 3, "target_high": 4}, [3], 1.0, 100.0),
        # above 50: 60 and exactly 50 are met, 40 and 30 are not: 2 / 4 = 0.5
        ("above", {"target": 50}, [60, 40, 50, 30], 0.5, 50.0),
        # below 4: 3 and exactly 4 are met, 5 is not: 2 / 3 = 0.666667 -> 66.7
        ("below", {"target": 4}, [3, 5, 4], 0.666667, 66.7),
        # a milestone is 0 until done, then 1
        ("milestone", {}, [0], 0.0, 0.0),
        ("milestone", {}, [0, 1], 1.0, 100.0),
    ],
)
def test_a_check_in_scores_its_key_result_and_objective(uow, objective, kind, numbers, values, progress, score):
    assert scores_after(uow, objective, kind, values, **numbers) == (progress, score, score)


def test_a_key_result_without_check_ins_scores_from_its_baseline(uow, objective):
    kr = b.key_result(uow, objective.id, baseline=70, target=80)
    stored = uow.key_results.get(kr.id)
    assert (stored.current, stored.progress, stored.score) == (None, 0.0, 0.0)
    assert uow.objectives.get(objective.id).score == 0.0


def test_key_results_count_by_their_weight(uow, objective):
    heavy = b.key_result(uow, objective.id, "increase", baseline=70, target=80, weight=3)
    light = b.key_result(uow, objective.id, "decrease", baseline=10, target=5, weight=1)
    b.check_in(uow, heavy.id, 80)  # 100.0
    b.check_in(uow, light.id, 9)  # (10 - 9) / 5 = 0.2 -> 20.0
    # (100 * 3 + 20 * 1) / (3 + 1) = 320 / 4 = 80.0
    assert uow.objectives.get(objective.id).score == 80.0


def test_an_objective_without_key_results_averages_its_aligned_children(uow):
    cycle = b.cycle(uow)
    company = b.objective(uow, cycle.id, "Company", level="strategic")
    division = b.objective(uow, cycle.id, "Division", level="strategic", parent_id=company.id)
    sales = b.objective(uow, cycle.id, "Sales", parent_id=division.id)
    service = b.objective(uow, cycle.id, "Service", parent_id=division.id)
    b.objective(uow, cycle.id, "Not yet measured", parent_id=division.id)  # no score: left out of the mean
    b.check_in(uow, b.key_result(uow, sales.id).id, 77.5)  # 75.0
    assert uow.objectives.get(division.id).score == 75.0
    b.check_in(uow, b.key_result(uow, service.id, "decrease").id, 8)  # (10 - 8) / 5 = 0.4 -> 40.0
    # (75 + 40) / 2 = 57.5, and the company above follows its only child
    assert uow.objectives.get(division.id).score == 57.5
    assert uow.objectives.get(company.id).score == 57.5


def test_an_objective_with_key_results_ignores_its_aligned_children(uow):
    cycle = b.cycle(uow)
    parent = b.objective(uow, cycle.id, "Parent", level="strategic")
    own = b.key_result(uow, parent.id)
    child = b.objective(uow, cycle.id, "Child", parent_id=parent.id)
    b.check_in(uow, b.key_result(uow, child.id).id, 80)  # the child scores 100.0
    b.check_in(uow, own.id, 73)  # (73 - 70) / 10 = 0.3 -> 30.0
    assert uow.objectives.get(parent.id).score == 30.0


def test_the_check_in_keeps_confidence_note_and_author(uow, objective):
    author = b.user(uow)
    kr = b.key_result(uow, objective.id)
    record_check_in(uow, kr.id, 75, confidence="at_risk", note="  late start  ", author_id=author.id)
    stored = uow.key_results.get(kr.id)
    check_in = uow.check_ins.latest(kr.id)
    assert (stored.confidence, check_in.confidence, check_in.note, check_in.author_id) == (
        "at_risk", "at_risk", "late start", author.id,
    )  # fmt: skip


def test_an_unknown_confidence_is_refused(uow, objective):
    kr = b.key_result(uow, objective.id)
    with pytest.raises(ValidationError) as refused:
        record_check_in(uow, kr.id, 75, confidence="fine")
    assert (refused.value.code, refused.value.field) == ("field.not_one_of", "confidence")
    assert uow.check_ins.latest(kr.id) is None


def test_a_backdated_correction_does_not_replace_a_newer_value(uow, objective):
    kr = b.key_result(uow, objective.id)
    record_check_in(uow, kr.id, 77)
    record_check_in(uow, kr.id, 71, created_at=b.ago(days=2))
    stored = uow.key_results.get(kr.id)
    assert (stored.current, stored.score) == (77, 70.0)  # (77 - 70) / 10


def test_an_archived_key_result_takes_no_check_ins(uow, objective):
    kr = b.key_result(uow, objective.id)
    goals.archive_key_result(uow, kr.id)
    with pytest.raises(ValidationError) as refused:
        record_check_in(uow, kr.id, 75)
    assert refused.value.code == "key_result.archived"
    assert uow.check_ins.latest(kr.id) is None


def test_a_closed_cycle_takes_no_check_ins(uow, objective):
    kr = b.key_result(uow, objective.id)
    org.close_cycle(uow, objective.cycle_id)
    with pytest.raises(ValidationError) as refused:
        record_check_in(uow, kr.id, 75)
    assert refused.value.code == "check_in.cycle_closed"
    assert uow.key_results.get(kr.id).score == 0.0


def test_a_check_in_from_the_future_is_refused(uow, objective):
    kr = b.key_result(uow, objective.id)
    with pytest.raises(ValidationError) as refused:
        record_check_in(uow, kr.id, 75, created_at=datetime.now(UTC) + timedelta(hours=1))
    assert (refused.value.code, refused.value.field) == ("moment.in_future", "created_at")
    assert uow.check_ins.latest(kr.id) is None


def test_a_clock_a_minute_ahead_is_tolerated(uow, objective):
    kr = b.key_result(uow, objective.id)
    record_check_in(uow, kr.id, 75, created_at=datetime.now(UTC) + timedelta(minutes=1))
    assert uow.key_results.get(kr.id).score == 50.0


@pytest.mark.parametrize("value", [0.5, 2, -1])
def test_a_milestone_is_either_done_or_not(uow, objective, value):
    kr = b.key_result(uow, objective.id, "milestone")
    with pytest.raises(ValidationError) as refused:
        record_check_in(uow, kr.id, value)
    assert (refused.value.code, refused.value.field) == ("check_in.milestone_value", "value")


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_value_that_is_not_a_number_is_refused(uow, objective, value):
    kr = b.key_result(uow, objective.id)
    with pytest.raises(ValidationError) as refused:
        record_check_in(uow, kr.id, value)
    assert refused.value.code == "number.not_finite"
    assert uow.objectives.get(objective.id).score == 0.0


def test_a_note_longer_than_5000_characters_is_refused(uow, objective):
    kr = b.key_result(uow, objective.id)
    with pytest.raises(ValidationError) as refused:
        record_check_in(uow, kr.id, 75, note="x" * 5001)
    assert (refused.value.code, refused.value.field) == ("note.too_long", "note")


@pytest.mark.parametrize("not_started", [{"status": "planning"}, {"days_before": -10, "days_after": 80}])
def test_aligned_objectives_of_a_cycle_that_has_not_started_are_left_out_of_the_mean(uow, not_started):
    now, later = b.cycle(uow, "Q2"), b.cycle(uow, "Q3", **not_started)
    parent = b.objective(uow, now.id, "Company", level="strategic")
    current = b.objective(uow, now.id, "This quarter", parent_id=parent.id)
    b.check_in(uow, b.key_result(uow, current.id).id, 77.5)  # 75.0
    early = b.objective(uow, later.id, "Next quarter", parent_id=parent.id)
    b.check_in(uow, b.key_result(uow, early.id).id, 80)  # 100.0, but its cycle has not started
    assert uow.objectives.get(parent.id).score == 75.0  # not (75 + 100) / 2 = 87.5


def _year_with_a_next_quarter(uow, **next_quarter):
    """A strategic objective over this quarter (75.0) and next quarter (100.0, its cycle not started)."""
    now, later = b.cycle(uow, "Q2"), b.cycle(uow, "Q3", **next_quarter)
    parent = b.objective(uow, now.id, "Company", level="strategic")
    current = b.objective(uow, now.id, "This quarter", parent_id=parent.id)
    b.check_in(uow, b.key_result(uow, current.id).id, 77.5)  # (77.5 - 70) / 10 = 0.75 -> 75.0
    early = b.objective(uow, later.id, "Next quarter", parent_id=parent.id)
    b.check_in(uow, b.key_result(uow, early.id).id, 80)  # (80 - 70) / 10 = 1 -> 100.0
    return later, parent, early


def test_a_planning_cycle_made_active_counts_at_once(uow):
    later, parent, _early = _year_with_a_next_quarter(uow, status="planning")
    assert uow.objectives.get(parent.id).score == 75.0  # 75 alone
    org.update_cycle(uow, later.id, {"status": "active"})
    assert uow.objectives.get(parent.id).score == 87.5  # (75 + 100) / 2 = 175 / 2
    org.update_cycle(uow, later.id, {"status": "planning"})
    assert uow.objectives.get(parent.id).score == 75.0


def test_moving_a_cycles_start_date_to_today_counts_it(uow):
    later, parent, _early = _year_with_a_next_quarter(uow, days_before=-10, days_after=80)
    assert uow.objectives.get(parent.id).score == 75.0
    org.update_cycle(uow, later.id, {"start_date": b.TODAY})  # starts today: it counts from its first day
    assert uow.objectives.get(parent.id).score == 87.5  # (75 + 100) / 2


def test_once_the_start_date_has_passed_the_next_write_or_a_rebuild_counts_it(uow):
    _later, parent, early = _year_with_a_next_quarter(uow, days_before=-10, days_after=80)
    in_eleven_days = b.TODAY + timedelta(days=11)  # the cycle started yesterday
    assert refresh_objectives(uow, [early.id], in_eleven_days) == {parent.id: (75.0, 87.5)}
    recompute_all(uow, b.TODAY)
    assert uow.objectives.get(parent.id).score == 75.0  # today it has not started: 75 alone
    recompute_all(uow, in_eleven_days)
    assert uow.objectives.get(parent.id).score == 87.5  # (75 + 100) / 2


def test_the_explanation_names_the_aligned_objectives_left_out(uow):
    _later, parent, _early = _year_with_a_next_quarter(uow, status="planning")
    explained = explain_objective(uow, parent.id, b.TODAY)
    assert explained["formula"]["filled"] == "(75) / 1 = 75.0; left out, its cycle has not started: Next quarter"
    assert [a["cycle_started"] for a in explained["aligned"]] == [True, False]
    page = objective_detail(uow, parent.id, b.TODAY)["formula"]
    assert (page.symbols["score"], page.symbols["not_started"]) == (75.0, 1)
