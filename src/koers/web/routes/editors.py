"""Editors: the forms that create and change objectives, key results, KPIs and initiatives, with the coach as you type.

Every form keeps what people typed when a save fails and shows the error next to its field; the services decide
what is allowed and valid, the routes only read the form, call them, and redirect after a successful change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, TypeVar

from babel.numbers import format_decimal
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from koers.api.deps import KoersDep
from koers.domain import model
from koers.domain.coach import lint
from koers.domain.errors import KoersError, ValidationError
from koers.services import objectives as goals
from koers.services import progress
from koers.services.permissions import (
    can_edit_key_result,
    can_edit_kpi,
    can_edit_objective,
    can_see_objective,
    require,
    visible_key_result,
    visible_objective,
)
from koers.storage.unit_of_work import UnitOfWork
from koers.web import forms, i18n
from koers.web.i18n import gettext_ as _
from koers.web.messages import localise
from koers.web.rendering import render
from koers.web.session import Changer, Viewer
from koers.web.vocabulary import N_

router = APIRouter(include_in_schema=False)
T = TypeVar("T")
Options = list[tuple[str, str]]


# --- what every form needs: the user's language, the typed values, their errors -------------------------------


async def _reading(request: Request, user: Viewer) -> model.User:
    """The logged-in user; texts made in Python (errors, labels) speak the page's language."""
    i18n.current_locale.set(getattr(request.state, "locale", i18n.DEFAULT_LOCALE))
    return user


async def _writing(request: Request, user: Changer) -> model.User:
    """The logged-in, CSRF-checked user; texts made in Python speak the page's language."""
    i18n.current_locale.set(getattr(request.state, "locale", i18n.DEFAULT_LOCALE))
    return user


async def _form(request: Request) -> FormData:
    return await request.form()


Reader = Annotated[model.User, Depends(_reading)]
Writer = Annotated[model.User, Depends(_writing)]
Typed = Annotated[FormData, Depends(_form)]


@dataclass
class Entered:
    """What someone typed into a form, and what was wrong with it (per field, or for the whole form)."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    status: int = 200

    @classmethod
    def read(cls, form: FormData, names: Iterable[str], lists: Iterable[str] = ()) -> Entered:
        """The fields a form sent (absent fields stay absent: an edit changes only what it sends)."""
        values: dict[str, Any] = {}
        for name in names:
            value = form.get(name)
            if isinstance(value, str):
                values[name] = value
        for name in lists:
            if name in form:
                values[name] = [v for v in form.getlist(name) if isinstance(v, str) and v]
        return cls(values)

    def fail(self, error: KoersError, aliases: Mapping[str, str] | None = None) -> None:
        """Put a service's error next to its field, or above the form when no field of this form caused it."""
        name = (aliases or {}).get(error.field or "", error.field or "")
        message = localise(error)
        if name in self.values:
            self.errors[name] = message
        else:
            self.problem = message
        self.status = error.status

    def attempt(self, action: Callable[[], T], aliases: Mapping[str, str] | None = None) -> T | None:
        """Run a save unless the typing was already wrong; None (with the error kept) when it fails."""
        if self.errors:
            self.status = 422
            return None
        try:
            return action()
        except KoersError as error:
            self.fail(error, aliases)
            return None

    def text(self, *names: str) -> dict[str, str]:
        """The sent text fields, as typed."""
        return {name: self.values[name] for name in names if name in self.values}

    def number(self, name: str, label: str, required: bool = False) -> float | None:
        """A number typed as 7,5 or 7.5; a clear error next to the field otherwise."""
        try:
            return forms.number(self.values.get(name), label, required)
        except ValidationError as error:
            self.errors[name] = error.message
            return None

    def ident(self, name: str, required: bool = False) -> int | None:
        """The id chosen in a select (None for the empty choice)."""
        text = str(self.values.get(name) or "").strip()
        if not text:
            if required:
                self.errors[name] = _("This field is required.")
            return None
        if not text.isdigit() or len(text) > 12:
            self.errors[name] = _("Choose one of the options.")
            return None
        return int(text)

    def ids(self, name: str) -> list[int]:
        """The ids chosen in a multiple select."""
        chosen = self.values.get(name) or []
        if not all(v.isdigit() and len(v) <= 12 for v in chosen):
            self.errors[name] = _("Choose one of the options.")
            return []
        return [int(v) for v in chosen]

    def day(self, name: str, required: bool = False) -> date | None:
        """A date from a date field (YYYY-MM-DD)."""
        text = str(self.values.get(name) or "").strip()
        if not text:
            if required:
                self.errors[name] = _("This field is required.")
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.errors[name] = _("Enter a date as YYYY-MM-DD.")
            return None

    def numbers(self, labels: Mapping[str, str]) -> dict[str, float | None]:
        """The sent number fields, parsed."""
        return {name: self.number(name, label) for name, label in labels.items() if name in self.values}

    def choices(self, *names: str) -> dict[str, int | None]:
        """The sent id selects, parsed."""
        return {name: self.ident(name) for name in names if name in self.values}


