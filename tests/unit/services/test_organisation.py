"""Cycles, teams and users: duplicates refused, the team tree kept a tree, always one admin left."""

from __future__ import annotations

from datetime import timedelta

import pytest

from koers.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from koers.services import organisation as org
from tests import builders as b


def test_a_cycle_name_is_taken_once(uow):
    b.cycle(uow, "2026-Q3")
    with pytest.raises(Conflict) as refused:
        b.cycle(uow, "2026-Q3")
    assert (refused.value.code, refused.value.field) == ("cycle.name_taken", "name")
    assert [c.name for c in uow.cycles.list()] == ["2026-Q3"]


def test_a_cycle_cannot_end_before_it_starts(uow):
    with pytest.raises(ValidationError) as refused:
        org.create_cycle(uow, "2026-Q3", b.TODAY, b.TODAY - timedelta(days=1))
    assert refused.value.code == "cycle.end_before_start"
    assert uow.cycles.list() == []


def test_a_new_cycle_cannot_start_closed(uow):
    with pytest.raises(ValidationError) as refused:
        b.cycle(uow, status="closed")
    assert (refused.value.code, refused.value.field) == ("cycle.create_closed", "status")


def test_renaming_a_cycle_to_a_taken_name_is_refused(uow):
    b.cycle(uow, "2026-Q3")
    q4 = b.cycle(uow, "2026-Q4")
    with pytest.raises(Conflict) as refused:
        org.update_cycle(uow, q4.id, {"name": "2026-Q3"})
    assert refused.value.code == "cycle.name_taken"


def test_a_cycle_is_closed_only_by_closing_it(uow):
    cycle = b.cycle(uow)
    with pytest.raises(ValidationError) as refused:
        org.update_cycle(uow, cycle.id, {"status": "closed"})
    assert (refused.value.code, refused.value.field) == ("cycle.close_separately", "status")
    assert uow.cycles.get(cycle.id).status == "active"


def test_a_closed_cycle_no_longer_changes(uow):
    cycle = b.cycle(uow)
    org.close_cycle(uow, cycle.id)
    with pytest.raises(ValidationError) as refused:
        org.update_cycle(uow, cycle.id, {"name": "renamed"})
    assert refused.value.code == "cycle.closed_frozen"
    with pytest.raises(ValidationError) as refused:
        org.close_cycle(uow, cycle.id)
    assert refused.value.code == "cycle.already_closed"
    assert uow.cycles.get(cycle.id).name == "Q"


def test_a_team_name_is_taken_once_even_by_an_archived_team(uow):
    sales = b.team(uow, "Sales")
    org.archive_team(uow, sales.id)
    with pytest.raises(Conflict) as refused:
        b.team(uow, "  Sales ")
    assert (refused.value.code, refused.value.field) == ("team.name_taken", "name")


def test_a_team_cannot_sit_under_its_own_sub_team(uow):
    parent = b.team(uow, "Operations")
    child = b.team(uow, "Service desk", parent_id=parent.id)
    grandchild = b.team(uow, "Night shift", parent_id=child.id)
    for new_parent in (grandchild.id, child.id, parent.id):
        with pytest.raises(ValidationError) as refused:
            org.update_team(uow, parent.id, {"parent_id": new_parent})
        assert (refused.value.code, refused.value.field) == ("team.loop", "parent_id")
    assert uow.teams.get(parent.id).parent_id is None


def test_a_team_can_move_under_another_branch(uow):
    left, right = b.team(uow, "Left"), b.team(uow, "Right")
    leaf = b.team(uow, "Leaf", parent_id=left.id)
    org.update_team(uow, leaf.id, {"parent_id": right.id})
    assert uow.teams.get(leaf.id).parent_id == right.id


def test_an_email_address_is_taken_once_whatever_its_case(uow):
    b.user(uow, "ann@example.org")
    with pytest.raises(Conflict) as refused:
        b.user(uow, " Ann@Example.ORG ")
    assert (refused.value.code, refused.value.field) == ("user.email_taken", "email")
    assert [u.email for u in uow.users.list()] == ["ann@example.org"]


@pytest.mark.parametrize("email", ["", "ann", "ann@example", "ann smith@example.org"])
def test_an_invalid_email_address_is_refused(uow, email):
    with pytest.raises(ValidationError) as refused:
        b.user(uow, email)
    assert (refused.value.code, refused.value.field) == ("user.email_invalid", "email")


def test_a_user_joins_only_teams_that_exist(uow):
    with pytest.raises(NotFound) as refused:
        org.add_user(uow, "ann@example.org", team_ids=[999])
    assert refused.value.code == "team.not_found"


def test_the_last_admin_cannot_be_demoted(uow):
    admin = b.user(uow, role="admin")
    with pytest.raises(ValidationError) as refused:
        org.update_user(uow, admin.id, {"role": "member"})
    assert (refused.value.code, refused.value.field) == ("user.last_admin", "role")
    assert uow.users.get(admin.id).role == "admin"


def test_a_disabled_admin_does_not_count_as_the_other_admin(uow):
    admin, other = b.user(uow, role="admin"), b.user(uow, role="admin")
    org.disable_user(uow, other.id)
    with pytest.raises(ValidationError) as refused:
        org.update_user(uow, admin.id, {"role": "member"})
    assert refused.value.code == "user.last_admin"


def test_an_admin_can_be_demoted_when_another_remains(uow):
    admin = b.user(uow, role="admin")
    b.user(uow, role="admin")
    org.update_user(uow, admin.id, {"role": "member"})
    assert uow.users.get(admin.id).role == "member"


def test_members_change_their_own_name_but_not_their_role(store):
    with store.uow() as uow:
        member = b.user(uow, name="Ann")
    with store.uow(actor=member) as uow:
        org.update_user(uow, member.id, {"name": "Ann de Vries", "locale": "en"})
    with store.uow(actor=member) as uow, pytest.raises(ValidationError) as refused:
        org.update_user(uow, member.id, {"role": "admin"})
    assert (refused.value.code, refused.value.field) == ("field.not_changeable", "role")
    with store.uow() as uow:
        stored = uow.users.get(member.id)
    assert (stored.name, stored.locale, stored.role) == ("Ann de Vries", "en", "member")


def test_members_may_not_create_teams_cycles_or_users(store):
    with store.uow() as uow:
        member = b.user(uow)
    for code, create in (
        ("admin_only.create_teams", lambda uow: b.team(uow, "Sales")),
        ("admin_only.create_cycles", lambda uow: b.cycle(uow)),
        ("admin_only.add_users", lambda uow: b.user(uow, "bob@example.org")),
    ):
        with store.uow(actor=member) as uow, pytest.raises(PermissionDenied) as refused:
            create(uow)
        assert refused.value.code == code
    with store.uow() as uow:
        assert (uow.teams.list(), uow.cycles.list(), len(uow.users.list())) == ([], [], 1)


def test_an_admin_cannot_disable_themselves(store):
    with store.uow() as uow:
        admin = b.user(uow, role="admin")
    with store.uow(actor=admin) as uow, pytest.raises(ValidationError) as refused:
        org.disable_user(uow, admin.id)
    assert refused.value.code == "user.disable_self"
    with store.uow() as uow:
        assert uow.users.get(admin.id).active
