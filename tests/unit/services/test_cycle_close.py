"""Closing a cycle: each objective's grade is its score / 100, with the seed's too-easy warnings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from koers.domain.errors import PermissionDenied
from koers.services import organisation as org
from tests import builders as b


def test_closing_grades_every_objective_by_its_score(uow):
    cycle = b.cycle(uow)
    strong = b.objective(uow, cycle.id, "Strong")
    b.check_in(uow, b.key_result(uow, strong.id).id, 77.5)  # 75.0 -> grade 0.75, green from 0.7
    middling = b.objective(uow, cycle.id, "Middling")
    b.check_in(uow, b.key_result(uow, middling.id, "decrease").id, 7.5)  # (10 - 7.5) / 5 = 0.5 -> 0.5, yellow
    weak = b.objective(uow, cycle.id, "Weak")
    b.check_in(uow, b.key_result(uow, weak.id).id, 73.9)  # (73.9 - 70) / 10 = 0.39 -> 39.0 -> 0.39, red below 0.4
    empty = b.objective(uow, cycle.id, "Nothing to grade")
    closed_at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    report = org.close_cycle(uow, cycle.id, now=closed_at)
    grades = {g["objective_id"]: (g["grade"], g["colour"], g["too_easy"]) for g in report["grades"]}
    assert grades == {
        strong.id: (0.75, "green", False),
        middling.id: (0.5, "yellow", False),
        weak.id: (0.39, "red", False),
        empty.id: (None, None, False),
    }
    assert [uow.objectives.get(o.id).grade for o in (strong, middling, weak, empty)] == [0.75, 0.5, 0.39, None]
    stored = uow.cycles.get(cycle.id)
    assert (stored.status, stored.closed_at) == ("closed", closed_at)


def test_an_aspirational_objective_graded_one_is_flagged_as_too_easy(uow):
    cycle = b.cycle(uow)
    stretch = b.objective(uow, cycle.id, "Stretch", type="aspirational")
    b.check_in(uow, b.key_result(uow, stretch.id).id, 85)  # (85 - 70) / 10 = 1.5, clamped: 100.0 -> 1.0
    committed = b.objective(uow, cycle.id, "Promise")
    b.check_in(uow, b.key_result(uow, committed.id).id, 80)  # 100.0, but committed goals must reach 100
    report = org.close_cycle(uow, cycle.id)
    flags = {g["objective_id"]: g["too_easy"] for g in report["grades"]}
    assert flags == {stretch.id: True, committed.id: False}


def test_a_team_whose_aspirational_key_results_mostly_reach_100_is_flagged(uow):
    cycle = b.cycle(uow)
    easy, hard = b.team(uow, "Easy"), b.team(uow, "Hard")
    for team, values in ((easy, [80, 80, 75]), (hard, [80, 75, 75, 80])):
        objective = b.objective(uow, cycle.id, f"{team.name} stretch", type="aspirational", team_id=team.id)
        for value in values:
            b.check_in(uow, b.key_result(uow, objective.id).id, value)
    # Easy: 2 of 3 at 100 is more than half; Hard: 2 of 4 is exactly half, not more
    assert org.close_cycle(uow, cycle.id)["too_easy_team_ids"] == [easy.id]


def test_only_admins_close_a_cycle(store):
    with store.uow() as uow:
        member = b.user(uow)
        cycle = b.cycle(uow)
    with store.uow(actor=member) as uow, pytest.raises(PermissionDenied) as refused:
        org.close_cycle(uow, cycle.id)
    assert refused.value.code == "admin_only.close_cycles"
    with store.uow() as uow:
        assert uow.cycles.get(cycle.id).status == "active"
