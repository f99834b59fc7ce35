"""The management team's pages: what changed in a week, and the roll-up per team."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from koers.http.deps import KoersDep
from koers.services.read.changes import changes_page
from koers.services.read.team_rollup import team_rollup
from koers.web.forms import record_id
from koers.web.rendering import render
from koers.web.session import Viewer

router = APIRouter(include_in_schema=False)


def chosen_day(text: str) -> date | None:
    """A day from the week picker (YYYY-MM-DD); anything else means this week."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


@router.get("/changes")
def changes(
    request: Request,
    koers: KoersDep,
    viewer: Viewer,
    since: Annotated[str, Query(max_length=10)] = "",
    team_id: Annotated[str, Query(max_length=12)] = "",
) -> Response:
    zone = koers.settings.zone
    today = datetime.now(zone).date()
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = changes_page(uow, today, chosen_day(since), record_id(team_id), zone)
    return render(request, "changes.html", data)


@router.get("/teams")
def teams(
    request: Request, koers: KoersDep, viewer: Viewer, cycle_id: Annotated[str, Query(max_length=12)] = ""
) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = team_rollup(uow, date.today(), record_id(cycle_id))
    return render(request, "teams.html", data)
