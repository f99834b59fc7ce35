"""My week: the key results waiting for a check-in, each with a one-step check-in that updates in place."""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from koers.bootstrap import Koers
from koers.domain.errors import KoersError
from koers.http.deps import KoersDep
from koers.http.errors import status_of
from koers.services.check_ins import record_check_in
from koers.services.read.attention import my_teams_attention
from koers.services.read.week import checked_in, key_result_item, my_week, score_changes, visible_changes
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.routes import insight
from koers.web.session import Changer, Viewer
from koers.wording import localise

router = APIRouter(include_in_schema=False)
MAX_CHANGES = 10  # objectives named after a check-in (its objective and those it is aligned under)
CHANGE = re.compile(r"(?P<id>[1-9]\d{0,9}):(?P<before>\d{1,3}(?:\.\d)?)?:(?P<after>\d{1,3}(?:\.\d)?)?")


@router.get("/")
def home(viewer: Viewer) -> Response:
    return RedirectResponse("/week", status_code=303)


@router.get("/week")
def week(
    request: Request, koers: KoersDep, viewer: Viewer, changed: Annotated[str, Query(max_length=400)] = ""
) -> Response:
    zone, today = _calendar(koers)
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = my_week(uow, viewer, today, zone)
        data["team_attention"] = my_teams_attention(uow, viewer, today)  # first for a team lead
        data["changes"] = visible_changes(uow, viewer, _read_changes(changed))
    return render(request, "week.html", {**data, "reason": insight.reason, "failed": None})


@router.post("/week/key-results/{kr_id}/check-in")
def check_in(
    request: Request,
    koers: KoersDep,
    user: Changer,
    kr_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    value: Annotated[str, Form(max_length=50)] = "",
    confidence: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """One check-in: the value read as typed in the reader's language and the key result's unit; htmx swaps in
    the item with its new score and the objectives' score changes, or the error with everything typed kept."""
    htmx = request.headers.get("hx-request") == "true"
    zone, today = _calendar(koers)
    state: dict[str, Any] = {"value": value, "confidence": confidence, "note": note}
    try:
        with koers.uow(actor=user) as uow:
            result = record_check_in(
                uow, kr_id, value, confidence or None, note, author_id=user.id, locale=request.state.locale
            )
            item = checked_in(uow, result, today, zone)  # the new score as the check-in left it
            changes = score_changes(uow, user, result)
    except KoersError as problem:
        status = status_of(problem)
        if status in (403, 404):
            page = {"title": _("Check-in not saved"), "message": localise(problem), "back": "/week"}
            return render(request, "message.html", page, status)
        state["error"] = localise(problem)
        if htmx:  # 200: htmx swaps in only a 2xx answer, errors included
            with koers.uow(read_only=True, actor=user) as uow:
                item = key_result_item(uow, kr_id, today, zone)
            return render(request, "partials/week_item.html", {"kr": item, "state": state})
        with koers.uow(read_only=True, actor=user) as uow:  # without JavaScript: the whole page, the form as typed
            data = my_week(uow, user, today, zone)
            data["team_attention"] = my_teams_attention(uow, user, today)
        again = {**data, "reason": insight.reason, "failed": {"id": kr_id, **state}, "changes": []}
        return render(request, "week.html", again, status)
    if not htmx:  # post, redirect, get: My week says what changed
        return RedirectResponse(f"/week?changed={_write_changes(changes)}#kr-{kr_id}", status_code=303)
    return render(request, "partials/week_item.html", {"kr": item, "state": {"saved": True, "changes": changes}})


def _calendar(koers: Koers) -> tuple[tzinfo, date]:
    """The organisation's time zone (`KOERS_TIMEZONE`) and today's date there: the calendar My week counts in."""
    zone = koers.settings.zone
    return zone, datetime.now(zone).date()


def _write_changes(changes: list[dict[str, Any]]) -> str:
    """The objectives' scores before and after, for the redirect: `id:before:after` joined by `,`."""
    return ",".join(f"{c['id']}:{_score(c['before'])}:{_score(c['score'])}" for c in changes[:MAX_CHANGES])


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _read_changes(text: str) -> list[tuple[int, float | None, float | None]]:
    """What `_write_changes` wrote; anything else is ignored (it only ever shows the reader's own objectives)."""
    found: list[tuple[int, float | None, float | None]] = []
    for part in text.split(",")[:MAX_CHANGES]:
        match = CHANGE.fullmatch(part)
        if match is None:
            continue
        before, after = (None if not x else float(x) for x in (match["before"], match["after"]))
        if all(x is None or 0 <= x <= 100 for x in (before, after)):
            found.append((int(match["id"]), before, after))
    return found
