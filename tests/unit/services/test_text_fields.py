"""Every declared text field refuses control characters and bidi overrides, on create and on update (issue 9, item 11).

The doors (API, web, CLI, import) all call these services; tests/e2e/test_text_controls.py drives each door. Here
every text field of every entity is written both ways, and a field declared later without a case here fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from koers.domain import fields, model
from koers.domain.errors import ValidationError
from koers.services import accounts
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.kpis import update_kpi
from tests import builders as b

BAD = {"bidi override": "\u202e", "bell": "\x07", "ANSI escape": "\x1b[31m", "C1": "\x85", "DEL": "\x7f"}


def _records(uow: Any, n: int) -> dict[str, Any]:
    cycle = b.cycle(uow, f"Q{n}")
    team = b.team(uow)
    user = b.user(uow, teams=[team])
    objective = b.objective(uow, cycle.id)
    kr = b.key_result(uow, objective.id)
    kpi = b.kpi(uow)
    initiative = goals.create_initiative(uow, model.Initiative("Werk", objective_id=objective.id))
    return {"cycle": cycle, "team": team, "user": user, "objective": objective, "kr": kr, "kpi": kpi, "it": initiative}


Write = Callable[[Any, dict[str, Any], str], Any]
# (entity, field) -> a create and an update that put `text` into that field
WRITES: dict[tuple[str, str], tuple[Write, ...]] = {
    ("team", "name"): (
        lambda uow, r, text: org.create_team(uow, f"T {text}"),
        lambda uow, r, text: org.update_team(uow, r["team"].id, {"name": f"T {text}"}),
    ),
    ("user", "email"): (lambda uow, r, text: org.add_user(uow, f"a{text}@example.org"),),
    ("user", "name"): (
        lambda uow, r, text: org.add_user(uow, "new@example.org", name=f"N {text}"),
        lambda uow, r, text: org.update_user(uow, r["user"].id, {"name": f"N {text}"}),
    ),
    ("user", "password"): (),  # never shown: any character may be part of a password
    ("cycle", "name"): (
        lambda uow, r, text: b.cycle(uow, f"C {text}"),
        lambda uow, r, text: org.update_cycle(uow, r["cycle"].id, {"name": f"C {text}"}),
    ),
    ("objective", "title"): (
        lambda uow, r, text: b.objective(uow, r["cycle"].id, f"O {text}"),
        lambda uow, r, text: goals.update_objective(uow, r["objective"].id, {"title": f"O {text}"}),
    ),
    ("objective", "description"): (
        lambda uow, r, text: b.objective(uow, r["cycle"].id, description=f"D\n{text}"),
        lambda uow, r, text: goals.update_objective(uow, r["objective"].id, {"description": f"D\n{text}"}),
    ),
    ("objective", "retrospective"): (  # issue 10: written by an update only (editable after close)
        lambda uow, r, text: goals.update_objective(uow, r["objective"].id, {"retrospective": f"R\n{text}"}),
    ),
    ("key_result", "title"): (
        lambda uow, r, text: b.key_result(uow, r["objective"].id, title=f"K {text}"),
        lambda uow, r, text: goals.update_key_result(uow, r["kr"].id, {"title": f"K {text}"}),
    ),
    ("key_result", "unit"): (
        lambda uow, r, text: b.key_result(uow, r["objective"].id, unit=f"u{text}"),
        lambda uow, r, text: goals.update_key_result(uow, r["kr"].id, {"unit": f"u{text}"}),
    ),
    ("check_in", "note"): (lambda uow, r, text: b.check_in(uow, r["kr"].id, 75, note=f"n\n{text}"),),
    ("kpi", "name"): (
        lambda uow, r, text: b.kpi(uow, f"K {text}"),
        lambda uow, r, text: update_kpi(uow, r["kpi"].id, {"name": f"K {text}"}),
    ),
    ("kpi", "description"): (
        lambda uow, r, text: b.kpi(uow, description=f"D\n{text}"),
        lambda uow, r, text: update_kpi(uow, r["kpi"].id, {"description": f"D\n{text}"}),
    ),
    ("kpi", "unit"): (
        lambda uow, r, text: b.kpi(uow, unit=f"u{text}"),
        lambda uow, r, text: update_kpi(uow, r["kpi"].id, {"unit": f"u{text}"}),
    ),
    ("measurement", "note"): (lambda uow, r, text: b.measurement(uow, r["kpi"].id, 4, note=f"n\n{text}"),),
    ("initiative", "title"): (
        lambda uow, r, text: goals.create_initiative(
            uow, model.Initiative(f"I {text}", objective_id=r["objective"].id)
        ),
        lambda uow, r, text: goals.update_initiative(uow, r["it"].id, {"title": f"I {text}"}),
    ),
    ("api_token", "name"): (lambda uow, r, text: accounts.create_token(uow, r["user"].id, f"t {text}"),),
}


def test_every_declared_text_field_has_a_case():
    declared = {
        (entity.name, name)
        for entity in [*fields.ENTITIES.values(), fields.API_TOKEN]
        for name, field in entity.fields.items()
        if field.type == "str"
    }
    assert declared == set(WRITES)


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("target", list(WRITES), ids=lambda t: ".".join(t) if isinstance(t, tuple) else t)
def test_every_text_field_refuses_control_characters_on_create_and_update(store, target, bad):
    for n, write in enumerate(WRITES[target]):
        with store.uow() as uow:
            records = _records(uow, n)
        with pytest.raises(ValidationError) as refused, store.uow() as uow:
            write(uow, records, f"{bad}x")  # inside the text: trimming must not be what saves it
        assert refused.value.code == "text.control_character", (target, refused.value)
