"""list / create / read / update / archive for every collection, from one description per resource."""

# No `from __future__ import annotations` here: FastAPI reads the closures' annotations at runtime.

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel

from koers.api import filters as f
from koers.api import schemas as s
from koers.api.deps import CurrentUser, KoersDep, ReadUow
from koers.domain import model
from koers.domain.errors import NotFound
from koers.http.errors import PROBLEM
from koers.services import guardrails
from koers.services import kpis as progress
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.listing import page
from koers.services.passwords import hash_password
from koers.services.permissions import visible_key_result, visible_objective
from koers.services.read.views import kpi_view, present_key_results, present_objectives
from koers.storage.unit_of_work import UnitOfWork

ResourceId = Annotated[int, Path(ge=1, le=s.MAX_ID)]
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for code, text in (
        (400, "Malformed request body (not UTF-8 JSON)."),
        (401, "No valid bearer token."),
        (403, "Your role does not allow this change."),
        (404, "No such record, or you may not see it."),
        (409, "Edit conflict: the version you sent is stale, or the change clashes with other data."),
        (422, "Invalid input, with field-level details."),
        (503, "The database is busy; retry after Retry-After."),
    )
}


@dataclass(frozen=True)
class Resource:
    """How one collection is read, written and presented."""

    path: str
    label: str
    public: type[BaseModel]
    create: type[BaseModel] | None
    update: type[BaseModel]
    filters: type[f.Paging]
    repository: Callable[[UnitOfWork], Any]
    get: Callable[[UnitOfWork, int], Any]
    present: Callable[[UnitOfWork, list[Any]], list[dict[str, Any]]]
    do_create: Callable[[UnitOfWork, Any], Any] | None
    do_update: Callable[[UnitOfWork, int, dict[str, Any], int | None], Any]
    do_archive: Callable[[UnitOfWork, int], Any] | None


def _plain(_: UnitOfWork, entities: list[Any]) -> list[dict[str, Any]]:
    return [asdict(e) for e in entities]


def _visible_initiative(uow: UnitOfWork, initiative_id: int) -> model.Initiative:
    initiative = uow.initiatives.get(initiative_id)
    try:
        if initiative.key_result_id is not None:
            visible_key_result(uow, initiative.key_result_id)
        else:
            visible_objective(uow, initiative.objective_id or 0)
    except NotFound:
        raise NotFound("initiative.not_found", id=initiative_id) from None
    return initiative


def _create_user(uow: UnitOfWork, body: s.UserCreate) -> model.User:
    password_hash = hash_password(body.password) if body.password else None
    return org.add_user(uow, body.email, body.role, body.name, body.locale, list(body.team_ids), password_hash)


RESOURCES = [
    Resource(
        "teams", "team", s.TeamPublic, s.TeamCreate, s.TeamUpdate, f.TeamFilters,
        lambda uow: uow.teams, lambda uow, i: uow.teams.get(i), _plain,
        lambda uow, body: org.create_team(uow, body.name, body.parent_id, body.lead_id),
        org.update_team, org.archive_team,
    ),
    Resource(
        "users", "user", s.UserPublic, s.UserCreate, s.UserUpdate, f.UserFilters,
        lambda uow: uow.users, lambda uow, i: uow.users.get(i), _plain,
        _create_user, org.update_user, org.disable_user,
    ),
    Resource(
        "cycles", "cycle", s.CyclePublic, s.CycleCreate, s.CycleUpdate, f.CycleFilters,
        lambda uow: uow.cycles, lambda uow, i: uow.cycles.get(i), _plain,
        lambda uow, body: org.create_cycle(uow, body.name, body.start_date, body.end_date, body.status),
        org.update_cycle, None,  # a cycle is closed (POST /cycles/{id}/close), never archived
    ),
    Resource(
        "objectives", "objective", s.ObjectivePublic, s.ObjectiveCreate, s.ObjectiveUpdate, f.ObjectiveFilters,
        lambda uow: uow.objectives, visible_objective,
        lambda uow, items: present_objectives(uow, items, date.today()),
        lambda uow, body: goals.create_objective(uow, model.Objective(**body.model_dump())),
        goals.update_objective, goals.archive_objective,
    ),
    Resource(
        "key-results", "key result", s.KeyResultPublic, None, s.KeyResultUpdate, f.KeyResultFilters,
        lambda uow: uow.key_results, lambda uow, i: visible_key_result(uow, i)[0],
        lambda uow, items: present_key_results(uow, items, date.today()),
        None, guardrails.update_key_result, goals.archive_key_result,
    ),
    Resource(
        "kpis", "KPI", s.KpiPublic, s.KpiCreate, s.KpiUpdate, f.KpiFilters,
        lambda uow: uow.kpis, lambda uow, i: uow.kpis.get(i), lambda uow, items: [kpi_view(k) for k in items],
        lambda uow, body: progress.create_kpi(uow, model.Kpi(**body.model_dump())),
        progress.update_kpi, progress.archive_kpi,
    ),
    Resource(
        "initiatives", "initiative", s.InitiativePublic, s.InitiativeCreate, s.InitiativeUpdate, f.InitiativeFilters,
        lambda uow: uow.initiatives, _visible_initiative, _plain,
        lambda uow, body: goals.create_initiative(uow, model.Initiative(**body.model_dump())),
        goals.update_initiative, goals.archive_initiative,
    ),
]  # fmt: skip


