"""What-if through storage, the retrospective note after close, and carry-over into the next cycle (issue 10).

The tree of the what-if tests, in an active cycle, worked out by hand:
    1 strategic (no key results)
    ├── 2 tactical: kr a (increase 0 → 100, check-in 40: score 40, weight 1), kr b (0 → 100, check-in 80, weight 3)
    └── 3 tactical (no key results), visible to team X only
        └── 4 team objective: kr c (decrease 10 → 5, check-in 7.5: (10 − 7.5)/(10 − 5) = 0.5 → 50)
Stored: 2 = (40·1 + 80·3)/4 = 280/4 = 70; 4 = 50; 3 = 50 (its one child); 1 = (70 + 50)/2 = 60.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from koers.domain import model
from koers.domain.errors import NotFound, PermissionDenied, ValidationError
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.carry_over import carry_over
from koers.services.whatif import Change, what_if_values
from tests import builders as b


@dataclass
class Tree:
    top: int
    left: int
    middle: int
    bottom: int
    a: int
    b: int
    c: int
    member: model.User  # in team X: sees everything
    outsider: model.User  # in no team: does not see 3


def _tree(uow) -> Tree:
    cycle = b.cycle(uow)
    team_x = b.team(uow, "X")
    member = b.user(uow, teams=[team_x])
    outsider = b.user(uow)
    top = b.objective(uow, cycle.id, "Top", level="strategic")
    left = b.objective(uow, cycle.id, "Left", parent_id=top.id)
    middle = b.objective(uow, cycle.id, "Middle", parent_id=top.id, team_id=team_x.id, visibility="team")
    bottom = b.objective(uow, cycle.id, "Bottom", parent_id=middle.id, team_id=team_x.id)
    a = b.key_result(uow, left.id, baseline=0, target=100)
    kr_b = b.key_result(uow, left.id, baseline=0, target=100, weight=3)
    c = b.key_result(uow, bottom.id, "decrease", baseline=10, target=5)
    for kr, value in ((a, 40), (kr_b, 80), (c, 7.5)):
        b.check_in(uow, kr.id, value)
    return Tree(top.id, left.id, middle.id, bottom.id, a.id, kr_b.id, c.id, member, outsider)


def _stored(uow) -> tuple[dict[int, float | None], dict[int, float], int]:
    objectives = {o.id: o.score for o in uow.objectives.list(include_archived=True)}
    key_results = {kr.id: kr.score for kr in uow.key_results.list(include_archived=True)}
    check_ins = uow.connection.exec_driver_sql("SELECT count(*) FROM check_ins").scalar()
    return objectives, key_results, check_ins


def test_the_tree_is_stored_as_the_docstring_says(uow):
    t = _tree(uow)
    scores = {o.id: o.score for o in uow.objectives.list()}
    assert [scores[i] for i in (t.left, t.bottom, t.middle, t.top)] == [70.0, 50.0, 50.0, 60.0]


def test_what_if_scores_up_three_levels_and_stores_nothing(store):
    with store.uow() as uow:
        t = _tree(uow)
        before = _stored(uow)
    with store.uow(actor=t.member) as uow:
        answer = what_if_values(uow, {t.a: 60.0, t.c: 6.0})
    # a: 60/100 → 60; c: (10 − 6)/(10 − 5) = 4/5 = 0.8 → 80
    # 2 = (60·1 + 80·3)/4 = 300/4 = 75; 4 = 80; 3 = 80; 1 = (75 + 80)/2 = 77.5 (deepest first, then by id)
    assert answer.key_results == [
        Change(t.a, "increase key result", 40.0, 60.0),
        Change(t.c, "decrease key result", 50.0, 80.0),
    ]
    assert [(c.id, c.score_before, c.score) for c in answer.objectives] == [
        (t.bottom, 50.0, 80.0),
        (t.left, 70.0, 75.0),
        (t.middle, 50.0, 80.0),
        (t.top, 60.0, 77.5),
    ]
    with store.uow() as uow:
        assert _stored(uow) == before


def test_objectives_the_caller_may_not_see_are_left_out_but_still_count(store):
    with store.uow() as uow:
        t = _tree(uow)
    with store.uow(actor=t.outsider) as uow:
        answer = what_if_values(uow, {t.c: 6.0})
    # 3 (team X only) is not named, yet its 80 still moves 1: (70 + 80)/2 = 75
    assert [(c.id, c.score) for c in answer.objectives] == [(t.bottom, 80.0), (t.top, 75.0)]


def test_a_key_result_the_caller_may_not_see_is_not_found(store):
    with store.uow() as uow:
        t = _tree(uow)
        hidden = b.objective(uow, uow.objectives.get(t.top).cycle_id, "Hidden", visibility="team", team_id=None,
                             owner_id=t.member.id)  # fmt: skip
        secret = b.key_result(uow, hidden.id)
    with store.uow(actor=t.outsider) as uow:
        with pytest.raises(NotFound) as missing:
            what_if_values(uow, {secret.id: 75.0})
        with pytest.raises(NotFound) as absent:
            what_if_values(uow, {999_999: 75.0})
    # the same answer as for a key result that does not exist: its existence does not leak
    assert (missing.value.code, absent.value.code) == ("key_result.not_found", "key_result.not_found")


def test_values_are_checked_like_check_ins_and_name_the_key_result(store):
    with store.uow() as uow:
        t = _tree(uow)
    with store.uow(actor=t.member) as uow:
        with pytest.raises(ValidationError) as huge:
            what_if_values(uow, {t.a: 1e16})
        with pytest.raises(ValidationError) as empty:
            what_if_values(uow, {})
    assert (huge.value.code, huge.value.field) == ("number.too_large", f"values.{t.a}")
    assert (empty.value.code, empty.value.field) == ("what_if.no_values", "values")


# --- the retrospective after close ---


def test_the_retrospective_stays_editable_after_close_and_nothing_else(store):
    with store.uow() as uow:
        cycle = b.cycle(uow)
        objective = b.objective(uow, cycle.id, "Done and dusted")
        org.close_cycle(uow, cycle.id)
    with store.uow() as uow:
        written = goals.update_objective(uow, objective.id, {"retrospective": "We started too late."})
        assert written.retrospective == "We started too late."
        with pytest.raises(ValidationError) as refused:
            goals.update_objective(uow, objective.id, {"retrospective": "Again", "title": "Renamed"})
        assert refused.value.code == "cycle.closed_read_only"
        with pytest.raises(ValidationError):
            goals.update_objective(uow, objective.id, {"title": "Renamed"})
    with store.uow() as uow:
        stored = uow.objectives.get(objective.id)
        assert (stored.title, stored.retrospective) == ("Done and dusted", "We started too late.")
        trail = uow.connection.exec_driver_sql(
            "SELECT action, after FROM audit_log WHERE entity = 'objective' AND entity_id = ? ORDER BY id",
            (objective.id,),
        ).all()
    assert trail[-1][0] == "update" and "We started too late." in trail[-1][1]


def test_the_retrospective_is_refused_to_people_who_may_not_edit_the_objective(store):
    with store.uow() as uow:
        cycle = b.cycle(uow)
        team = b.team(uow)
        objective = b.objective(uow, cycle.id, team_id=team.id)
        org.close_cycle(uow, cycle.id)
        stranger = b.user(uow)
    with store.uow(actor=stranger) as uow, pytest.raises(PermissionDenied):
        goals.update_objective(uow, objective.id, {"retrospective": "Not mine to say"})


# --- carry-over ---


def test_carry_over_copies_the_objective_with_baselines_at_the_last_values(store):
    with store.uow() as uow:
        closed = b.cycle(uow, "Q1", days_before=120, days_after=-30)
        next_cycle = b.cycle(uow, "Q2")
        team = b.team(uow)
        lead = b.user(uow, teams=[team])
        churn = b.kpi(uow)
        original = b.objective(uow, closed.id, "Keep customers", type="aspirational", team_id=team.id)
        fewer = b.key_result(uow, original.id, "decrease", baseline=10, target=5, unit="%", weight=2, kpi_id=churn.id)
        b.check_in(uow, fewer.id, 7.5)  # (10 − 7.5)/5 = 0.5 → 50
        b.key_result(uow, original.id, baseline=70, target=80)  # no value yet: its baseline counts
        done = b.key_result(uow, original.id, baseline=0, target=10)
        b.check_in(uow, done.id, 10)  # reached: nothing left to carry over
        org.close_cycle(uow, closed.id)
    with store.uow(actor=lead) as uow:
        copy = carry_over(uow, original.id, next_cycle.id)
    with store.uow() as uow:
        stored = uow.objectives.get(copy.id)
        krs = uow.key_results.list(objective_id=copy.id)
    assert (stored.cycle_id, stored.carried_from_id, stored.title, stored.type, stored.team_id) == (
        next_cycle.id, original.id, "Keep customers", "aspirational", team.id,
    )  # fmt: skip
    carried = [(kr.kind, kr.baseline, kr.target, kr.unit, kr.weight, kr.kpi_id) for kr in krs]
    # the decrease 10 → 5 stood at 7.5: the copy runs 7.5 → 5; the increase had no value: 70 → 80
    assert carried == [("decrease", 7.5, 5.0, "%", 2.0, churn.id), ("increase", 70.0, 80.0, "", 1.0, None)]


def test_carry_over_into_a_closed_cycle_or_for_another_team_is_refused(store):
    with store.uow() as uow:
        first = b.cycle(uow, "Q1", days_before=120, days_after=-30)
        second = b.cycle(uow, "Q2")
        team = b.team(uow)
        original = b.objective(uow, first.id, "Keep customers", team_id=team.id)
        org.close_cycle(uow, first.id)
        outsider = b.user(uow)
    with store.uow() as uow, pytest.raises(ValidationError) as closed:
        carry_over(uow, original.id, first.id)
    assert (closed.value.code, closed.value.field) == ("objective.cycle_closed", "cycle_id")
    with store.uow(actor=outsider) as uow, pytest.raises(PermissionDenied):
        carry_over(uow, original.id, second.id)


def test_the_copy_keeps_its_parent_only_when_the_parent_is_in_the_target_cycle(store):
    with store.uow() as uow:
        year = b.cycle(uow, "Year", days_before=100, days_after=200)
        first = b.cycle(uow, "Q1", days_before=120, days_after=-30)
        second = b.cycle(uow, "Q2")
        strategic = b.objective(uow, year.id, "Strategy", level="strategic")
        under_year = b.objective(uow, first.id, "Under the year", parent_id=strategic.id)
        local = b.objective(uow, first.id, "Local parent", level="strategic")
        under_local = b.objective(uow, first.id, "Under Q1", parent_id=local.id)
        org.close_cycle(uow, first.id)
        kept = carry_over(uow, under_year.id, second.id)
        dropped = carry_over(uow, under_local.id, second.id)
    assert (kept.parent_id, dropped.parent_id) == (None, None)  # Q2 holds neither parent
    with store.uow() as uow:
        into_year = carry_over(uow, under_year.id, year.id)
    assert into_year.parent_id == strategic.id


def test_a_closed_cycles_objectives_keep_their_score_unless_the_value_is_in_that_cycle(store):
    with store.uow() as uow:
        year = b.cycle(uow, "Year", days_before=100, days_after=200)
        quarter = b.cycle(uow, "Q", days_before=10, days_after=80)
        top = b.objective(uow, year.id, "Closed top", level="strategic")  # no key results: the mean of below
        below = b.objective(uow, quarter.id, "Open below", parent_id=top.id)
        open_kr = b.key_result(uow, below.id, baseline=0, target=100)  # no value: 0, so top = 0
        graded = b.objective(uow, year.id, "Closed with key results")
        own = b.key_result(uow, graded.id, baseline=0, target=100)
        b.check_in(uow, own.id, 30)  # 30
        org.close_cycle(uow, year.id)
    with store.uow() as uow:
        # a value in the open quarter moves below (0 → 50) but never the closed year's top, as no check-in would
        moved = what_if_values(uow, {open_kr.id: 50.0}).objectives
        assert [(c.id, c.score_before, c.score) for c in moved] == [(below.id, 0.0, 50.0)]
        # a value in the closed year itself asks how that cycle would have ended: 30 → 90
        answer = what_if_values(uow, {own.id: 90.0})
    assert [(c.id, c.score_before, c.score) for c in answer.objectives] == [(graded.id, 30.0, 90.0)]