def shown(value: Any) -> str:
    """A stored value as it goes back into a form field (numbers in the reader's notation, without grouping)."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return format_decimal(value, format="0.######", locale=i18n.current_locale.get())
    return str(value)


def filled(entity: Any, names: Iterable[str]) -> dict[str, Any]:
    """The form values of a stored entity."""
    return {name: shown(getattr(entity, name)) for name in names}


def refused(request: Request, error: KoersError, back: str = "/") -> Response:
    """A plain page for a request that cannot even show its form (not allowed, or gone)."""
    titles = {403: _("Not allowed"), 404: _("Page not found")}
    page = {"title": titles.get(error.status, _("Not saved")), "message": localise(error), "back": back}
    return render(request, "message.html", page, error.status)


def see_other(url: str) -> Response:
    """After a successful change: the browser loads the next page with a GET."""
    return RedirectResponse(url, status_code=303)


def team_tree(teams: list[model.Team]) -> list[tuple[model.Team, int]]:
    """Teams in tree order with their depth (orphans of an archived parent at the top level)."""
    known = {team.id for team in teams}
    children: dict[int | None, list[model.Team]] = {}
    for team in teams:
        parent = team.parent_id if team.parent_id in known else None
        children.setdefault(parent, []).append(team)
    ordered: list[tuple[model.Team, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for team in sorted(children.get(parent, []), key=lambda t: t.name.lower()):
            ordered.append((team, depth))
            walk(team.id, depth + 1)

    walk(None, 0)
    return ordered


def team_options(uow: UnitOfWork) -> Options:
    """Every team, indented under its parent."""
    return [(str(team.id), "\u2003" * depth + team.name) for team, depth in team_tree(uow.teams.list())]


def people_options(uow: UnitOfWork) -> Options:
    """Everyone who can still log in."""
    people = sorted((u for u in uow.users.list() if u.active), key=lambda u: (u.name or u.email).lower())
    return [(str(u.id), u.name or u.email) for u in people]


# --- the quality coach ------------------------------------------------------------------------------------------

COACH_KINDS = ("objective", "key_result")
SEVERITIES = {"error": N_("Problem"), "warning": N_("Warning"), "info": N_("Tip")}


def coach(text: Any, kind: str) -> dict[str, Any] | None:
    """The coach's feedback on a title, worded wholly in the title's own language (None for an empty title)."""
    cleaned = str(text or "").strip()[:500]
    if not cleaned:
        return None
    try:
        result = lint(cleaned, kind, "auto")
    except ValueError:
        return None
    token = i18n.current_locale.set(result.lang)
    try:
        return {
            "lang": result.lang,
            "verdict": result.verdict,
            "verdict_label": _("Looks good") if result.verdict == "good" else _("Needs work"),
            "heading": _("Quality coach"),
            "findings": [
                {"severity": f.severity, "severity_label": _(SEVERITIES.get(f.severity, f.severity))}
                | {"message": f.message, "suggestion": f.suggestion}
                for f in result.findings
            ],
        }
    finally:
        i18n.current_locale.reset(token)


@router.post("/coach")
def coach_feedback(request: Request, user: Writer, form: Typed, kind: str | None = None) -> Response:
    """The coach's feedback on the text being typed (an htmx partial; it never blocks saving)."""
    text = form.get("text") if "text" in form else form.get("title")
    sent = form.get("kind")
    chosen = sent if sent in COACH_KINDS else kind if kind in COACH_KINDS else "key_result"
    return render(request, "partials/coach_feedback.html", {"coach": coach(text, str(chosen))})