def page_model(public: type[BaseModel]) -> type[BaseModel]:
    """The list envelope {"items", "next_cursor"} for one resource."""
    from pydantic import create_model

    return create_model(
        f"{public.__name__.removesuffix('Public')}Page", items=(list[public], ...), next_cursor=(str | None, None)
    )


def build_router(resource: Resource) -> APIRouter:
    """The five routes of one collection."""
    router = APIRouter(prefix=f"/{resource.path}", tags=[resource.path], responses=ERRORS)
    Public, Update, Filters = resource.public, resource.update, resource.filters

    @router.get(
        "", response_model=page_model(Public), summary=f"List {resource.path}", operation_id=f"list_{resource.path}"
    )
    def list_records(uow: ReadUow, query: Annotated[Filters, Query()]) -> dict[str, Any]:
        found = page(
            uow, resource.repository(uow), f.field_filters(query), query.cursor, query.limit, query.include_archived
        )
        return {"items": resource.present(uow, found.items), "next_cursor": found.next_cursor}

    @router.get(
        "/{record_id}",
        response_model=Public,
        summary=f"Read one {resource.label}",
        operation_id=f"read_{resource.path}",
    )
    def read_record(uow: ReadUow, record_id: ResourceId) -> dict[str, Any]:
        return resource.present(uow, [resource.get(uow, record_id)])[0]

    if resource.create is not None:
        Create = resource.create

        @router.post(
            "",
            response_model=Public,
            status_code=status.HTTP_201_CREATED,
            summary=f"Create a {resource.label}",
            operation_id=f"create_{resource.path}",
        )
        def create_record(koers: KoersDep, user: CurrentUser, body: Create) -> dict[str, Any]:
            with koers.uow(actor=user) as uow:
                created = resource.do_create(uow, body)
                return resource.present(uow, [resource.repository(uow).get(created.id)])[0]

    @router.patch(
        "/{record_id}",
        response_model=Public,
        summary=f"Change a {resource.label}",
        operation_id=f"update_{resource.path}",
    )
    def update_record(koers: KoersDep, user: CurrentUser, record_id: ResourceId, body: Update) -> dict[str, Any]:
        changes = body.model_dump(exclude_unset=True)
        version = changes.pop("version", None)
        with koers.uow(actor=user) as uow:
            resource.get(uow, record_id)
            resource.do_update(uow, record_id, changes, version)
            return resource.present(uow, [resource.repository(uow).get(record_id)])[0]

    if resource.do_archive is None:
        return router
    do_archive = resource.do_archive

    @router.delete(
        "/{record_id}",
        response_model=Public,
        summary=f"Archive a {resource.label}",
        operation_id=f"archive_{resource.path}",
    )
    def archive_record(koers: KoersDep, user: CurrentUser, record_id: ResourceId) -> dict[str, Any]:
        with koers.uow(actor=user) as uow:
            resource.get(uow, record_id)
            do_archive(uow, record_id)
            return resource.present(uow, [resource.repository(uow).get(record_id)])[0]

    return router
