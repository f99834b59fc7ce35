"""Recording progress: check-ins on key results and measurements of KPIs, each with its scores in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from koers.domain import model
from koers.domain.errors import ValidationError
from koers.domain.validation import finite, one_of, validate_check_in_value, validate_kpi
from koers.services import audit
from koers.services.changes import apply_changes
from koers.services.permissions import can_check_in, can_edit_kpi, require, visible_key_result
from koers.services.scores import refresh_key_result, refresh_objectives
from koers.storage.unit_of_work import UnitOfWork

KPI_FIELDS = (
    "name", "description", "unit", "direction", "target", "target_low", "target_high", "green_at", "red_at",
    "team_id", "owner_id",
)  # fmt: skip
MAX_NOTE = 5_000
FUTURE_TOLERANCE = timedelta(minutes=5)


def record_check_in(
    uow: UnitOfWork,
    key_result_id: int,
    value: float,
    confidence: str | None = None,
    note: str = "",
    author_id: int | None = None,
    created_at: datetime | None = None,
) -> model.CheckIn:
    """Append a check-in and update the key result's and its objectives' stored scores."""
    kr, objective = visible_key_result(uow, key_result_id)
    require(can_check_in(uow.actor, kr, objective), f"you may not check in on key result {key_result_id}")
    if kr.archived:
        raise ValidationError(f"key result {key_result_id} is archived: check-ins are closed")
    cycle = uow.cycles.get(objective.cycle_id)
    if cycle.status == "closed":
        raise ValidationError(f"cycle {cycle.name} is closed: check-ins are no longer accepted")
    number = validate_check_in_value(kr.kind, value)
    if confidence is not None:
        one_of(confidence, model.CONFIDENCES, "confidence")
    check_in = model.CheckIn(
        key_result_id=key_result_id,
        value=number,
        created_at=_moment(created_at, "created_at"),
        confidence=confidence,
        note=_note(note),
        author_id=author_id,
    )
    uow.check_ins.add(check_in)
    refresh_key_result(uow, kr, cycle)
    refresh_objectives(uow, [kr.objective_id])
    audit.record(uow, "check_in", "key_result", key_result_id, None, check_in)
    return check_in


def record_measurement(
    uow: UnitOfWork, kpi_id: int, value: float, at: datetime | None = None, source: str = "manual", note: str = ""
) -> model.Measurement:
    """Append a KPI measurement; key results that follow the KPI in open cycles are rescored."""
    kpi = uow.kpis.get(kpi_id)
    require(can_edit_kpi(uow.actor, kpi), f"you may not record measurements of KPI {kpi_id}")
    if kpi.archived:
        raise ValidationError(f"KPI {kpi_id} is archived: measurements are closed")
    number = finite(value, "value")
    assert number is not None
    one_of(source, model.MEASUREMENT_SOURCES, "source")
    measurement = model.Measurement(kpi_id, number, _moment(at, "at"), source, _note(note))
    uow.measurements.add(measurement)
    uow.lock_scores()
    latest = uow.measurements.latest(kpi_id)
    assert latest is not None
    uow.kpis.set_fields(kpi_id, current=latest.value, current_at=latest.at)
    refresh_kpi_followers(uow, kpi_id)
    audit.record(uow, "measure", "kpi", kpi_id, None, measurement)
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


def _moment(moment: datetime | None, field: str) -> datetime:
    now = datetime.now(UTC)
    if moment is None:
        return now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment > now + FUTURE_TOLERANCE:
        raise ValidationError(f"{field} {moment.isoformat()} lies in the future", field=field)
    return moment


def _note(note: str | None) -> str:
    text = (note or "").strip()
    if len(text) > MAX_NOTE:
        raise ValidationError(f"note is longer than {MAX_NOTE} characters", field="note")
    return text


def create_kpi(uow: UnitOfWork, kpi: model.Kpi) -> model.Kpi:
    """A new KPI with its thresholds."""
    validate_kpi(kpi)
    _check_kpi_references(uow, kpi)
    require(can_edit_kpi(uow.actor, kpi), "members create KPIs for their own teams or owned by themselves")
    kpi.current = kpi.current_at = None
    uow.kpis.add(kpi)
    audit.record(uow, "create", "kpi", kpi.id, None, kpi)
    return kpi


def update_kpi(uow: UnitOfWork, kpi_id: int, changes: Mapping[str, Any], version: int | None = None) -> model.Kpi:
    """Edit a KPI's name, unit, direction or thresholds."""
    kpi = uow.kpis.get(kpi_id)
    require(can_edit_kpi(uow.actor, kpi), f"you may not change KPI {kpi_id}")
    before = replace(kpi)
    apply_changes(kpi, changes, KPI_FIELDS)
    validate_kpi(kpi)
    _check_kpi_references(uow, kpi)
    require(can_edit_kpi(uow.actor, kpi), "you cannot hand a KPI to a team you are not in")
    uow.kpis.update(kpi, version)
    audit.record(uow, "update", "kpi", kpi_id, before, kpi)
    return kpi


def archive_kpi(uow: UnitOfWork, kpi_id: int) -> model.Kpi:
    """Stop tracking a KPI; its measurements stay."""
    kpi = uow.kpis.get(kpi_id)
    require(can_edit_kpi(uow.actor, kpi), f"you may not archive KPI {kpi_id}")
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
