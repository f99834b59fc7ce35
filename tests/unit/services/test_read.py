"""Read models people act on: 'my week' and the objective page."""

from __future__ import annotations

import pytest

from koers.domain.errors import NotFound
from koers.services import organisation as org
from koers.services.read.objective import objective_detail
from koers.services.read.week import my_week
from tests import builders as b


def test_my_week_lists_my_key_results_due_first_and_flags_those_behind(store):
    with store.uow() as uow:
        sales, support = b.team(uow, "Sales"), b.team(uow, "Support")
        seller = b.user(uow, teams=[sales])
        cycle = b.cycle(uow)  # 30 of its 90 days have passed: a committed goal should be at 100 / 3 = 33.3
        ours = b.objective(uow, cycle.id, "Ours", team_id=sales.id)
        behind = b.key_result(uow, ours.id, title="Behind")
        b.check_in(uow, behind.id, 71, created_at=b.ago(days=10))  # 10.0 < 0.6 * 33.3 = 20: off track, and due
        done = b.key_result(uow, ours.id, title="Done")
        b.check_in(uow, done.id, 80)  # checked in today: not due
        theirs = b.objective(uow, cycle.id, "Theirs", team_id=support.id)
        b.key_result(uow, theirs.id, title="Not mine")
        b.key_result(uow, theirs.id, title="Owned by me", owner_id=seller.id)  # no value yet: due
        old = b.cycle(uow, "Old", days_before=200, days_after=-110)
        b.key_result(uow, b.objective(uow, old.id, "Closed", team_id=sales.id).id, title="In a closed cycle")
        org.close_cycle(uow, old.id)
    with store.uow(read_only=True) as uow:
        week = my_week(uow, uow.users.get(seller.id), b.TODAY)
    assert sorted(kr["title"] for kr in week["due"]) == ["Behind", "Owned by me"]
    assert [kr["title"] for kr in week["fresh"]] == ["Done"]
    assert [(kr["title"], kr["status"]) for kr in week["attention"]] == [("Behind", "off_track")]


def test_the_objective_page_shows_its_key_results_to_those_who_may_see_it(store):
    with store.uow() as uow:
        sales, support = b.team(uow, "Sales"), b.team(uow, "Support")
        seller, helper = b.user(uow, teams=[sales]), b.user(uow, teams=[support])
        goal = b.objective(uow, b.cycle(uow).id, "Sales only", team_id=sales.id, visibility="team")
        kr = b.key_result(uow, goal.id)
        b.check_in(uow, kr.id, 77.5)  # (77.5 - 70) / 10 -> 75.0
    with store.uow(actor=seller, read_only=True) as uow:
        page = objective_detail(uow, goal.id, b.TODAY)
    assert [(k["id"], k["score"], k["can_edit"]) for k in page["key_results"]] == [(kr.id, 75.0, True)]
    with store.uow(actor=helper, read_only=True) as uow, pytest.raises(NotFound):
        objective_detail(uow, goal.id, b.TODAY)
