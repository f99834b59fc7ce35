"""Guardrails: the counter-metric KPIs a key result names, so improving it at their cost shows in attention."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from koers.domain import model
from koers.domain.errors import NotFound
from koers.services import audit
from koers.services import objectives as goals
from koers.services.permissions import can_edit_key_result, require, visible_key_result
from koers.storage.unit_of_work import UnitOfWork


def guardrail_kpi_ids(uow: UnitOfWork, kr_id: int) -> list[int]:
    """The ids of a (visible) key result's guardrail KPIs."""
    visible_key_result(uow, kr_id)
    return uow.insight.guardrails([kr_id]).get(kr_id, [])


def editable_key_result(uow: UnitOfWork, kr_id: int) -> tuple[model.KeyResult, model.Objective]:
    """A key result whose guardrails the actor may change: visible, editable by them, in an open cycle."""
    kr, objective = visible_key_result(uow, kr_id)
    require(can_edit_key_result(uow.actor, kr, objective), "key_result.change_forbidden", id=kr_id)
    goals.require_open_cycle(uow, objective)
    return kr, objective


def set_guardrails(uow: UnitOfWork, kr_id: int, kpi_ids: Iterable[int]) -> list[int]:
    """Make these KPIs the key result's guardrails; whoever may edit the key result may, in an open cycle."""
    editable_key_result(uow, kr_id)
    wanted = sorted(set(kpi_ids))
    known = {kpi.id for kpi in uow.kpis.list_for("id", wanted)}
    missing = [kpi_id for kpi_id in wanted if kpi_id not in known]
    if missing:
        raise NotFound("kpi.not_found", id=missing[0])
    before = uow.insight.guardrails([kr_id]).get(kr_id, [])
    if before != wanted:
        uow.insight.set_guardrails(kr_id, wanted)
        audit.record(uow, "update", "key_result", kr_id, {"guardrail_kpi_ids": before}, {"guardrail_kpi_ids": wanted})
    return wanted


def update_key_result(
    uow: UnitOfWork, kr_id: int, changes: Mapping[str, Any], version: int | None = None
) -> model.KeyResult:
    """Edit a key result as `objectives.update_key_result` does, and with `guardrail_kpi_ids` set its guardrails;
    a change of guardrails alone leaves the key result's own fields (and version) as they are."""
    rest = dict(changes)
    kpi_ids = rest.pop("guardrail_kpi_ids", None)
    if rest or version is not None or kpi_ids is None:
        kr = goals.update_key_result(uow, kr_id, rest, version)
    else:
        kr = visible_key_result(uow, kr_id)[0]
    if kpi_ids is not None:
        set_guardrails(uow, kr_id, kpi_ids)
    return kr
