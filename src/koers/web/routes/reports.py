"""A cycle's report from the cycles page: HTML in the browser, or PDF, XLSX or CSV to download.

The same read model and renderers as the API (`services.read.report`, `reports.download`), built as the viewer:
objectives the viewer may not see are left out of titles and totals alike.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from koers.domain.errors import KoersError, NotFound
from koers.http.deps import KoersDep
from koers.http.errors import status_of
from koers.reports.download import report_download
from koers.reports.formats import FORMATS
from koers.services.read.report import cycle_report, find_cycle
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.routes.organisation import chosen_id
from koers.web.session import Viewer
from koers.wording import localise

router = APIRouter(include_in_schema=False)


@router.get("/cycles/{cycle_id:int}/report")
def cycle_report_file(
    request: Request,
    koers: KoersDep,
    viewer: Viewer,
    cycle_id: int,
    format: Annotated[str, Query(max_length=12)] = "html",
    team_id: Annotated[str, Query(max_length=12)] = "",
) -> Response:
    if format not in FORMATS:
        page = {"title": _("No such report"), "message": _("This report format does not exist."), "back": "/cycles"}
        return render(request, "message.html", page, 404)
    team = chosen_id(team_id)
    try:
        if team_id and team is None:  # a team asked for that cannot exist: no silent fall back to the organisation
            raise NotFound("team.not_found", id=team_id)
        with koers.uow(read_only=True, actor=viewer) as uow:
            report = cycle_report(uow, find_cycle(uow, cycle_id), date.today(), team)
    except KoersError as error:
        page = {"title": _("No such report"), "message": localise(error), "back": "/cycles"}
        return render(request, "message.html", page, status_of(error))
    lang = getattr(request.state, "locale", None)
    download = report_download(report, format, lang, viewer.name or viewer.email, html_inline=True)
    return Response(download.content, media_type=download.media_type, headers=download.headers)
