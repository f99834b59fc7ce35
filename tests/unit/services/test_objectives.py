"""Objectives and key results: open cycles only, alignment without loops, scores that follow every edit."""

from __future__ import annotations

import pytest

from koers.domain import model
from koers.domain.errors import Conflict, ValidationError
from koers.services import objectives as goals
from koers.services import organisation as org
from tests import builders as b


def test_a_closed_cycle_takes_no_new_objectives_or_key_results(uow):
    cycle = b.cycle(uow)
    objective = b.objective(uow, cycle.id)
    org.close_cycle(uow, cycle.id)
    with pytest.raises(ValidationError) as refused:
        b.objective(uow, cycle.id, "Too late")
    assert (refused.value.code, refused.value.field) == ("objective.cycle_closed", "cycle_id")
    with pytest.raises(ValidationError) as refused:
        b.key_result(uow, objective.id)
    assert refused.value.code == "key_result.cycle_closed"
    assert [o.title for o in uow.objectives.list(cycle_id=cycle.id)] == ["Klanten behouden"]
    assert uow.key_results.list(objective_id=objective.id) == []


def test_a_strategic_objective_cannot_align_under_a_tactical_one(uow):
    cycle = b.cycle(uow)
    tactical = b.objective(uow, cycle.id, "Team goal", level="tactical")
    with pytest.raises(ValidationError) as refused:
        b.objective(uow, cycle.id, "Company goal", level="strategic", parent_id=tactical.id)
    assert (refused.value.code, refused.value.field) == ("objective.strategic_under_tactical", "parent_id")
    strategic = b.objective(uow, cycle.id, "Company goal", level="strategic")
    with pytest.raises(ValidationError):
        goals.align_objective(uow, strategic.id, tactical.id)
    assert uow.objectives.get(strategic.id).parent_id is None


def test_alignment_never_makes_a_loop(uow):
    cycle = b.cycle(uow)
    top = b.objective(uow, cycle.id, "Top", level="strategic")
    middle = b.objective(uow, cycle.id, "Middle", parent_id=top.id)
    bottom = b.objective(uow, cycle.id, "Bottom", parent_id=middle.id)
    for new_parent in (bottom.id, middle.id, top.id):
        with pytest.raises(ValidationError) as refused:
            goals.align_objective(uow, top.id, new_parent)
        assert (refused.value.code, refused.value.field) == ("objective.alignment_loop", "parent_id")
    assert uow.objectives.get(top.id).parent_id is None


def test_aligning_and_detaching_rescore_the_parent(uow):
    cycle = b.cycle(uow)
    parent = b.objective(uow, cycle.id, "Parent", level="strategic")
    child = b.objective(uow, cycle.id, "Child")
    b.check_in(uow, b.key_result(uow, child.id).id, 76)  # (76 - 70) / (80 - 70) = 0.6 -> 60.0
    assert uow.objectives.get(parent.id).score is None
    goals.align_objective(uow, child.id, parent.id)
    assert uow.objectives.get(parent.id).score == 60.0
    goals.align_objective(uow, child.id, None)
    assert uow.objectives.get(parent.id).score is None


def test_moving_an_objective_rescores_the_parent_it_left_and_the_one_it_joined(uow):
    cycle = b.cycle(uow)
    left, joined = b.objective(uow, cycle.id, "Left", level="strategic"), b.objective(uow, cycle.id, "Joined")
    stays = b.objective(uow, cycle.id, "Stays", parent_id=left.id)
    b.key_result(uow, stays.id)  # 0.0
    moving = b.objective(uow, cycle.id, "Moving", parent_id=left.id)
    b.check_in(uow, b.key_result(uow, moving.id).id, 80)  # 100.0
    assert uow.objectives.get(left.id).score == 50.0  # (0 + 100) / 2
    goals.update_objective(uow, moving.id, {"parent_id": joined.id})
    assert (uow.objectives.get(left.id).score, uow.objectives.get(joined.id).score) == (0.0, 100.0)


def test_an_archived_objective_leaves_its_parents_mean(uow):
    cycle = b.cycle(uow)
    parent = b.objective(uow, cycle.id, "Parent", level="strategic")
    done = b.objective(uow, cycle.id, "Done", parent_id=parent.id)
    idle = b.objective(uow, cycle.id, "Idle", parent_id=parent.id)
    b.check_in(uow, b.key_result(uow, done.id).id, 80)  # 100.0
    b.key_result(uow, idle.id)  # no check-in: 0.0
    assert uow.objectives.get(parent.id).score == 50.0  # (100 + 0) / 2
    goals.archive_objective(uow, idle.id)
    assert uow.objectives.get(parent.id).score == 100.0


def test_a_new_key_result_counts_at_once_in_its_objectives_score(uow):
    objective = b.objective(uow, b.cycle(uow).id)
    b.check_in(uow, b.key_result(uow, objective.id).id, 80)  # 100.0
    assert uow.objectives.get(objective.id).score == 100.0
    b.key_result(uow, objective.id, "milestone")  # not done: 0.0
    assert uow.objectives.get(objective.id).score == 50.0  # (100 + 0) / 2


def test_changing_a_target_rescores_from_the_history(uow):
    objective = b.objective(uow, b.cycle(uow).id)
    kr = b.key_result(uow, objective.id)
    b.check_in(uow, kr.id, 75)  # (75 - 70) / (80 - 70) = 0.5 -> 50.0
    goals.update_key_result(uow, kr.id, {"target": 90})
    stored = uow.key_results.get(kr.id)
    assert (stored.current, stored.score) == (75, 25.0)  # (75 - 70) / (90 - 70) = 0.25
    assert uow.objectives.get(objective.id).score == 25.0


