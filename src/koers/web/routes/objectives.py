"""An objective's page: score, key results with bars and history charts, timeline, initiatives, KPIs, and the
explanation of how its score is computed."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain import explanation
from koers.domain.errors import NotFound
from koers.domain.explanation import SCORE, Step
from koers.http.deps import KoersDep
from koers.services.findings import goal_flags
from koers.services.read.objective import objective_detail
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.session import Viewer
from koers.web.vocabulary import N_
from koers.wording import localised_number

router = APIRouter(include_in_schema=False)


@router.get("/objectives/{objective_id:int}")
def objective_page(request: Request, koers: KoersDep, viewer: Viewer, objective_id: int) -> Response:
    if not 0 < objective_id < 2**31:
        raise NotFound("objective.not_found", id=objective_id)
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = objective_detail(uow, objective_id, date.today())
        kr_ids = [kr["id"] for kr in data["key_results"]]
        data["coach_flags"] = goal_flags(uow, objective_id, kr_ids)  # what the coach found at the last save
    # Each key result's chart (`reports.charts.key_result_chart`) is drawn by the template, in the reader's language.
    return render(request, "objective.html", {**data, "formula_text": formula_text})


# Where the page words a step of the explanation more plainly than the domain's template; the same values fill it.
PLAINER = {
    SCORE: N_("score = 100 × {p:.4g}, kept between 0 and 100 and rounded to one decimal = {score:.1f}"),
    "{lo:g} ≤ {v:g} ≤ {hi:g}, so p = 1 = {p:.4g}": N_("{lo:g} ≤ {v:g} ≤ {hi:g}, so p = 1"),
    "p = {met:d} / {n:d} values ≥ {t:g} = {p:.4g}": N_("p = {met:d} of {n:d} values ≥ {t:g} = {p:.4g}"),
    "p = {met:d} / {n:d} values ≤ {t:g} = {p:.4g}": N_("p = {met:d} of {n:d} values ≤ {t:g} = {p:.4g}"),
    "no values yet, p = 0 = {p:.4g}": N_("no values yet, so p = 0"),
    "score = none": N_("no score"),
}


def _translated(template: str) -> str:
    return _(PLAINER.get(template, template))


def formula_text(step: Step) -> str:
    """A step of the score's explanation in the reader's language, with numbers as the locale writes them."""
    return explanation.render(step, localised_number, _translated)
