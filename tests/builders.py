"""Builders for test data: one place that knows how to make a cycle, an objective, a key result."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from koers.domain import model
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.progress import create_kpi
from koers.storage.unit_of_work import UnitOfWork

TODAY = date.today()


def cycle(uow: UnitOfWork, name: str = "Q", days_before: int = 30, days_after: int = 60) -> model.Cycle:
    """An active cycle around today."""
    return org.create_cycle(uow, name, TODAY - timedelta(days=days_before), TODAY + timedelta(days=days_after))


def objective(uow: UnitOfWork, cycle_id: int, title: str = "Klanten behouden", **fields: Any) -> model.Objective:
    """A tactical committed objective unless told otherwise."""
    return goals.create_objective(uow, model.Objective(title=title, cycle_id=cycle_id, **fields))


def key_result(uow: UnitOfWork, objective_id: int, kind: str = "increase", **fields: Any) -> model.KeyResult:
    """A key result with sensible numbers for its kind."""
    defaults: dict[str, Any] = {
        "increase": {"baseline": 70, "target": 80},
        "decrease": {"baseline": 10, "target": 5},
        "range": {"baseline": 9.5, "target_low": 3, "target_high": 4},
        "above": {"target": 50},
        "below": {"target": 4},
        "milestone": {},
    }[kind]
    values = {"title": f"{kind} key result", **defaults, **fields}
    return goals.create_key_result(uow, model.KeyResult(objective_id=objective_id, kind=kind, **values))


def kpi(uow: UnitOfWork, name: str = "Churn", **fields: Any) -> model.Kpi:
    """A lower-is-better KPI unless told otherwise."""
    values = {"unit": "%", "direction": "lower_is_better", "green_at": 5, "red_at": 9, **fields}
    return create_kpi(uow, model.Kpi(name=name, **values))


def ago(**delta: float) -> datetime:
    """A moment in the past, UTC."""
    return datetime.now(UTC) - timedelta(**delta)
