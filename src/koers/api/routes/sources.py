"""Data sources of KPIs and key results: set, show, dry-run, the last runs, and the push URL."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Header, status

from koers.api.deps import CurrentUser, ReadUow
from koers.api.routes.resources import ERRORS, ResourceId
from koers.api.schemas import sources as s
from koers.http.deps import KoersDep
from koers.services import sources

router = APIRouter(responses=ERRORS)
PATHS = {"kpi": "kpis", "key_result": "key-results"}
PushToken = Annotated[
    str | None,
    Header(alias=sources.PUSH_HEADER, max_length=200, description="The push source's token (shown once when set)."),
]


def _routes(subject: str) -> None:
    path = f"/{PATHS[subject]}/{{record_id}}/source"
    tag = PATHS[subject]
    what = "a KPI" if subject == "kpi" else "a key result"
    name = "kpi" if subject == "kpi" else "key_result"

    @router.put(
        path,
        response_model=s.SourceSetResult,
        tags=[tag],
        summary=f"Give {what} its data source (sql, http_json, csv or push), replacing the one it had",
        operation_id=f"set_{name}_source",
    )
    def set_source(koers: KoersDep, user: CurrentUser, record_id: ResourceId, body: s.SourceSet) -> dict[str, Any]:
        with koers.uow(actor=user) as uow:
            source, token = sources.set_source(uow, subject, record_id, body.settings(), koers.settings)
        return {**sources.source_view(source, koers.settings.base_url), "push_token": token}

    @router.get(
        path,
        response_model=s.SourcePublic,
        tags=[tag],
        summary=f"The data source of {what}, with its last run (secrets shown as ***)",
        operation_id=f"get_{name}_source",
    )
    def get_source(koers: KoersDep, uow: ReadUow, record_id: ResourceId) -> dict[str, Any]:
        return sources.source_view(sources.source_of(uow, subject, record_id), koers.settings.base_url)

    @router.delete(
        path,
        status_code=status.HTTP_204_NO_CONTENT,
        tags=[tag],
        summary=f"Remove the data source of {what} (values recorded so far stay, with their provenance)",
        operation_id=f"delete_{name}_source",
    )
    def delete_source(koers: KoersDep, user: CurrentUser, record_id: ResourceId) -> None:
        with koers.uow(actor=user) as uow:
            sources.remove_source(uow, subject, record_id)

    @router.post(
        path + "/dry-run",
        response_model=s.DryRunResult,
        tags=[tag],
        summary="The value the source would record now, recording nothing (the stored source, or the body's)",
        operation_id=f"dry_run_{name}_source",
    )
    def dry_run(
        koers: KoersDep, user: CurrentUser, record_id: ResourceId, body: s.SourceDryRun | None = None
    ) -> dict[str, Any]:
        settings = body.model_dump(exclude_none=True) if body is not None else None
        return sources.dry_run(
            lambda: koers.uow(read_only=True, actor=user), subject, record_id, settings or None, koers.settings
        )

    @router.get(
        path + "/runs",
        response_model=s.SourceRuns,
        tags=[tag],
        summary="The source's last runs, newest first: what was asked, the raw result, the value or the error",
        operation_id=f"list_{name}_source_runs",
    )
    def runs(uow: ReadUow, record_id: ResourceId) -> dict[str, Any]:
        return {"items": sources.recent_runs(uow, subject, record_id)}

    @router.post(
        path + "/push",
        response_model=s.PushRecorded,
        status_code=status.HTTP_201_CREATED,
        tags=[tag],
        summary=f"Push a value to {what} (no bearer token: the push source's own X-Koers-Push-Token)",
        operation_id=f"push_{name}_value",
        responses={401: {**ERRORS[401], "description": "Wrong or missing X-Koers-Push-Token."}},
    )
    def push(koers: KoersDep, record_id: ResourceId, body: s.PushValue, token: PushToken = None) -> dict[str, Any]:
        return sources.push_value(koers.uow, subject, record_id, token, body.value)


_routes("kpi")
_routes("key_result")
