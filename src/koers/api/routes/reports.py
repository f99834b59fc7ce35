"""The cycle report as a file: HTML, PDF, XLSX or CSV, built as the token's user (what they may not see is left out)."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from koers.api import schemas as s
from koers.api.deps import CurrentUser, ReadUow
from koers.api.routes.resources import ERRORS
from koers.reports.download import report_download
from koers.reports.formats import FORMATS
from koers.services.read.report import cycle_report, find_cycle

router = APIRouter(responses=ERRORS)


class ReportQuery(BaseModel):
    format: Literal["html", "pdf", "xlsx", "csv"] = "html"
    team_id: s.Id | None = None
    lang: Literal["nl", "en"] | None = Field(default=None, description="Default: the user's language.")


@router.get(
    "/reports/cycles/{cycle_id}",
    tags=["reports"],
    summary="A cycle's report (objectives, key results, scores or grades, charts, attention, KPIs) as a file",
    operation_id="cycle_report",
    response_class=Response,
    responses={
        200: {
            "description": "The report in the asked format",
            "content": {fmt.media_type.split(";")[0]: {} for fmt in FORMATS.values()},
        }
    },
)
def get_cycle_report(
    uow: ReadUow, user: CurrentUser, cycle_id: s.Id, query: Annotated[ReportQuery, Query()]
) -> Response:
    report = cycle_report(uow, find_cycle(uow, cycle_id), date.today(), query.team_id)
    download = report_download(report, query.format, query.lang or user.locale, user.name or user.email)
    return Response(download.content, media_type=download.media_type, headers=download.headers)
