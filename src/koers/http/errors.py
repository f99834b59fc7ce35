"""Every error as RFC 9457 problem+json under the API, or as a plain HTML page elsewhere; never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from koers.bootstrap import DatabaseUnavailable
from koers.domain.errors import Conflict, KoersError, NotFound, PermissionDenied, ValidationError
from koers.services.accounts import TooManyAttempts, Unauthenticated

PROBLEM = "application/problem+json"
log = logging.getLogger("koers.api")

# Domain errors carry no HTTP status: the adapter decides, by class, most specific first (the MRO walk).
STATUSES: dict[type[Exception], tuple[int, str]] = {
    KoersError: (400, "Bad request"),
    ValidationError: (422, "Invalid input"),
    NotFound: (404, "Not found"),
    Conflict: (409, "Conflict"),
    PermissionDenied: (403, "Forbidden"),
    Unauthenticated: (401, "Unauthorized"),
    TooManyAttempts: (429, "Too many requests"),
    DatabaseUnavailable: (503, "Database unavailable"),
}
UNEXPECTED = (500, "Internal server error")
HTTP_TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    401: "Unauthorized",
    403: "Forbidden",
    413: "Content too large",
}

PageRenderer = Callable[[Request, int], Response]


def _entry(error: Exception) -> tuple[int, str]:
    for cls in type(error).__mro__:
        if cls in STATUSES:
            return STATUSES[cls]
    return UNEXPECTED


def status_of(error: Exception) -> int:
    """The HTTP status an error is answered with."""
    return _entry(error)[0]


def title_of(error: Exception) -> str:
    """The problem title (English, RFC 9457) of an error."""
    return _entry(error)[1]


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


def http_error(request: Request, error: HTTPException, page: PageRenderer) -> Response:
    """An HTTP error (404, 405, 413...) as a page or as a problem."""
    if _is_page(request):
        return page(request, error.status_code)
    detail = error.detail if isinstance(error.detail, str) else None
    return problem(error.status_code, HTTP_TITLES.get(error.status_code, "Error"), detail, request)


def install(app: FastAPI, page: PageRenderer) -> None:
    """Register the handlers that turn exceptions into problems (API) or into `page(request, status)` (web)."""

    @app.exception_handler(KoersError)
    async def _koers(request: Request, error: KoersError) -> Response:
        status = status_of(error)
        if _is_page(request):
            return page(request, status)
        errors = (
            [{"loc": [error.location, error.field], "msg": error.message, "type": "value_error"}]
            if error.field
            else None
        )
        response = problem(status, title_of(error), error.message, request, errors=errors)
        if isinstance(error, TooManyAttempts):
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        if _is_page(request):
            return page(request, 422)
        errors = _field_errors(error)
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        detail = f"{'.'.join(first['loc'])}: {first['msg']}" if first["loc"] else str(first["msg"])
        return problem(422, "Invalid input", detail, request, errors=errors)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        return http_error(request, error, page)

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
            return page(request, 500)
        return problem(500, "Internal server error", "something went wrong on our side; it has been logged", request)
