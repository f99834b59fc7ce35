"""What needs attention, confidence calibration per team, and ambition across closed cycles."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from koers.domain.errors import KoersError, NotFound
from koers.http.deps import KoersDep
from koers.reports.charts import CalibrationLevel, calibration_chart
from koers.services.guardrails import editable_key_result, set_guardrails
from koers.services.permissions import visible_key_result
from koers.services.read.ambition import ambition
from koers.services.read.attention import attention_by_team
from koers.services.read.calibration import calibration_report
from koers.services.read.views import kpi_view
from koers.storage.unit_of_work import UnitOfWork
from koers.web import i18n
from koers.web.flow import act, refused
from koers.web.forms import Reader, Typed, Writer, record_id
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.routes.cycles import grade
from koers.web.routes.organisation import chosen_id
from koers.web.vocabulary import label

router = APIRouter(include_in_schema=False)


def N_(message: str) -> str:
    """Mark a text for the catalogue without translating it yet."""
    return message


REASONS = {
    "no_recent_check_in": (N_("no recent check-in"), "s-not_started"),
    "off_track": (N_("off track"), "s-off_track"),
    "at_risk": (N_("at risk"), "s-at_risk"),
    "forecast_below_target": (N_("forecast below target"), "s-amber"),
    "confidence_disagrees": (N_("confidence disagrees with forecast"), "s-amber"),
    "guardrail": (N_("guardrail KPI in the red or amber"), "s-red"),
}


def reason(code: str) -> dict[str, str]:
    """A reason's label in the reader's language and its badge style."""
    text, style = REASONS.get(code, (code, "s-none"))
    return {"label": _(text), "style": style}


@router.get("/attention")
def attention_page(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = attention_by_team(uow, date.today())
    return render(request, "attention.html", {**data, "reason": reason})


@router.get("/calibration")
def calibration_page(
    request: Request, koers: KoersDep, viewer: Reader, team_id: Annotated[str, Query(max_length=12)] = ""
) -> Response:
    chosen = chosen_id(team_id)
    with koers.uow(read_only=True, actor=viewer) as uow:
        teams = [{"id": t.id, "name": t.name} for t in sorted(uow.teams.list(), key=lambda t: t.name.lower())]
        data = calibration_report(uow, team_id=chosen)
        names = {u.id: u.name or u.email for u in uow.users.list_for("id", [o["owner_id"] for o in data["owners"]])}
    levels = [
        CalibrationLevel(level["confidence"], level["predicted"], level["achieved"], level["check_ins"])
        for level in data["levels"]
        if level["achieved"] is not None
    ]
    team_name = next((t["name"] for t in teams if t["id"] == chosen), None)
    title = _("Predicted and achieved: %(team)s") % {"team": team_name or _("Whole organisation")}
    labels = {code: _(label(code)) for code in ("on_track", "at_risk", "off_track")}
    chart = calibration_chart(title, levels, labels, lang=i18n.current_locale.get())
    page = {**data, "teams": teams, "team_id": chosen, "team_name": team_name, "names": names, "chart": chart}
    return render(request, "calibration.html", page)


@router.get("/ambition")
def ambition_page(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = ambition(uow)
    return render(request, "ambition.html", {**data, "grade": grade})


@router.get("/key-results/{kr_id:int}/guardrails")
def guardrails_page(request: Request, koers: KoersDep, viewer: Reader, kr_id: int) -> Response:
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            kr, objective = editable_key_result(uow, kr_id)
            chosen = set(uow.insight.guardrails([kr_id]).get(kr_id, []))
            kpis = [
                {**kpi_view(k), "chosen": k.id in chosen}
                for k in sorted(uow.kpis.list(), key=lambda k: k.name.lower())
                if k.id != kr.kpi_id  # the KPI it follows is no counter-metric of itself
            ]
    except KoersError as error:
        return refused(request, error, "/")
    page = {"kr": kr, "objective": objective, "kpis": kpis}
    return render(request, "guardrails.html", page)


@router.post("/key-results/{kr_id:int}/guardrails")
def save_guardrails(request: Request, koers: KoersDep, user: Writer, form: Typed, kr_id: int) -> Response:
    def change(uow: UnitOfWork) -> int:
        editable_key_result(uow, kr_id)  # a refusal before anything about the form
        ids = [record_id(str(text)) for text in form.getlist("kpi_id")]
        if None in ids:
            raise NotFound("kpi.not_found", id=0)
        set_guardrails(uow, kr_id, [i for i in ids if i is not None])
        return visible_key_result(uow, kr_id)[1].id or 0

    return act(request, koers, user, change, lambda objective_id: f"/objectives/{objective_id}#kr-{kr_id}")
