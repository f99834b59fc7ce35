"""The key result editor: add key results to an objective, change and archive them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from koers.domain import model
from koers.domain.dates import parse_day
from koers.domain.errors import ValidationError
from koers.domain.permissions import can_edit_key_result
from koers.http.deps import KoersDep
from koers.services import kpis as kpi_service
from koers.services import objectives as goals
from koers.services.permissions import require, visible_key_result, visible_objective
from koers.storage.unit_of_work import UnitOfWork
from koers.web.flow import act, edit, form_page, people_options, save, saved_notice, saved_then, submit
from koers.web.forms import Entered, Reader, Typed, Writer, filled, record_id, shown
from koers.web.forms import number as number_in_locale
from koers.web.i18n import gettext_ as _
from koers.web.routes.editors.coach import coach
from koers.web.routes.editors.objectives import editable_objective
from koers.wording import localise

router = APIRouter(include_in_schema=False)
TEMPLATE = "editors/key_result.html"
TEXTS = ("title", "kind", "unit")
NUMBERS = ("baseline", "target", "target_low", "target_high")
CHOICES = ("owner_id", "kpi_id")
PLAN = ("plan_shape", "plan_points", "cadence_days")
FORM = (*TEXTS, *NUMBERS, "weight", *CHOICES, *PLAN, "version")
PLAN_SHAPES = ("linear", "back_loaded", "s_curve", "points")
# A service's error about the plan belongs next to the points (or the shape, when no points were sent).
ALIASES = {"plan": "plan_points"}


def _changes(entered: Entered) -> dict[str, Any]:
    changes: dict[str, Any] = entered.text(*TEXTS)
    changes |= entered.numbers(*NUMBERS)
    if "weight" in entered.values:
        changes["weight"] = entered.number("weight", required=True)
    if "plan_shape" in entered.values:
        plan = _plan(entered)
        if "plan_shape" not in entered.errors and "plan_points" not in entered.errors:
            changes["plan"] = plan
    if str(entered.values.get("cadence_days") or "").strip():  # left empty: unchanged (7 days for a new one)
        changes["cadence_days"] = _whole(entered.number("cadence_days", required=True))
    return changes | entered.choices(*CHOICES)


def _whole(value: float | None) -> float | int | None:
    """A whole number typed as such ("7", "7,0") goes to the domain as an int; anything else as typed."""
    return int(value) if value is not None and value.is_integer() else value


def _plan(entered: Entered) -> dict[str, Any] | None:
    """The plan from the shape select and, for `points`, the lines `date value` (YYYY-MM-DD or dd-mm-jjjj, the
    value in the reader's notation); the linear plan is stored as no plan."""
    shape = str(entered.values.get("plan_shape") or "linear")
    if shape not in PLAN_SHAPES:
        entered.errors["plan_shape"] = _("Choose one of the options.")
        return None
    if shape == "linear":
        return None
    if shape != "points":
        return {"shape": shape}
    points = []
    for number, line in enumerate(str(entered.values.get("plan_points") or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        day = _day(parts[0]) if len(parts) == 2 else None
        if day is None:
            entered.errors["plan_points"] = _(
                "Line %(number)d: write a date and a value, such as 2026-11-15 40 or 15-11-2026 40."
            ) % {"number": number}
            return None
        try:
            value = number_in_locale(parts[1], "plan_points")
        except ValidationError as error:
            problem = localise(error)
            entered.errors["plan_points"] = _("Line %(number)d: %(problem)s") % {"number": number, "problem": problem}
            return None
        points.append({"date": day, "value": value})
    return {"shape": "points", "points": points}


def _day(text: str) -> str | None:
    """An ISO date (YYYY-MM-DD) or a Dutch one (dd-mm-jjjj), as ISO text; None when it is neither or no date."""
    try:  # the hint offers both forms in both languages, so both are read whatever the reader's language
        return parse_day(text, "nl", field="plan_points").isoformat()
    except ValidationError:
        return None


def plan_values(kr: model.KeyResult) -> dict[str, str]:
    """The plan fields of a stored key result as the form shows them (points in the reader's notation)."""
    plan = kr.plan or {"shape": "linear"}
    lines = [f"{p['date']} {shown(p['value'])}" for p in plan.get("points") or ()]
    return {"plan_shape": str(plan.get("shape", "linear")), "plan_points": "\n".join(lines)}


def _context(
    uow: UnitOfWork, entered: Entered, objective: model.Objective, kr: model.KeyResult | None = None
) -> dict[str, Any]:
    return {
        "form": entered,
        "objective": objective,
        "kr": kr,
        "kinds": list(model.KR_KINDS),
        "people": people_options(uow),
        "kpis": [(str(k.id), k.name) for k in uow.kpis.list()],
        "plan_shapes": [
            ("linear", _("Linear")),
            ("back_loaded", _("Back-loaded")),
            ("s_curve", _("S-curve")),
            ("points", _("Through points")),
        ],
        "coach": coach(entered.values.get("title"), "key_result"),
        "directions": list(model.KPI_DIRECTIONS),
        "kpi_form": Entered({"kpi_direction": "higher_is_better"}),
        "kpi_created": None,
    }


# --- a KPI made from the key-result form (htmx): the KPI editor's service and checks, then linked -----------------

KPI_TEXTS = ("name", "unit", "direction")
KPI_NUMBERS = ("target", "target_low", "target_high", "green_at", "red_at")
KPI_FORM = tuple(f"kpi_{name}" for name in (*KPI_TEXTS, *KPI_NUMBERS))
KPI_ALIASES = {name: f"kpi_{name}" for name in (*KPI_TEXTS, *KPI_NUMBERS)}


@router.post("/key-results/kpi")
def create_linked_kpi(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    """Make a KPI from the key-result form and hand back its KPI field with the new KPI chosen (an htmx partial).

    The KPI belongs to the objective's team and is owned by its maker; `kpis.create_kpi` checks it exactly as the
    KPI editor's save does, and its errors go next to the inline fields.
    """
    entered = Entered.read(form, KPI_FORM, new=True)
    objective_id = record_id(str(form.get("kpi_objective_id") or ""))
    fields: dict[str, Any] = {name: entered.values[f"kpi_{name}"] for name in KPI_TEXTS}
    fields |= {name: entered.number(f"kpi_{name}") for name in KPI_NUMBERS}

    def create(uow: UnitOfWork) -> tuple[model.Kpi, model.Objective]:
        objective = editable_objective(uow, user, objective_id or 0)
        kpi = kpi_service.create_kpi(uow, model.Kpi(**fields, team_id=objective.team_id, owner_id=user.id))
        return kpi, objective

    made = save(koers, user, entered, create, KPI_ALIASES)

    def build(uow: UnitOfWork) -> dict[str, Any]:
        objective = made[1] if made else editable_objective(uow, user, objective_id or 0)
        chosen = str(made[0].id) if made else str(form.get("kpi_id") or "")
        context = _context(uow, Entered({"kpi_id": chosen}), objective)
        if made:
            return context | {"kpi_created": made[0].name}
        return context | {"kpi_form": entered}

    response = form_page(request, koers, user, "partials/kpi_link.html", build)
    if not made and response.status_code == 200 and request.headers.get("hx-request") != "true":
        response.status_code = entered.status  # htmx swaps only 2xx answers; others learn of the refusal
    return response


def _next(form: FormData, kr: model.KeyResult) -> str:
    """The objective's page, or another new key result (saying which one was saved) when the author asked for that."""
    if form.get("then") == "another":
        return saved_then(f"/objectives/{kr.objective_id}/key-results/new", kr.id)
    return f"/objectives/{kr.objective_id}"


def _saved(uow: UnitOfWork, objective: model.Objective, saved: str) -> str:
    """The confirmation of what was just saved: this objective (`saved=0`) or one of its key results."""
    if saved == "0":
        return saved_notice(objective.title, first=True)
    kr_id = record_id(saved)
    found = uow.key_results.find(kr_id) if kr_id else None
    return saved_notice(found.title if found and found.objective_id == objective.id else None)


@router.get("/objectives/{objective_id:int}/key-results/new")
def new_key_result(request: Request, koers: KoersDep, viewer: Reader, objective_id: int, saved: str = "") -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        objective = editable_objective(uow, viewer, objective_id)
        values = {"title": "", "kind": "increase", "unit": "", "weight": shown(1), "owner_id": shown(viewer.id)}
        values |= {"plan_shape": "linear", "plan_points": "", "cadence_days": shown(7)}
        return _context(uow, Entered(values), objective) | {"saved": _saved(uow, objective, saved)}

    return form_page(request, koers, viewer, TEMPLATE, build, f"/objectives/{objective_id}")


@router.post("/objectives/{objective_id:int}/key-results/new")
def create_key_result(request: Request, koers: KoersDep, user: Writer, form: Typed, objective_id: int) -> Response:
    entered = Entered.read(form, FORM, new=True)
    changes = _changes(entered)
    return submit(
        koers,
        user,
        entered,
        lambda uow: goals.create_key_result(uow, model.KeyResult(objective_id=objective_id, **changes)),
        lambda kr: _next(form, kr),
        lambda: form_page(
            request, koers, user, TEMPLATE, lambda uow: _context(uow, entered, visible_objective(uow, objective_id))
        ),
        ALIASES,
    )


def _editable_key_result(uow: UnitOfWork, viewer: model.User, kr_id: int) -> tuple[model.KeyResult, model.Objective]:
    kr, objective = visible_key_result(uow, kr_id)
    require(can_edit_key_result(viewer, kr, objective), "key_result.change_forbidden", id=kr_id)
    return kr, objective


@router.get("/key-results/{kr_id:int}/edit")
def edit_key_result(request: Request, koers: KoersDep, viewer: Reader, kr_id: int) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        kr, objective = _editable_key_result(uow, viewer, kr_id)
        values = filled(kr, [name for name in FORM if name not in PLAN[:2]]) | plan_values(kr)
        return _context(uow, Entered(values), objective, kr)

    return form_page(request, koers, viewer, TEMPLATE, build)


@router.post("/key-results/{kr_id:int}/edit")
def update_key_result(request: Request, koers: KoersDep, user: Writer, form: Typed, kr_id: int) -> Response:

    def again(entered: Entered) -> Response:
        def build(uow: UnitOfWork) -> dict[str, Any]:
            stored, objective = visible_key_result(uow, kr_id)
            return _context(uow, entered, objective, stored)

        return form_page(request, koers, user, TEMPLATE, build)

    return edit(
        koers,
        user,
        form,
        FORM,
        _changes,
        goals.update_key_result,
        kr_id,
        lambda kr: f"/objectives/{kr.objective_id}",
        again,
        ALIASES,
    )


@router.post("/key-results/{kr_id:int}/archive")
def archive_key_result(request: Request, koers: KoersDep, user: Writer, kr_id: int) -> Response:
    return act(
        request,
        koers,
        user,
        lambda uow: goals.archive_key_result(uow, kr_id),
        lambda kr: f"/objectives/{kr.objective_id}",
    )
