"""An objective's page: score, key results with bars and history charts, timeline, initiatives, KPIs, and the
explanation of how its score is computed."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain import explanation
from koers.domain.errors import NotFound
from koers.domain.explanation import SCORE, Step
from koers.http.deps import KoersDep
from koers.services.read.objective import objective_detail
from koers.web.charts import Chart, history_chart
from koers.web.i18n import gettext_ as _
from koers.web.messages import localised_number
from koers.web.rendering import render
from koers.web.session import Viewer
from koers.web.vocabulary import N_

router = APIRouter(include_in_schema=False)


@router.get("/objectives/{objective_id:int}")
def objective_page(request: Request, koers: KoersDep, viewer: Viewer, objective_id: int) -> Response:
    if not 0 < objective_id < 2**31:
        raise NotFound("objective.not_found", id=objective_id)
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = objective_detail(uow, objective_id, date.today())
    cycle = data["objective"]["cycle"]
    for kr in data["key_results"]:
        kr["chart"] = key_result_chart(kr, cycle["start_date"], cycle["end_date"])
        shown = [value for _, value in kr["readings"]] + [v for v in pace_line(kr) if v is not None]
        kr["scale"] = (min(shown), max(shown)) if shown else (None, None)
    return render(request, "objective.html", {**data, "formula_text": formula_text})


def key_result_chart(kr: dict[str, Any], start: date, end: date) -> Chart:
    """Check-ins and KPI values over the cycle; the dashed line is the expected pace (the target, for maintain kinds)."""
    begin, goal = pace_line(kr)
    return history_chart(kr["readings"], start, end, begin, goal)


def pace_line(kr: dict[str, Any]) -> tuple[float | None, float | None]:
    """Where the expected-pace line starts and ends."""
    kind, baseline = kr["kind"], kr["baseline"] if kr["baseline"] is not None else 0.0
    if kind in ("above", "below"):
        return kr["target"], kr["target"]
    if kind == "milestone":
        return 0.0, 1.0
    if kind == "range":
        low, high = kr["target_low"], kr["target_high"]
        if low is None or high is None or low <= baseline <= high:
            return None, None
        return baseline, (high if baseline > high else low)
    return baseline, kr["target"]


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