# --- objectives -------------------------------------------------------------------------------------------------

OBJECTIVE_TEXTS = ("title", "description", "level", "type", "visibility")
OBJECTIVE_CHOICES = ("team_id", "owner_id", "parent_id")
OBJECTIVE_FORM = (*OBJECTIVE_TEXTS, "cycle_id", *OBJECTIVE_CHOICES, "version")


def _objective_changes(entered: Entered) -> dict[str, Any]:
    return entered.text(*OBJECTIVE_TEXTS) | entered.choices(*OBJECTIVE_CHOICES)


def _open_cycles(uow: UnitOfWork) -> list[model.Cycle]:
    return [c for c in uow.cycles.list() if c.status != "closed"]


def _default_cycle(cycles: list[model.Cycle]) -> model.Cycle | None:
    """The shortest active cycle around today (the quarter rather than the year)."""
    today = date.today()
    around = [c for c in cycles if c.status == "active" and c.start_date <= today <= c.end_date]
    return min(around or cycles, key=lambda c: c.end_date - c.start_date, default=None)


def _parent_groups(uow: UnitOfWork, viewer: model.User, own_id: int | None, current: str) -> list[tuple[str, Options]]:
    """Objectives the viewer may see to align under, grouped by cycle (open cycles, and the current parent)."""
    by_cycle: dict[int, Options] = {}
    for o in uow.objectives.list():
        if o.id != own_id and can_see_objective(viewer, o):
            by_cycle.setdefault(o.cycle_id, []).append((str(o.id), o.title))
    groups = []
    for cycle in sorted(uow.cycles.list(), key=lambda c: (c.start_date, c.end_date)):
        options = [
            (value, title)
            for value, title in by_cycle.get(cycle.id or 0, [])
            if cycle.status != "closed" or value == current
        ]
        if options:
            groups.append((cycle.name, options))
    return groups


def _objective_page(
    request: Request, koers: KoersDep, viewer: model.User, entered: Entered, objective: model.Objective | None = None
) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        cycles = _open_cycles(uow)
        cycle = uow.cycles.get(objective.cycle_id) if objective else None
        context = {
            "form": entered,
            "objective": objective,
            "cycle": cycle,
            "cycles": [(str(c.id), c.name) for c in cycles],
            "teams": team_options(uow),
            "people": people_options(uow),
            "parents": _parent_groups(
                uow, viewer, objective.id if objective else None, str(entered.values.get("parent_id", ""))
            ),
            "coach": coach(entered.values.get("title"), "objective"),
        }
    return render(request, "editors/objective.html", context, entered.status)


@router.get("/objectives/new")
def new_objective(
    request: Request,
    koers: KoersDep,
    viewer: Reader,
    parent_id: int | None = None,
    team_id: int | None = None,
    cycle_id: int | None = None,
) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        cycle = _default_cycle(_open_cycles(uow))
    team = team_id if team_id is not None else (viewer.team_ids[0] if viewer.team_ids else None)
    values = {"level": "tactical", "type": "committed", "visibility": "public", "title": "", "description": ""}
    values |= {"cycle_id": shown(cycle_id or (cycle.id if cycle else None)), "team_id": shown(team)}
    values |= {"owner_id": shown(viewer.id), "parent_id": shown(parent_id)}
    return _objective_page(request, koers, viewer, Entered(values))


@router.post("/objectives/new")
def create_objective(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, OBJECTIVE_FORM)
    cycle_id = entered.ident("cycle_id", required=True)
    changes = _objective_changes(entered)

    def save() -> model.Objective:
        with koers.uow(actor=user) as uow:
            return goals.create_objective(uow, model.Objective(cycle_id=cycle_id or 0, **changes))

    objective = entered.attempt(save)
    if objective is None:
        return _objective_page(request, koers, user, entered)
    if form.get("then") == "key_result":
        return see_other(f"/objectives/{objective.id}/key-results/new")
    return see_other(f"/objectives/{objective.id}")