def test_an_archived_key_result_leaves_its_objectives_score(uow):
    objective = b.objective(uow, b.cycle(uow).id)
    b.check_in(uow, b.key_result(uow, objective.id).id, 80)  # 100.0
    idle = b.key_result(uow, objective.id)  # 0.0
    assert uow.objectives.get(objective.id).score == 50.0
    goals.archive_key_result(uow, idle.id)
    assert uow.objectives.get(objective.id).score == 100.0


def test_a_key_result_linked_to_a_kpi_starts_from_its_latest_measurement(uow):
    churn = b.kpi(uow)
    b.measurement(uow, churn.id, 7, at=b.ago(days=1))
    kr = b.key_result(uow, b.objective(uow, b.cycle(uow).id).id, "decrease", kpi_id=churn.id)
    stored = uow.key_results.get(kr.id)
    assert (stored.current, stored.score) == (7, 60.0)  # (10 - 7) / (10 - 5) = 0.6


@pytest.mark.parametrize(
    ("kind", "numbers", "code", "field"),
    [
        ("increase", {"baseline": 80, "target": 80}, "key_result.increase_target", "target"),
        ("decrease", {"baseline": 5, "target": 10}, "key_result.decrease_target", "target"),
        ("range", {"target_low": 5, "target_high": 4}, "key_result.range_inverted", "target_low"),
        ("milestone", {"target": 2}, "key_result.milestone_target", "target"),
        ("increase", {"weight": 0}, "number.not_above", "weight"),
        # one such weight once made the top objective's score infinite
        ("increase", {"weight": 1e308}, "number.too_large", "weight"),
    ],
)
def test_key_results_that_cannot_be_scored_are_refused(uow, kind, numbers, code, field):
    objective = b.objective(uow, b.cycle(uow).id)
    with pytest.raises(ValidationError) as refused:
        b.key_result(uow, objective.id, kind, **numbers)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert uow.key_results.list(objective_id=objective.id) == []


def test_an_initiative_serves_an_objective_or_a_key_result_not_both(uow):
    objective = b.objective(uow, b.cycle(uow).id)
    kr = b.key_result(uow, objective.id)
    with pytest.raises(ValidationError) as refused:
        goals.create_initiative(uow, model.Initiative("Call customers", objective_id=objective.id, key_result_id=kr.id))
    assert refused.value.code == "initiative.parent_ambiguous"
    made = goals.create_initiative(uow, model.Initiative("Call customers", key_result_id=kr.id))
    goals.update_initiative(uow, made.id, {"status": "done"})
    assert uow.initiatives.get(made.id).status == "done"


def test_an_edit_based_on_a_stale_version_is_refused(uow):
    objective = b.objective(uow, b.cycle(uow).id)
    goals.update_objective(uow, objective.id, {"title": "First edit"}, version=1)
    with pytest.raises(Conflict) as refused:
        goals.update_objective(uow, objective.id, {"title": "Lost update"}, version=1)
    assert refused.value.code == "objective.stale"
    assert uow.objectives.get(objective.id).title == "First edit"


@pytest.mark.parametrize("change", ["edit", "archive"])
def test_a_closed_cycles_key_results_keep_the_score_they_were_graded_on(uow, change):
    cycle = b.cycle(uow)
    objective = b.objective(uow, cycle.id)
    kr = b.key_result(uow, objective.id)
    b.check_in(uow, kr.id, 75)  # (75 - 70) / (80 - 70) = 0.5 -> 50.0, graded 0.5
    org.close_cycle(uow, cycle.id)
    with pytest.raises(ValidationError):
        if change == "edit":
            goals.update_key_result(uow, kr.id, {"target": 100})  # would rescore to (75 - 70) / 30 -> 16.7
        else:
            goals.archive_key_result(uow, kr.id)  # would leave the objective without a score
    stored = uow.objectives.get(objective.id)
    assert (stored.score, stored.grade) == (50.0, 0.5)


def test_a_key_result_cannot_become_a_milestone_its_history_does_not_fit(uow):
    kr = b.key_result(uow, b.objective(uow, b.cycle(uow).id).id)
    b.check_in(uow, kr.id, 77)  # (77 - 70) / 10 = 0.7 -> 70.0
    with pytest.raises(ValidationError) as refused:
        goals.update_key_result(uow, kr.id, {"kind": "milestone", "baseline": None, "target": None})
    assert (refused.value.code, refused.value.field) == ("key_result.milestone_history", "kind")
    stored = uow.key_results.get(kr.id)
    assert (stored.kind, stored.score) == ("increase", 70.0)


def test_a_key_result_whose_check_ins_are_0_or_1_can_become_a_milestone(uow):
    kr = b.key_result(uow, b.objective(uow, b.cycle(uow).id).id, baseline=0, target=1)
    b.check_in(uow, kr.id, 1)  # (1 - 0) / (1 - 0) = 1 -> 100.0
    goals.update_key_result(uow, kr.id, {"kind": "milestone", "baseline": None, "target": None})
    stored = uow.key_results.get(kr.id)
    assert (stored.kind, stored.progress, stored.score) == ("milestone", 1.0, 100.0)  # p = v = 1
