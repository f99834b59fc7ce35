"""The data-source panel of a KPI and of a key result: configure, dry-run, the last runs and errors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from koers.domain.errors import KoersError, ValidationError
from koers.domain.sources import KIND_SETTINGS
from koers.http.deps import KoersDep
from koers.services import sources
from koers.web.flow import refused, see_other
from koers.web.forms import Reader, Typed, Writer
from koers.web.rendering import render
from koers.wording import localise

router = APIRouter(include_in_schema=False)
FIELDS = ("kind", "url", "query", "selector", "column", "aggregate", "locale", "every")
KINDS = ("http_json", "csv", "sql", "push")
PATHS = {"kpi": "kpis", "key_result": "key-results"}


def _settings(form: FormData) -> dict[str, Any]:
    """The source's settings as typed: empty fields left out, headers from "Name: value" lines."""
    body: dict[str, Any] = {}
    kind = str(form.get("kind") or "").strip()
    wanted = {"kind", "every", *KIND_SETTINGS.get(kind, FIELDS)}  # the form shows every field; the kind takes some
    for name in FIELDS:
        value = str(form.get(name) or "").strip()
        if value and name in wanted:
            body[name] = value
    lines = [line for line in str(form.get("headers") or "").splitlines() if line.strip()]
    if lines and "headers" in wanted:
        pairs = [line.partition(":") for line in lines]
        if any(not sep or not name.strip() for name, sep, _ in pairs):
            raise ValidationError("source.headers_invalid", field="headers", max=20)
        body["headers"] = {name.strip(): value.strip() for name, _, value in pairs}
    return body


def _typed(form: FormData | None, source: dict[str, Any] | None) -> dict[str, str]:
    """What the form shows: what was typed, else the stored source (secrets as ***)."""
    if form is not None:
        return {name: str(form.get(name) or "") for name in (*FIELDS, "headers")}
    if source is None:
        empty = dict.fromkeys((*FIELDS, "headers"), "")
        return {**empty, "kind": "http_json", "aggregate": "last", "locale": "en", "every": "1h"}
    shown = {name: str(source.get(name) or "") for name in FIELDS}
    shown["headers"] = "\n".join(f"{k}: {v}" for k, v in (source.get("headers") or {}).items())
    return shown


def _page(
    request: Request,
    koers: KoersDep,
    viewer: Any,
    subject: str,
    subject_id: int,
    form: FormData | None = None,
    **extra: Any,
) -> Response:
    try:
        with koers.uow(read_only=True, actor=viewer) as uow:
            data = sources.panel(uow, subject, subject_id, koers.settings.base_url)
    except KoersError as error:
        return refused(request, error, f"/{PATHS[subject]}/{subject_id}" if subject == "kpi" else "/")
    # failures are stored as code and parameters: said here in the reader's language
    if data["source"] is not None and data["failure"] is not None:
        data["source"]["last_error"] = localise(data["failure"])
    data["runs"] = [{**run, "error": run["failure"] and localise(run["failure"])} for run in data["runs"]]
    page = {
        **data,
        "action": f"/{PATHS[subject]}/{subject_id}/source",
        "kinds": KINDS,
        "typed": _typed(form, data["source"]),
        "saved": request.query_params.get("saved") == "1",
        "removed": request.query_params.get("removed") == "1",
        "push_token": None,
        "result": None,
        "error": None,
        **extra,
    }
    return render(request, "source.html", page, 422 if extra.get("error") and not extra.get("tried") else 200)


def _save(request: Request, koers: KoersDep, user: Any, form: FormData, subject: str, subject_id: int) -> Response:
    try:
        body = _settings(form)
        with koers.uow(actor=user) as uow:
            _source, token = sources.set_source(uow, subject, subject_id, body, koers.settings)
    except KoersError as error:
        return _page(request, koers, user, subject, subject_id, form, error=localise(error), error_field=error.field)
    if token:  # shown on this answer only
        return _page(request, koers, user, subject, subject_id, None, push_token=token)
    return see_other(f"/{PATHS[subject]}/{subject_id}/source?saved=1")


def _remove(request: Request, koers: KoersDep, user: Any, subject: str, subject_id: int) -> Response:
    try:
        with koers.uow(actor=user) as uow:
            sources.remove_source(uow, subject, subject_id)
    except KoersError as error:
        return _page(request, koers, user, subject, subject_id, None, error=localise(error))
    return see_other(f"/{PATHS[subject]}/{subject_id}/source?removed=1")


def _try(request: Request, koers: KoersDep, user: Any, form: FormData, subject: str, subject_id: int) -> Response:
    try:
        body = _settings(form) if form.get("kind") else None
        result = sources.dry_run(
            lambda: koers.uow(read_only=True, actor=user), subject, subject_id, body, koers.settings
        )
    except KoersError as error:
        return _page(request, koers, user, subject, subject_id, form, tried=True, error=localise(error))
    return _page(request, koers, user, subject, subject_id, form, tried=True, result=result)


@router.get("/kpis/{kpi_id:int}/source")
def kpi_source(request: Request, koers: KoersDep, viewer: Reader, kpi_id: int) -> Response:
    return _page(request, koers, viewer, "kpi", kpi_id)


@router.post("/kpis/{kpi_id:int}/source")
def save_kpi_source(request: Request, koers: KoersDep, user: Writer, form: Typed, kpi_id: int) -> Response:
    return _save(request, koers, user, form, "kpi", kpi_id)


@router.post("/kpis/{kpi_id:int}/source/dry-run")
def try_kpi_source(request: Request, koers: KoersDep, user: Writer, form: Typed, kpi_id: int) -> Response:
    return _try(request, koers, user, form, "kpi", kpi_id)


@router.get("/key-results/{kr_id:int}/source")
def key_result_source(request: Request, koers: KoersDep, viewer: Reader, kr_id: int) -> Response:
    return _page(request, koers, viewer, "key_result", kr_id)


@router.post("/key-results/{kr_id:int}/source")
def save_key_result_source(request: Request, koers: KoersDep, user: Writer, form: Typed, kr_id: int) -> Response:
    return _save(request, koers, user, form, "key_result", kr_id)


@router.post("/key-results/{kr_id:int}/source/dry-run")
def try_key_result_source(request: Request, koers: KoersDep, user: Writer, form: Typed, kr_id: int) -> Response:
    return _try(request, koers, user, form, "key_result", kr_id)


@router.post("/kpis/{kpi_id:int}/source/remove")
def remove_kpi_source(request: Request, koers: KoersDep, user: Writer, form: Typed, kpi_id: int) -> Response:
    return _remove(request, koers, user, "kpi", kpi_id)


@router.post("/key-results/{kr_id:int}/source/remove")
def remove_key_result_source(request: Request, koers: KoersDep, user: Writer, form: Typed, kr_id: int) -> Response:
    return _remove(request, koers, user, "key_result", kr_id)