def _editable_objective(uow: UnitOfWork, viewer: model.User, objective_id: int) -> model.Objective:
    objective = visible_objective(uow, objective_id)
    require(can_edit_objective(viewer, objective), f"you may not change objective {objective_id}")
    return objective


@router.get("/objectives/{objective_id:int}/edit")
def edit_objective(request: Request, koers: KoersDep, viewer: Reader, objective_id: int) -> Response:
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            objective = _editable_objective(uow, viewer, objective_id)
    except KoersError as error:
        return refused(request, error, f"/objectives/{objective_id}")
    values = filled(objective, OBJECTIVE_FORM)
    return _objective_page(request, koers, viewer, Entered(values), objective)


@router.post("/objectives/{objective_id:int}/edit")
def update_objective(request: Request, koers: KoersDep, user: Writer, form: Typed, objective_id: int) -> Response:
    entered = Entered.read(form, OBJECTIVE_FORM)
    version = entered.ident("version")
    changes = _objective_changes(entered)

    def save() -> model.Objective:
        with koers.uow(actor=user) as uow:
            return goals.update_objective(uow, objective_id, changes, version)

    if entered.attempt(save) is None:
        try:
            with koers.uow(read_only=True, actor=user) as uow:
                objective = visible_objective(uow, objective_id)
        except KoersError as error:
            return refused(request, error)
        return _objective_page(request, koers, user, entered, objective)
    if form.get("then") == "key_result":
        return see_other(f"/objectives/{objective_id}/key-results/new")
    return see_other(f"/objectives/{objective_id}")


@router.post("/objectives/{objective_id:int}/archive")
def archive_objective(request: Request, koers: KoersDep, user: Writer, objective_id: int) -> Response:
    try:
        with koers.uow(actor=user) as uow:
            goals.archive_objective(uow, objective_id)
    except KoersError as error:
        return refused(request, error, f"/objectives/{objective_id}")
    return see_other("/organisation")


# --- key results ------------------------------------------------------------------------------------------------

KR_TEXTS = ("title", "kind", "unit")
KR_NUMBERS = {
    "baseline": N_("Baseline"),
    "target": N_("Target"),
    "target_low": N_("Lowest value of the range"),
    "target_high": N_("Highest value of the range"),
}
KR_CHOICES = ("owner_id", "kpi_id")
KR_FORM = (*KR_TEXTS, *KR_NUMBERS, "weight", *KR_CHOICES, "version")


def _kr_changes(entered: Entered) -> dict[str, Any]:
    changes: dict[str, Any] = entered.text(*KR_TEXTS)
    changes |= entered.numbers({name: _(label) for name, label in KR_NUMBERS.items()})
    if "weight" in entered.values:
        changes["weight"] = entered.number("weight", _("Weight"), required=True)
    return changes | entered.choices(*KR_CHOICES)


def _kr_page(
    request: Request,
    koers: KoersDep,
    viewer: model.User,
    entered: Entered,
    objective: model.Objective,
    kr: model.KeyResult | None = None,
) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        context = {
            "form": entered,
            "objective": objective,
            "kr": kr,
            "kinds": list(model.KR_KINDS),
            "people": people_options(uow),
            "kpis": [(str(k.id), k.name) for k in uow.kpis.list()],
            "coach": coach(entered.values.get("title"), "key_result"),
        }
    return render(request, "editors/key_result.html", context, entered.status)


@router.get("/objectives/{objective_id:int}/key-results/new")
def new_key_result(request: Request, koers: KoersDep, viewer: Reader, objective_id: int) -> Response:
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            objective = _editable_objective(uow, viewer, objective_id)
    except KoersError as error:
        return refused(request, error, f"/objectives/{objective_id}")
    values = {"title": "", "kind": "increase", "unit": "", "weight": shown(1), "owner_id": shown(viewer.id)}
    return _kr_page(request, koers, viewer, Entered(values), objective)


