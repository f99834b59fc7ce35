"""KPIs: creating, editing and archiving them, and recording their measurements (rescoring the key results that follow them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from koers.domain import model
from koers.domain.errors import ValidationError
from koers.domain.validation import finite, one_of, validate_kpi, validate_measurement
from koers.services import audit, webhooks
from koers.services.changes import apply_changes
from koers.services.check_ins import checked_moment, checked_note
from koers.services.permissions import can_edit_kpi, require
from koers.services.scores import refresh_key_result, refresh_objectives
from koers.storage.unit_of_work import UnitOfWork

KPI_FIELDS = (
    "name", "description", "unit", "direction", "target", "target_low", "target_high", "green_at", "red_at",
    "team_id", "owner_id",
)  # fmt: skip


def create_kpi(uow: UnitOfWork, kpi: model.Kpi) -> model.Kpi:
    """A new KPI with its thresholds."""
    validate_kpi(kpi)
    _check_kpi_references(uow, kpi)
    require(can_edit_kpi(uow.actor, kpi), "kpi.create_forbidden")
    kpi.current = kpi.current_at = None
    uow.kpis.add(kpi)
    audit.record(uow, "create", "kpi", kpi.id, None, kpi)
    return kpi


def update_kpi(uow: UnitOfWork, kpi_id: int, changes: Mapping[str, Any], version: int | None = None) -> model.Kpi:
    """Edit a KPI's name, unit, direction or thresholds."""
    kpi = uow.kpis.get(kpi_id)
    require(can_edit_kpi(uow.actor, kpi), "kpi.change_forbidden", id=kpi_id)
    before = replace(kpi)
    apply_changes(kpi, changes, KPI_FIELDS)
    validate_kpi(kpi)
    _check_kpi_references(uow, kpi)
    require(can_edit_kpi(uow.actor, kpi), "kpi.team_forbidden")
    uow.kpis.update(kpi, version)
    audit.record(uow, "update", "kpi", kpi_id, before, kpi)
    return kpi


def archive_kpi(uow: UnitOfWork, kpi_id: int) -> model.Kpi:
    """Stop tracking a KPI; its measurements stay."""
    kpi = uow.kpis.get(kpi_id)
    require(can_edit_kpi(uow.actor, kpi), "kpi.archive_forbidden", id=kpi_id)
    before = replace(kpi)
    kpi.archived = True
    uow.kpis.update(kpi)
    audit.record(uow, "archive", "kpi", kpi_id, before, kpi)
    return kpi


def _check_kpi_references(uow: UnitOfWork, kpi: model.Kpi) -> None:
    if kpi.team_id is not None:
        uow.teams.get(kpi.team_id)
    if kpi.owner_id is not None:
        uow.users.get(kpi.owner_id)


def record_measurement(
    uow: UnitOfWork, kpi_id: int, value: float, at: datetime | None = None, source: str = "manual", note: str = ""
) -> model.Measurement:
    """Append a KPI measurement; key results that follow the KPI in open cycles are rescored."""
    kpi = uow.kpis.get(kpi_id)
    require(can_edit_kpi(uow.actor, kpi), "measurement.forbidden", id=kpi_id)
    if kpi.archived:
        raise ValidationError("kpi.archived", id=kpi_id)
    number = finite(value, "value")
    assert number is not None
    one_of(source, model.MEASUREMENT_SOURCES, "source")
    measurement = model.Measurement(
        kpi_id, number, checked_moment(at, "at"), source, checked_note(note), recorded_at=datetime.now(UTC)
    )
    validate_measurement(measurement)
    uow.measurements.add(measurement)
    uow.lock_scores()
    latest = uow.measurements.latest(kpi_id)
    assert latest is not None
    uow.kpis.set_fields(kpi_id, current=latest.value, current_at=latest.at)
    refresh_kpi_followers(uow, kpi_id)
    audit.record(uow, "measure", "kpi", kpi_id, None, measurement)
    kpi.current, kpi.current_at = latest.value, latest.at
    webhooks.measurement_recorded(uow, measurement, kpi)  # the outbox (issue 11)
    return measurement


def refresh_kpi_followers(uow: UnitOfWork, kpi_id: int) -> None:
    """Rescore the key results linked to a KPI (those in closed cycles keep their final value)."""
    objective_ids = []
    for kr in uow.key_results.linked_to_kpi(kpi_id):
        objective = uow.objectives.get(kr.objective_id)
        cycle = uow.cycles.get(objective.cycle_id)
        if cycle.status != "closed":
            refresh_key_result(uow, kr, cycle)
            objective_ids.append(kr.objective_id)
    refresh_objectives(uow, objective_ids)
