"""Visibility is one rule: the SQL filter storage builds agrees with the Python predicate, for every user."""

from __future__ import annotations

import random

import pytest

from koers.domain import model
from koers.domain.permissions import can_see_objective, objective_visibility
from koers.services.listing import page
from tests import builders as b


def _organisation(uow, seed: int) -> tuple[list[model.User], list[model.Objective], list[model.KeyResult]]:
    """Random teams, people (some admins, some in no team) and objectives of both visibilities."""
    rng = random.Random(seed)
    cycle = b.cycle(uow)
    teams = [b.team(uow) for _ in range(5)]
    users = [
        b.user(uow, role="admin" if rng.random() < 0.15 else "member", teams=rng.sample(teams, rng.randint(0, 3)))
        for _ in range(12)
    ]
    objectives, key_results = [], []
    for _ in range(40):
        team = rng.choice([None, *teams])
        owner = rng.choice([None, *users])
        objective = b.objective(
            uow,
            cycle.id,
            team_id=None if team is None else team.id,
            owner_id=None if owner is None else owner.id,
            visibility=rng.choice(["public", "team", "team"]),
        )
        objectives.append(objective)
        key_results.append(b.key_result(uow, objective.id))
    return users, objectives, key_results


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_visibility_filter_and_python_predicate_agree_for_every_user(koers_app, seed):
    with koers_app.uow() as uow:
        users, objectives, key_results = _organisation(uow, seed)
    hidden_somewhere = False
    for user in users:
        expected = {o.id for o in objectives if can_see_objective(user, o)}
        hidden_somewhere |= len(expected) < len(objectives)
        with koers_app.uow(read_only=True, actor=user) as uow:
            assert uow.reads.visible_objective_ids(objective_visibility(user)) == expected, user.email
            listed = page(uow, uow.objectives, {}, limit=500).items
            assert {o.id for o in listed} == expected, user.email
            krs = page(uow, uow.key_results, {}, limit=500).items
            assert {kr.id for kr in krs} == {kr.id for kr in key_results if kr.objective_id in expected}
    assert hidden_somewhere, "the generated organisation must hide something from someone"
