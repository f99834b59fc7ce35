"""Stored scores equal a rebuild from raw history, and an export imports back into the same document."""

from __future__ import annotations

import pytest

from koers.domain.errors import PermissionDenied, ValidationError
from koers.services.scores import recompute_all
from koers.services.transfer import export_document, import_document
from tests import builders as b


def stored_values(uow):
    """Every value dashboards read instead of computing."""
    return {
        "key_results": [
            (kr.id, kr.current, kr.current_at, kr.progress, kr.score, kr.confidence)
            for kr in uow.key_results.list(include_archived=True)
        ],
        "objectives": [(o.id, o.score, o.grade) for o in uow.objectives.list(include_archived=True)],
        "kpis": [(k.id, k.current, k.current_at) for k in uow.kpis.list(include_archived=True)],
    }


def test_the_mixed_organisation_scores_as_worked_by_hand(uow):
    made = b.mixed_organisation(uow)
    # Sell: increase 70 -> 85 at 77: 7 / 15 = 0.4667 -> 46.7 (weight 2); range [3, 4] from 9.5 at 6:
    # 3.5 / 5.5 = 0.6364 -> 63.6; milestone done: 100; (46.7 * 2 + 63.6 + 100) / 4 = 257 / 4 = 64.25 -> 64.2
    # (round half to even). Help: above 50 from 55 and Q2's visits 60, 40 (70 came before Q2): 2 / 3 -> 66.7;
    # below 4 from 3, 5: 1 / 2 -> 50; (66.7 + 50) / 2 = 58.35 -> 58.4 (stored as 58.3500000000000014).
    # Company: Sell and Help; Dropped is archived: (64.2 + 58.4) / 2 = 61.3.
    assert uow.objectives.get(made["top"].id).score == 61.3
    # Old (closed Q1): churn's 8 of 70 days ago is newer than the 8.5 checked in 90 days ago, and 6 came after
    # the close: (10 - 8) / (10 - 5) = 0.4 -> 40.0
    assert [o.score for o in uow.objectives.list(title="Old")] == [40.0]
    assert uow.kpis.get(made["churn"].id).current == 6


def test_recompute_all_equals_the_values_stored_change_by_change_and_repairs_drift(uow):
    made = b.mixed_organisation(uow)
    incremental = stored_values(uow)
    recompute_all(uow)
    assert stored_values(uow) == incremental
    for kr in uow.key_results.list(include_archived=True):
        uow.key_results.set_fields(kr.id, score=0.0, current=None, progress=0.0)
    uow.objectives.set_fields(made["top"].id, score=99.9)
    uow.kpis.set_fields(made["churn"].id, current=1)
    recompute_all(uow)
    assert stored_values(uow) == incremental


def test_an_export_imports_back_into_the_same_document(make_store):
    source, target = make_store(), make_store()
    with source.uow() as uow:
        b.mixed_organisation(uow)
        exported = export_document(uow, b.TODAY)
    with target.uow() as uow:
        counts = import_document(uow, exported)
    assert (counts["objectives"], counts["key_results"], counts["check_ins"], counts["measurements"]) == (6, 9, 11, 6)
    with target.uow() as uow:
        assert export_document(uow, b.TODAY) == exported


def test_an_import_into_a_store_with_goals_is_refused_unless_appending(make_store):
    source, target = make_store(), make_store()
    with source.uow() as uow:
        b.key_result(uow, b.objective(uow, b.cycle(uow).id, "Imported").id)
        exported = export_document(uow, b.TODAY)
    with target.uow() as uow:
        b.objective(uow, b.cycle(uow, "Own").id, "Own")
    with pytest.raises(ValidationError) as refused, target.uow() as uow:
        import_document(uow, exported)
    assert refused.value.code == "document.database_not_empty"
    with target.uow() as uow:
        assert [o.title for o in uow.objectives.list()] == ["Own"]
        import_document(uow, exported, append=True)
        assert [o.title for o in uow.objectives.list()] == ["Own", "Imported"]


def test_only_admins_import(store):
    with store.uow() as uow:
        member = b.user(uow)
        exported = export_document(uow, b.TODAY)
    with store.uow(actor=member) as uow, pytest.raises(PermissionDenied) as refused:
        import_document(uow, exported)
    assert refused.value.code == "admin_only.import_documents"
