"""Permission rules written once: the pure predicates, and the checks that answer NotFound for what is hidden."""

from __future__ import annotations

import pytest

from koers.domain import model
from koers.domain.errors import NotFound, PermissionDenied
from koers.domain.permissions import (
    can_check_in,
    can_edit_initiative,
    can_see_objective,
    is_mine,
    objective_visibility,
)
from koers.services.permissions import require, visible_key_result, visible_objective
from tests import builders as b

MEMBER = model.User(email="m@example.org", role="member", id=7, team_ids=[1])
ADMIN = model.User(email="a@example.org", role="admin", id=8)


def _objective(**fields) -> model.Objective:
    return model.Objective(title="Klanten behouden", cycle_id=1, **fields)


def test_a_key_result_is_mine_when_i_own_it_or_am_in_its_objectives_team():
    kr = model.KeyResult(objective_id=1, title="NPS", kind="increase", owner_id=None)
    assert is_mine(MEMBER, kr, _objective(team_id=1))
    assert not is_mine(MEMBER, kr, _objective(team_id=2))
    kr.owner_id = MEMBER.id
    assert is_mine(MEMBER, kr, _objective(team_id=2))
    assert not is_mine(ADMIN, kr, _objective(team_id=2))  # admins may check in, but it is not their week
    assert can_check_in(ADMIN, kr, _objective(team_id=2))


def test_initiatives_are_edited_by_their_owner_and_whoever_edits_the_objective():
    initiative = model.Initiative(title="Exit-interviews", owner_id=None)
    assert not can_edit_initiative(MEMBER, initiative, _objective(team_id=2))
    assert can_edit_initiative(MEMBER, initiative, _objective(team_id=1))
    initiative.owner_id = MEMBER.id
    assert can_edit_initiative(MEMBER, initiative, _objective(team_id=2))
    assert can_edit_initiative(None, model.Initiative(title="Systeem"), _objective())


def test_visibility_is_everything_for_admins_and_the_system_and_public_team_or_own_for_members():
    assert objective_visibility(None).everything and objective_visibility(ADMIN).everything
    seen = objective_visibility(MEMBER)
    assert (seen.everything, seen.team_ids, seen.owner_id) == (False, frozenset({1}), 7)
    assert not can_see_objective(MEMBER, _objective(team_id=2, visibility="team"))
    assert can_see_objective(MEMBER, _objective(team_id=2, visibility="team", owner_id=7))
    assert can_see_objective(MEMBER, _objective(team_id=2, visibility="public"))


def test_hidden_objectives_and_their_key_results_do_not_exist_for_outsiders(store):
    with store.uow() as uow:
        cycle = b.cycle(uow)
        inside, outside = b.team(uow), b.team(uow)
        outsider = b.user(uow, teams=[outside])
        hidden = b.objective(uow, cycle.id, team_id=inside.id, visibility="team")
        kr = b.key_result(uow, hidden.id)
    with store.uow(read_only=True, actor=outsider) as uow:
        with pytest.raises(NotFound):
            visible_objective(uow, hidden.id)
        with pytest.raises(NotFound):
            visible_key_result(uow, kr.id)
    with store.uow(read_only=True) as uow:
        assert visible_key_result(uow, kr.id)[1].id == hidden.id


def test_require_refuses_with_the_code_and_its_parameters():
    require(True, "check_in.forbidden", id=3)
    with pytest.raises(PermissionDenied) as refused:
        require(False, "check_in.forbidden", id=3)
    assert refused.value.code == "check_in.forbidden" and refused.value.params == {"id": 3}
