"""Listing pages, idempotency keys and the audit trail: the records adapters rely on."""

from __future__ import annotations

import pytest

from koers.domain.errors import Conflict, ValidationError
from koers.services import audit, idempotency, listing
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.check_ins import record_check_in
from koers.services.transfer import export_document, import_document
from tests import builders as b


def test_pages_walk_every_record_once_in_order(uow):
    cycle = b.cycle(uow)
    made = [b.objective(uow, cycle.id, f"Goal {n}").id for n in range(5)]
    seen, cursor, pages = [], None, 0
    while True:
        page = listing.page(uow, uow.objectives, {"cycle_id": cycle.id}, cursor, limit=2)
        seen += [o.id for o in page.items]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert (seen, pages) == (made, 3)  # 2 + 2 + 1


def test_a_page_filters_by_field_and_leaves_archived_records_out_unless_asked(uow):
    cycle, other = b.cycle(uow, "Q1"), b.cycle(uow, "Q2")
    kept, gone = b.objective(uow, cycle.id, "Kept"), b.objective(uow, cycle.id, "Gone")
    b.objective(uow, other.id, "Elsewhere")
    goals.archive_objective(uow, gone.id)
    assert [o.id for o in listing.page(uow, uow.objectives, {"cycle_id": cycle.id}).items] == [kept.id]
    everything = listing.page(uow, uow.objectives, {"cycle_id": cycle.id}, include_archived=True)
    assert [o.id for o in everything.items] == [kept.id, gone.id]


def test_a_page_shows_a_member_only_what_they_may_see(store):
    with store.uow() as uow:
        sales, support = b.team(uow, "Sales"), b.team(uow, "Support")
        helper = b.user(uow, teams=[support])
        cycle = b.cycle(uow)
        hidden = b.objective(uow, cycle.id, "Sales only", team_id=sales.id, visibility="team")
        public = b.objective(uow, cycle.id, "Public", team_id=sales.id)
        own = b.objective(uow, cycle.id, "Support only", team_id=support.id, visibility="team")
        b.key_result(uow, hidden.id)
        public_kr = b.key_result(uow, public.id)
    with store.uow(actor=helper) as uow:
        objectives = listing.page(uow, uow.objectives, {}).items
        key_results = listing.page(uow, uow.key_results, {}).items
    assert [o.id for o in objectives] == [public.id, own.id]
    assert [kr.id for kr in key_results] == [public_kr.id]


@pytest.mark.parametrize("cursor", ["nonsense", "YWZ0ZXI6eA"])  # the second is base64 of "after:x"
def test_a_cursor_the_server_did_not_hand_out_is_refused(uow, cursor):
    with pytest.raises(ValidationError) as refused:
        listing.page(uow, uow.objectives, {}, cursor)
    assert (refused.value.code, refused.value.field) == ("cursor.invalid", "cursor")


@pytest.mark.parametrize("limit", [0, 501])
def test_a_page_size_outside_1_to_500_is_refused(uow, limit):
    with pytest.raises(ValidationError) as refused:
        listing.page(uow, uow.objectives, {}, limit=limit)
    assert (refused.value.code, refused.value.field) == ("limit.out_of_range", "limit")


def test_a_retried_request_gets_the_first_answer(uow):
    user = b.user(uow)
    assert idempotency.replay(uow, user.id, "k-1", "POST /check-ins") is None
    idempotency.remember(uow, user.id, "k-1", "POST /check-ins", 201, {"id": 7, "score": 75.0})
    assert idempotency.replay(uow, user.id, "k-1", "POST /check-ins") == (201, {"id": 7, "score": 75.0})


def test_an_idempotency_key_belongs_to_one_user_and_one_request(uow):
    ann, bob = b.user(uow), b.user(uow)
    idempotency.remember(uow, ann.id, "k-1", "POST /check-ins", 201, {"id": 7})
    assert idempotency.replay(uow, bob.id, "k-1", "POST /check-ins") is None
    with pytest.raises(Conflict) as refused:
        idempotency.replay(uow, ann.id, "k-1", "POST /measurements")
    assert refused.value.code == "idempotency.key_reused"


@pytest.mark.parametrize("key", ["", "x" * 201, "tab\tinside"])
def test_an_unusable_idempotency_key_is_refused(key):
    with pytest.raises(ValidationError) as refused:
        idempotency.check_key(key)
    assert (refused.value.code, refused.value.field) == ("idempotency.key_invalid", "Idempotency-Key")


def test_every_change_leaves_an_audit_entry_with_its_actor_and_values(store):
    with store.uow() as uow:
        admin = b.user(uow, role="admin")
        cycle = b.cycle(uow)
    with store.uow(actor=admin) as uow:
        objective = b.objective(uow, cycle.id, "First title")
        goals.update_objective(uow, objective.id, {"title": "Second title"})
        kr = b.key_result(uow, objective.id)
        record_check_in(uow, kr.id, 75, note="halfway")
    with store.uow() as uow:
        trail = audit.entries(uow, actor_id=admin.id)
    assert [(e["action"], e["entity"]) for e in trail] == [
        ("check_in", "key_result"), ("create", "key_result"), ("update", "objective"), ("create", "objective"),
    ]  # fmt: skip
    check_in, _, update, create = trail
    assert (check_in["entity_id"], check_in["after"]["value"], check_in["after"]["note"]) == (kr.id, 75, "halfway")
    assert (update["before"]["title"], update["after"]["title"]) == ("First title", "Second title")
    assert (create["before"], create["after"]["title"]) == (None, "First title")


def test_a_change_refused_halfway_leaves_neither_records_nor_audit_entries(make_store):
    source, target = make_store(), make_store()
    with source.uow() as uow:
        b.user(uow, "ann@example.org", teams=[b.team(uow, "Sales")])
        b.key_result(uow, b.objective(uow, b.cycle(uow).id).id)
        document = export_document(uow, b.TODAY)
    document["objectives"][0]["key_results"][0]["kpi_id"] = 999  # found only after users, teams... were made
    with pytest.raises(ValidationError) as refused, target.uow() as uow:
        import_document(uow, document)
    assert refused.value.code == "document.unknown_reference"
    with target.uow() as uow:
        assert (uow.users.list(), uow.teams.list(), uow.cycles.list(), audit.entries(uow)) == ([], [], [], [])


def test_the_audit_trail_never_holds_a_password_hash(uow):
    user = org.add_user(uow, "ann@example.org", password_hash="$argon2id$secret")
    org.update_user(uow, user.id, {"name": "Ann"})
    for entry in audit.entries(uow, entity="user", entity_id=user.id):
        for values in (entry["before"], entry["after"]):
            assert values is None or "password_hash" not in values
    assert "secret" not in str(audit.entries(uow))
