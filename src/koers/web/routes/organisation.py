"""Organisation: the alignment tree from strategic objectives down to the teams' tactical ones."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from koers.http.deps import KoersDep
from koers.services.read.alignment import alignment_tree
from koers.web.forms import record_id
from koers.web.rendering import render
from koers.web.session import Viewer

router = APIRouter(include_in_schema=False)


def chosen_id(text: str) -> int | None:
    """An id from a filter field; empty or anything else means no choice."""
    return record_id(text)


@router.get("/organisation")
def organisation(
    request: Request,
    koers: KoersDep,
    viewer: Viewer,
    cycle_id: Annotated[str, Query(max_length=12)] = "",
    team_id: Annotated[str, Query(max_length=12)] = "",
) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = alignment_tree(uow, date.today(), chosen_id(cycle_id), chosen_id(team_id))
    # the filter form updates only the tree in place; history restores and plain requests get the whole page
    partial = request.headers.get("hx-target") == "tree" and not request.headers.get("hx-history-restore-request")
    return render(request, "partials/org_tree.html" if partial else "organisation.html", data)
