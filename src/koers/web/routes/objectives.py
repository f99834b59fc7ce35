"""An objective's page: score, key results with bars and history charts, timeline, initiatives, KPIs, and the
explanation of how its score is computed."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from babel.numbers import format_decimal
from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.api.deps import KoersDep
from koers.domain.errors import NotFound
from koers.services.overview import objective_detail
from koers.web.charts import Chart, history_chart
from koers.web.i18n import current_locale, number, score
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.session import Viewer
from koers.web.vocabulary import N_

router = APIRouter(include_in_schema=False)


@router.get("/objectives/{objective_id:int}")
def objective_page(request: Request, koers: KoersDep, viewer: Viewer, objective_id: int) -> Response:
    if not 0 < objective_id < 2**31:
        raise NotFound(f"objective {objective_id} does not exist")
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


# The explanation's formulas (domain/explanation.py) in the reader's language, numbers in the locale's format.
RULES = {
    "p = 1 when lo ≤ v ≤ hi": N_("p = 1 when lo ≤ v ≤ hi"),
    "baseline above the range: p = (b − v) / (b − hi)": N_("baseline above the range: p = (b − v) / (b − hi)"),
    "baseline below the range: p = (v − b) / (lo − b)": N_("baseline below the range: p = (v − b) / (lo − b)"),
    "baseline inside the range and v outside it: p = 0": N_("baseline inside the range and v outside it: p = 0"),
    "p = share of this cycle's values ≥ t": N_("p = share of this cycle's values ≥ t"),
    "p = share of this cycle's values ≤ t": N_("p = share of this cycle's values ≤ t"),
    "p = v (0 not done, 1 done)": N_("p = v (0 not done, 1 done)"),
    "score = Σ(score × weight) / Σ weight": N_("score = Σ(score × weight) / Σ weight"),
    "no key results: score = mean of aligned objectives": N_("no key results: score = mean of aligned objectives"),
    "no key results and no scored aligned objectives: no score": N_(
        "no key results and no scored aligned objectives: no score"
    ),
    "score = none": N_("no score"),
}
FILLED = [
    (re.compile(p), m)
    for p, m in [
        (r"(?P<lo>\S+) ≤ (?P<v>\S+) ≤ (?P<hi>\S+), so p = 1 = 1", N_("%(lo)s ≤ %(v)s ≤ %(hi)s, so p = 1")),
        (
            r"p = (?P<met>\d+) / (?P<n>\d+) values (?P<sign>[≥≤]) (?P<t>\S+) = (?P<p>\S+)",
            N_("p = %(met)s of %(n)s values %(sign)s %(t)s = %(p)s"),
        ),
        (r"no values yet, p = 0 = 0", N_("no values yet, so p = 0")),
        (
            r"score = round\(100 × clamp\((?P<p>\S+), 0, 1\), 1\) = (?P<score>\S+)",
            N_("score = 100 × %(p)s, kept between 0 and 100 and rounded to one decimal = %(score)s"),
        ),
    ]
]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def formula_text(text: str) -> str:
    """A rule or filled-in formula of the explanation, translated, with numbers as the locale writes them."""
    if text in RULES:
        return _(RULES[text])
    for pattern, message in FILLED:
        match = pattern.fullmatch(text)
        if match:
            return _(message) % {name: _localised(name, value) for name, value in match.groupdict().items()}
    return localised_numbers(text)


def _localised(name: str, value: str) -> str:
    if name == "sign":
        return value
    return score(float(value)) if name == "score" else localised_numbers(value)


def localised_numbers(text: str) -> str:
    """Every number in a formula written the locale's way (7,5 in Dutch), with as many decimals as it had."""

    def written(match: re.Match[str]) -> str:
        digits = match.group()
        if "e" in digits:
            return number(float(digits), 6)
        decimals = len(digits.partition(".")[2])
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
        return format_decimal(float(digits), format=pattern, locale=current_locale.get())

    return NUMBER.sub(written, text)