@router.post("/objectives/{objective_id:int}/key-results/new")
def create_key_result(request: Request, koers: KoersDep, user: Writer, form: Typed, objective_id: int) -> Response:
    entered = Entered.read(form, KR_FORM)
    changes = _kr_changes(entered)

    def save() -> model.KeyResult:
        with koers.uow(actor=user) as uow:
            return goals.create_key_result(uow, model.KeyResult(objective_id=objective_id, **changes))

    if entered.attempt(save) is None:
        try:
            with koers.uow(read_only=True, actor=user) as uow:
                objective = visible_objective(uow, objective_id)
        except KoersError as error:
            return refused(request, error)
        return _kr_page(request, koers, user, entered, objective)
    if form.get("then") == "another":
        return see_other(f"/objectives/{objective_id}/key-results/new")
    return see_other(f"/objectives/{objective_id}")


@router.get("/key-results/{kr_id:int}/edit")
def edit_key_result(request: Request, koers: KoersDep, viewer: Reader, kr_id: int) -> Response:
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            kr, objective = visible_key_result(uow, kr_id)
            require(can_edit_key_result(viewer, kr, objective), f"you may not change key result {kr_id}")
    except KoersError as error:
        return refused(request, error)
    return _kr_page(request, koers, viewer, Entered(filled(kr, KR_FORM)), objective, kr)


@router.post("/key-results/{kr_id:int}/edit")
def update_key_result(request: Request, koers: KoersDep, user: Writer, form: Typed, kr_id: int) -> Response:
    entered = Entered.read(form, KR_FORM)
    version = entered.ident("version")
    changes = _kr_changes(entered)

    def save() -> model.KeyResult:
        with koers.uow(actor=user) as uow:
            return goals.update_key_result(uow, kr_id, changes, version)

    kr = entered.attempt(save)
    if kr is None:
        try:
            with koers.uow(read_only=True, actor=user) as uow:
                stored, objective = visible_key_result(uow, kr_id)
        except KoersError as error:
            return refused(request, error)
        return _kr_page(request, koers, user, entered, objective, stored)
    return see_other(f"/objectives/{kr.objective_id}")


@router.post("/key-results/{kr_id:int}/archive")
def archive_key_result(request: Request, koers: KoersDep, user: Writer, kr_id: int) -> Response:
    try:
        with koers.uow(actor=user) as uow:
            kr = goals.archive_key_result(uow, kr_id)
    except KoersError as error:
        return refused(request, error)
    return see_other(f"/objectives/{kr.objective_id}")


# --- KPIs -------------------------------------------------------------------------------------------------------

KPI_TEXTS = ("name", "description", "unit", "direction")
KPI_NUMBERS = {
    "target": N_("Target"),
    "target_low": N_("Lowest value of the range"),
    "target_high": N_("Highest value of the range"),
    "green_at": N_("Green from"),
    "red_at": N_("Red from"),
}
KPI_CHOICES = ("team_id", "owner_id")
KPI_FORM = (*KPI_TEXTS, *KPI_NUMBERS, *KPI_CHOICES, "version")


def _kpi_changes(entered: Entered) -> dict[str, Any]:
    numbers = entered.numbers({name: _(label) for name, label in KPI_NUMBERS.items()})
    return entered.text(*KPI_TEXTS) | numbers | entered.choices(*KPI_CHOICES)


def _kpi_page(
    request: Request, koers: KoersDep, viewer: model.User, entered: Entered, kpi: model.Kpi | None = None
) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        context = {
            "form": entered,
            "kpi": kpi,
            "directions": list(model.KPI_DIRECTIONS),
            "teams": team_options(uow),
            "people": people_options(uow),
        }
    return render(request, "editors/kpi.html", context, entered.status)


