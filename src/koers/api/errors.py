"""Every error as RFC 9457 application/problem+json; never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from koers.domain.errors import KoersError
from koers.services.accounts import TooManyAttempts

PROBLEM = "application/problem+json"
log = logging.getLogger("koers.api")


def problem(
    status: int, title: str, detail: str | None = None, request: Request | None = None, **extra: Any
) -> JSONResponse:
    """A problem+json response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if request is not None:
        body["instance"] = request.url.path
    body.update({k: v for k, v in extra.items() if v is not None})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "loc": [str(part) for part in item.get("loc", ())],
            "msg": str(item.get("msg", "")),
            "type": str(item.get("type", "")),
        }
        for item in error.errors()
    ]


def _is_page(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def _page(request: Request, status: int) -> Response:
    from koers.web.app import error_page

    return error_page(request, status)


def install(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into problems (API) or plain error pages (web)."""

    @app.exception_handler(KoersError)
    async def _koers(request: Request, error: KoersError) -> Response:
        if _is_page(request):
            return _page(request, error.status)
        errors = (
            [{"loc": [error.location, error.field], "msg": error.message, "type": "value_error"}]
            if error.field
            else None
        )
        response = problem(error.status, error.title, error.message, request, errors=errors)
        if isinstance(error, TooManyAttempts):
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        if _is_page(request):
            return _page(request, 422)
        errors = _field_errors(error)
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        detail = f"{'.'.join(first['loc'])}: {first['msg']}" if first["loc"] else str(first["msg"])
        return problem(422, "Invalid input", detail, request, errors=errors)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        if _is_page(request):
            return _page(request, error.status_code)
        titles = {
            400: "Bad request",
            404: "Not found",
            405: "Method not allowed",
            401: "Unauthorized",
            403: "Forbidden",
        }
        detail = error.detail if isinstance(error.detail, str) else None
        return problem(error.status_code, titles.get(error.status_code, "Error"), detail, request)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, error: IntegrityError) -> JSONResponse:
        return problem(409, "Conflict", "the change conflicts with the current data; reload and try again", request)

    @app.exception_handler(OperationalError)
    async def _busy(request: Request, error: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", str(error.orig).splitlines()[0] if error.orig else error)
        response = problem(503, "Service unavailable", "the database is busy; try again shortly", request)
        response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if _is_page(request):
            return _page(request, 500)
        return problem(500, "Internal server error", "something went wrong on our side; it has been logged", request)
