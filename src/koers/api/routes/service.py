"""Health, the OKR quality coach, and the audit trail."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from koers import __version__
from koers.api import schemas as s
from koers.api.deps import CurrentUser, KoersDep, ReadUow
from koers.api.routes.resources import ERRORS, page_model
from koers.domain.coach import lint
from koers.domain.errors import ValidationError
from koers.services import audit
from koers.services.listing import decode_cursor, encode_cursor
from koers.services.permissions import require_admin

router = APIRouter(responses=ERRORS)


@router.get(
    "/health",
    response_model=s.Health,
    tags=["service"],
    summary="Is Koers up? (no token needed)",
    operation_id="health",
)
def health(koers: KoersDep) -> dict[str, Any]:
    with koers.uow(read_only=True) as uow:
        uow.connection.exec_driver_sql("SELECT 1")
    return {"status": "ok", "version": __version__, "database": koers.engine.dialect.name}


@router.post(
    "/lint",
    response_model=s.LintPublic,
    tags=["coach"],
    summary="Coach an objective or key result (SPEC §5 lint result)",
    operation_id="lint",
)
def lint_statement(user: CurrentUser, body: s.LintRequest) -> dict[str, Any]:
    try:
        return lint(body.text, body.kind, body.lang).to_dict()
    except ValidationError as error:
        raise ValidationError(error.code, field="text", **error.params) from None


class AuditQuery(BaseModel):
    entity: str | None = Field(default=None, max_length=40)
    entity_id: s.Id | None = None
    actor_id: s.Id | None = None
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=100, ge=1, le=500)


@router.get(
    "/audit",
    response_model=page_model(s.AuditEntry),
    tags=["audit"],
    summary="The audit trail, newest first (admins)",
    operation_id="list_audit",
)
def audit_trail(uow: ReadUow, query: Annotated[AuditQuery, Query()]) -> dict[str, Any]:
    require_admin(uow, "admin_only.read_audit_trail")
    rows = audit.entries(
        uow, query.entity, query.entity_id, query.actor_id, decode_cursor(query.cursor), query.limit + 1
    )
    more = len(rows) > query.limit
    return {"items": rows[: query.limit], "next_cursor": encode_cursor(rows[query.limit - 1]["id"]) if more else None}
