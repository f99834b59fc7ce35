"""A measurement's recorded moment travels with an export, so that a closed cycle scores the same after an import."""

from __future__ import annotations

from koers.services import organisation as org
from koers.services.kpis import record_measurement
from koers.services.transfer import export_document, import_document
from tests import builders as b


def _closed_scores(uow) -> list[tuple]:
    return sorted((kr.title, kr.current, kr.score) for kr in uow.key_results.list(include_archived=True))


def _organisation(uow) -> None:
    kpi = b.kpi(uow, "Satisfaction", unit="", direction="higher_is_better", green_at=80, red_at=70)
    record_measurement(uow, kpi.id, 75, at=b.ago(days=20))
    closed = b.cycle(uow, "closed", 60, 10)
    b.key_result(uow, b.objective(uow, closed.id).id, baseline=70, target=80, kpi_id=kpi.id, title="Follows")
    org.close_cycle(uow, closed.id)
    record_measurement(uow, kpi.id, 61, at=b.ago(days=12))  # recorded after the close, dated before it


def test_an_import_keeps_when_measurements_were_recorded(make_store):
    source, target = make_store(), make_store()
    with source.uow() as uow:
        _organisation(uow)
        before = _closed_scores(uow)
        exported = export_document(uow, b.TODAY)
    assert before == [("Follows", 75.0, 50.0)]
    with target.uow() as uow:
        import_document(uow, exported)
        assert _closed_scores(uow) == before
        assert [m.recorded_at is not None for m in uow.measurements.list()] == [True, True]


def test_an_older_document_without_recorded_moments_counts_each_measurement_at_its_own_moment(make_store):
    source, target = make_store(), make_store()
    with source.uow() as uow:
        _organisation(uow)
        exported = export_document(uow, b.TODAY)
    for kpi in exported["kpis"]:
        for measurement in kpi["measurements"]:
            del measurement["recorded_at"]
    with target.uow() as uow:
        import_document(uow, exported)
        # both measurements were taken before the close: without the moment they were recorded, both count
        assert _closed_scores(uow) == [("Follows", 61.0, 0.0)]