@router.get("/kpis/new")
def new_kpi(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    team = viewer.team_ids[0] if viewer.team_ids else None
    values = {"name": "", "description": "", "unit": "", "direction": "higher_is_better"}
    values |= {"team_id": shown(team), "owner_id": shown(viewer.id)}
    return _kpi_page(request, koers, viewer, Entered(values))


@router.post("/kpis/new")
def create_kpi(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, KPI_FORM)
    changes = _kpi_changes(entered)

    def save() -> model.Kpi:
        with koers.uow(actor=user) as uow:
            return progress.create_kpi(uow, model.Kpi(**changes))

    kpi = entered.attempt(save)
    if kpi is None:
        return _kpi_page(request, koers, user, entered)
    return see_other(f"/kpis/{kpi.id}")


@router.get("/kpis/{kpi_id:int}/edit")
def edit_kpi(request: Request, koers: KoersDep, viewer: Reader, kpi_id: int) -> Response:
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            kpi = uow.kpis.get(kpi_id)
            require(can_edit_kpi(viewer, kpi), f"you may not change KPI {kpi_id}")
    except KoersError as error:
        return refused(request, error, "/kpis")
    return _kpi_page(request, koers, viewer, Entered(filled(kpi, KPI_FORM)), kpi)


@router.post("/kpis/{kpi_id:int}/edit")
def update_kpi(request: Request, koers: KoersDep, user: Writer, form: Typed, kpi_id: int) -> Response:
    entered = Entered.read(form, KPI_FORM)
    version = entered.ident("version")
    changes = _kpi_changes(entered)

    def save() -> model.Kpi:
        with koers.uow(actor=user) as uow:
            return progress.update_kpi(uow, kpi_id, changes, version)

    if entered.attempt(save) is None:
        try:
            with koers.uow(read_only=True, actor=user) as uow:
                kpi = uow.kpis.get(kpi_id)
        except KoersError as error:
            return refused(request, error, "/kpis")
        return _kpi_page(request, koers, user, entered, kpi)
    return see_other(f"/kpis/{kpi_id}")


@router.post("/kpis/{kpi_id:int}/archive")
def archive_kpi(request: Request, koers: KoersDep, user: Writer, kpi_id: int) -> Response:
    try:
        with koers.uow(actor=user) as uow:
            progress.archive_kpi(uow, kpi_id)
    except KoersError as error:
        return refused(request, error, "/kpis")
    return see_other("/kpis")


# --- initiatives ------------------------------------------------------------------------------------------------

INITIATIVE_FORM = ("title", "status", "owner_id", "due_date", "belongs_to", "version")
# an initiative moves an objective ("o:12") or one of its key results ("k:34"): one select for both
BELONGS = {"objective_id": "belongs_to", "key_result_id": "belongs_to"}


def _initiative_changes(entered: Entered) -> dict[str, Any]:
    changes: dict[str, Any] = entered.text("title", "status") | entered.choices("owner_id")
    if "due_date" in entered.values:
        changes["due_date"] = entered.day("due_date")
    if "belongs_to" in entered.values:
        kind, _sep, number = str(entered.values["belongs_to"]).partition(":")
        if kind not in ("o", "k") or not number.isdigit() or len(number) > 12:
            entered.errors["belongs_to"] = _("Choose one of the options.")
        else:
            changes["objective_id"] = int(number) if kind == "o" else None
            changes["key_result_id"] = int(number) if kind == "k" else None
    return changes


def _belongs_groups(uow: UnitOfWork, viewer: model.User, current: str) -> list[tuple[str, Options]]:
    """Objectives the viewer may change (in open cycles), each with its key results."""
    open_cycles = {c.id for c in _open_cycles(uow)}
    key_results: dict[int, Options] = {}
    for kr in uow.key_results.list():
        key_results.setdefault(kr.objective_id, []).append((f"k:{kr.id}", kr.title))
    groups = []
    for objective in uow.objectives.list():
        options = [(f"o:{objective.id}", _("The objective itself")), *key_results.get(objective.id or 0, [])]
        editable = objective.cycle_id in open_cycles and can_edit_objective(viewer, objective)
        if editable or current in {value for value, _title in options}:
            groups.append((objective.title, options))
    return groups


def _initiative_page(
    request: Request, koers: KoersDep, viewer: model.User, entered: Entered, initiative: model.Initiative | None = None
) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        context = {
            "form": entered,
            "initiative": initiative,
            "statuses": list(model.INITIATIVE_STATUSES),
            "people": people_options(uow),
            "groups": _belongs_groups(uow, viewer, str(entered.values.get("belongs_to", ""))),
            "back": _back_to(uow, str(entered.values.get("belongs_to", ""))),
        }
    return render(request, "editors/initiative.html", context, entered.status)


def _back_to(uow: UnitOfWork, belongs_to: str) -> str:
    """The objective page the initiative form came from ("o:12" or "k:34")."""
    kind, _sep, number = belongs_to.partition(":")
    if number.isdigit() and kind == "o":
        return f"/objectives/{number}"
    kr = uow.key_results.find(int(number)) if number.isdigit() and kind == "k" else None
    return f"/objectives/{kr.objective_id}" if kr else "/week"


def _objective_of(uow: UnitOfWork, initiative: model.Initiative) -> int:
    if initiative.key_result_id is not None:
        return uow.key_results.get(initiative.key_result_id).objective_id
    return initiative.objective_id or 0


@router.get("/initiatives/new")
def new_initiative(
    request: Request,
    koers: KoersDep,
    viewer: Reader,
    objective_id: int | None = None,
    key_result_id: int | None = None,
) -> Response:
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            if key_result_id is not None:
                visible_key_result(uow, key_result_id)
            elif objective_id is not None:
                visible_objective(uow, objective_id)
    except KoersError as error:
        return refused(request, error)
    belongs = f"k:{key_result_id}" if key_result_id is not None else f"o:{objective_id}" if objective_id else ""
    values = {"title": "", "status": "planned", "owner_id": shown(viewer.id), "due_date": "", "belongs_to": belongs}
    return _initiative_page(request, koers, viewer, Entered(values))


@router.post("/initiatives/new")
def create_initiative(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, INITIATIVE_FORM)
    if "belongs_to" not in entered.values:
        entered.values["belongs_to"] = ""
    changes = _initiative_changes(entered)

    def save() -> int:
        with koers.uow(actor=user) as uow:
            return _objective_of(uow, goals.create_initiative(uow, model.Initiative(**changes)))

    objective_id = entered.attempt(save, BELONGS)
    if objective_id is None:
        return _initiative_page(request, koers, user, entered)
    return see_other(f"/objectives/{objective_id}")


def _initiative_objective(uow: UnitOfWork, initiative: model.Initiative) -> model.Objective:
    if initiative.key_result_id is not None:
        return visible_key_result(uow, initiative.key_result_id)[1]
    return visible_objective(uow, initiative.objective_id or 0)


@router.get("/initiatives/{initiative_id:int}/edit")
def edit_initiative(request: Request, koers: KoersDep, viewer: Reader, initiative_id: int) -> Response:
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            initiative = uow.initiatives.get(initiative_id)
            objective = _initiative_objective(uow, initiative)
            allowed = initiative.owner_id == viewer.id or can_edit_objective(viewer, objective)
            require(allowed, f"you may not change initiative {initiative_id}")
    except KoersError as error:
        return refused(request, error)
    values = filled(initiative, ("title", "status", "owner_id", "due_date", "version"))
    values["belongs_to"] = f"k:{initiative.key_result_id}" if initiative.key_result_id else f"o:{objective.id}"
    return _initiative_page(request, koers, viewer, Entered(values), initiative)


@router.post("/initiatives/{initiative_id:int}/edit")
def update_initiative(request: Request, koers: KoersDep, user: Writer, form: Typed, initiative_id: int) -> Response:
    entered = Entered.read(form, INITIATIVE_FORM)
    version = entered.ident("version")
    changes = _initiative_changes(entered)

    def save() -> int:
        with koers.uow(actor=user) as uow:
            return _objective_of(uow, goals.update_initiative(uow, initiative_id, changes, version))

    objective_id = entered.attempt(save, BELONGS)
    if objective_id is None:
        try:
            with koers.uow(read_only=True, actor=user) as uow:
                initiative = uow.initiatives.get(initiative_id)
                _initiative_objective(uow, initiative)
        except KoersError as error:
            return refused(request, error)
        return _initiative_page(request, koers, user, entered, initiative)
    return see_other(f"/objectives/{objective_id}")


@router.post("/initiatives/{initiative_id:int}/archive")
def archive_initiative(request: Request, koers: KoersDep, user: Writer, initiative_id: int) -> Response:
    try:
        with koers.uow(actor=user) as uow:
            objective_id = _objective_of(uow, goals.archive_initiative(uow, initiative_id))
    except KoersError as error:
        return refused(request, error)
    return see_other(f"/objectives/{objective_id}")
