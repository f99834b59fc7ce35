"""What `record_check_in` answers: the check-in, its key result as stored now, and the objectives whose score moved."""

from __future__ import annotations

from koers.services.check_ins import ObjectiveScore, record_check_in
from koers.services.scores import recompute_all
from tests import builders as b


def test_the_result_carries_the_new_scores_up_the_alignment_tree(uow):
    cycle = b.cycle(uow)
    year = b.objective(uow, cycle.id, "Year", level="strategic")
    quarter = b.objective(uow, cycle.id, "Quarter", parent_id=year.id)
    kr = b.key_result(uow, quarter.id)  # increase 70 -> 80
    result = record_check_in(uow, kr.id, 75, confidence="on_track")  # (75 - 70) / 10 = 0.5 -> 50.0
    assert result.check_in.id is not None and result.check_in.value == 75
    assert (result.key_result.current, result.key_result.progress, result.key_result.score) == (75, 0.5, 50.0)
    assert result.key_result.confidence == "on_track"
    assert result.objective.id == quarter.id and result.objective.score == 50.0
    assert result.objectives == [
        ObjectiveScore(quarter.id, "Quarter", 0.0, 50.0),
        ObjectiveScore(year.id, "Year", 0.0, 50.0),
    ]
    assert result.status(b.TODAY) in ("on_track", "at_risk", "off_track")


def test_objectives_whose_score_stays_are_not_in_the_result(uow):
    cycle = b.cycle(uow)
    parent = b.objective(uow, cycle.id, "Parent", level="strategic")
    b.key_result(uow, parent.id)  # the parent has key results of its own: aligned objectives do not count
    child = b.objective(uow, cycle.id, "Child", parent_id=parent.id)
    kr = b.key_result(uow, child.id)
    first = record_check_in(uow, kr.id, 80)
    assert [o.id for o in first.objectives] == [child.id]
    again = record_check_in(uow, kr.id, 85)  # still 100.0: nothing moved
    assert again.objectives == [] and again.key_result.score == 100.0


def test_refreshed_scores_equal_a_rebuild_from_history(uow):
    cycle = b.cycle(uow)
    top = b.objective(uow, cycle.id, "Top", level="strategic")
    middle = b.objective(uow, cycle.id, "Middle", parent_id=top.id)
    krs = [b.key_result(uow, middle.id, weight=w) for w in (1, 2)]
    krs.append(b.key_result(uow, b.objective(uow, cycle.id, "Leaf", parent_id=middle.id).id, "below", target=4))
    for value, kr in zip((74, 79, 3), krs, strict=True):
        record_check_in(uow, kr.id, value)
    stored = {o.id: o.score for o in uow.objectives.list()}
    recompute_all(uow)
    assert {o.id: o.score for o in uow.objectives.list()} == stored
