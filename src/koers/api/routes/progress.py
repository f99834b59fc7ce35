"""Nested routes: key results under objectives, check-ins, measurements, closing a cycle."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from koers.api import schemas as s
from koers.api.deps import CurrentUser, KoersDep, ReadUow
from koers.api.routes.resources import ERRORS, ResourceId, page_model
from koers.api.schemas.responses import ForecastPublic
from koers.bootstrap import Koers
from koers.domain import model
from koers.domain.model import User
from koers.services import idempotency
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.check_ins import record_check_in
from koers.services.forecasts import key_result_forecast
from koers.services.kpis import record_measurement
from koers.services.listing import decode_cursor, encode_cursor
from koers.services.permissions import visible_key_result
from koers.services.read.views import present_key_results
from koers.storage.unit_of_work import UnitOfWork

router = APIRouter(responses=ERRORS)
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Retrying with the same key records nothing new and returns the first result.",
    ),
]


class HistoryPaging(BaseModel):
    cursor: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=100, ge=1, le=500)


class KeyResultCreateWithObjective(s.KeyResultCreate):
    objective_id: s.Id


@router.post(
    "/objectives/{record_id}/key-results",
    response_model=s.KeyResultPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["key-results"],
    summary="Add a key result to an objective",
    operation_id="create_objective_key_result",
)
def create_key_result_under(
    koers: KoersDep, user: CurrentUser, record_id: ResourceId, body: s.KeyResultCreate
) -> dict[str, Any]:
    return _create_key_result(koers, user, record_id, body)


@router.post(
    "/key-results",
    response_model=s.KeyResultPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["key-results"],
    summary="Create a key result (objective_id in the body)",
    operation_id="create_key-results",
)
def create_key_result(koers: KoersDep, user: CurrentUser, body: KeyResultCreateWithObjective) -> dict[str, Any]:
    return _create_key_result(koers, user, body.objective_id, body)


def _create_key_result(koers: Koers, user: User, objective_id: int, body: s.KeyResultCreate) -> dict[str, Any]:
    fields = body.model_dump(exclude={"objective_id"})
    with koers.uow(actor=user) as uow:
        kr = goals.create_key_result(uow, model.KeyResult(objective_id=objective_id, **fields))
        return present_key_results(uow, [kr], date.today())[0]


@router.get(
    "/key-results/{record_id}/forecast",
    response_model=ForecastPublic,
    tags=["key-results"],
    summary="Where a key result ends its cycle (Theil–Sen over the cycle's check-ins and KPI measurements)",
    operation_id="get_key_result_forecast",
)
def get_key_result_forecast(uow: ReadUow, record_id: ResourceId) -> dict[str, Any]:
    return key_result_forecast(uow, record_id)


@router.get(
    "/key-results/{record_id}/check-ins",
    response_model=page_model(s.CheckInPublic),
    tags=["check-ins"],
    summary="A key result's check-ins, newest first",
    operation_id="list_check_ins",
)
def list_check_ins(uow: ReadUow, record_id: ResourceId, query: Annotated[HistoryPaging, Query()]) -> dict[str, Any]:
    visible_key_result(uow, record_id)
    return _history(uow.check_ins.history_page(record_id, decode_cursor(query.cursor), query.limit + 1), query.limit)


@router.get(
    "/kpis/{record_id}/measurements",
    response_model=page_model(s.MeasurementPublic),
    tags=["measurements"],
    summary="A KPI's measurements, newest first",
    operation_id="list_measurements",
)
def list_measurements(uow: ReadUow, record_id: ResourceId, query: Annotated[HistoryPaging, Query()]) -> dict[str, Any]:
    uow.kpis.get(record_id)
    return _history(uow.measurements.history_page(record_id, decode_cursor(query.cursor), query.limit + 1), query.limit)


def _history(rows: list[Any], limit: int) -> dict[str, Any]:
    return {
        "items": [asdict(r) for r in rows[:limit]],
        "next_cursor": encode_cursor(rows[limit - 1].id) if len(rows) > limit else None,
    }


@router.post(
    "/key-results/{record_id}/check-ins",
    response_model=s.CheckInRecorded,
    status_code=status.HTTP_201_CREATED,
    tags=["check-ins"],
    summary="Check in: a new value for a key result",
    operation_id="create_check_in",
)
def create_check_in(
    koers: KoersDep, user: CurrentUser, record_id: ResourceId, body: s.CheckInCreate, key: IdempotencyKey = None
) -> Any:
    def act(uow: UnitOfWork) -> dict[str, Any]:
        result = record_check_in(uow, record_id, body.value, body.confidence, body.note, author_id=user.id)
        kr = result.key_result
        return {
            **asdict(result.check_in),
            "key_result": {
                "id": kr.id,
                "current": kr.current,
                "progress": kr.progress,
                "score": kr.score,
                "confidence": kr.confidence,
            },
            "objectives": [asdict(o) for o in result.objectives],
        }

    return _once(koers, user, key, f"check-in:{record_id}", body, act)


@router.post(
    "/kpis/{record_id}/measurements",
    response_model=s.MeasurementPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["measurements"],
    summary="Record a KPI measurement",
    operation_id="create_measurement",
)
def create_measurement(
    koers: KoersDep, user: CurrentUser, record_id: ResourceId, body: s.MeasurementCreate, key: IdempotencyKey = None
) -> Any:
    def act(uow: UnitOfWork) -> dict[str, Any]:
        return asdict(record_measurement(uow, record_id, body.value, body.at, body.source, body.note))

    return _once(koers, user, key, f"measurement:{record_id}", body, act)


def _once(
    koers: Koers,
    user: User,
    key: str | None,
    endpoint: str,
    request: BaseModel,
    act: Callable[[UnitOfWork], dict[str, Any]],
) -> Any:
    """Run a recording once per Idempotency-Key; a retry with the same body gets the first answer."""
    assert user.id is not None
    if key is None:
        with koers.uow(actor=user) as uow:
            return JSONResponse(jsonable_encoder(act(uow)), status_code=201)
    idempotency.check_key(key)
    sent = idempotency.fingerprint(request.model_dump(mode="json"))
    try:
        with koers.uow(actor=user) as uow:
            stored = idempotency.replay(uow, user.id, key, endpoint, sent)
            if stored is None:
                answer = jsonable_encoder(act(uow))
                idempotency.remember(uow, user.id, key, endpoint, 201, answer, sent)
                return JSONResponse(answer, status_code=201)
    except IntegrityError:  # a concurrent request with the same key won the race: answer with its result
        with koers.uow(read_only=True, actor=user) as uow:
            stored = idempotency.replay(uow, user.id, key, endpoint, sent)
        if stored is None:  # not the key after all: another conflict (409)
            raise
    assert stored is not None
    return JSONResponse(stored[1], status_code=stored[0], headers={"Idempotent-Replayed": "true"})


@router.post(
    "/cycles/{record_id}/close",
    response_model=s.CycleClosed,
    tags=["cycles"],
    summary="Close a cycle: grade its objectives and flag goals reached too easily",
    operation_id="close_cycle",
)
def close_cycle(koers: KoersDep, user: CurrentUser, record_id: ResourceId) -> dict[str, Any]:
    with koers.uow(actor=user) as uow:
        result = org.close_cycle(uow, record_id)
    return {**result, "cycle": asdict(result["cycle"])}
