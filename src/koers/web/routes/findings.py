"""The coach's trace: the organisation's goals with open findings, per team (everyone may look: transparency)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain.errors import KoersError
from koers.http.deps import KoersDep
from koers.services.findings import open_findings
from koers.web.flow import refused
from koers.web.forms import record_id
from koers.web.rendering import render
from koers.web.session import Viewer

router = APIRouter(include_in_schema=False)


@router.get("/findings")
def findings_page(request: Request, koers: KoersDep, viewer: Viewer, cycle: str = "", team: str = "") -> Response:
    """Goals whose text the coach flagged at their last save, in the open cycles (or one cycle), per team."""
    cycle_id, team_id = record_id(cycle), record_id(team)
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            chosen = uow.cycles.get(cycle_id) if cycle_id else None
            found = open_findings(uow, chosen, team_id)
            cycles = sorted(uow.cycles.list(), key=lambda c: (c.start_date, c.end_date), reverse=True)
    except KoersError as error:
        return refused(request, error, "/findings")
    context = {"found": found, "cycles": cycles, "cycle_id": cycle_id, "team_id": team_id}
    return render(request, "findings.html", context)
