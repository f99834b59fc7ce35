"""The HTTP API under /api/v1: its routers and its OpenAPI document (composed with the pages in `koers.http.app`)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from koers.api.docs import docs_router
from koers.api.routes import (
    accounts,
    coach,  # issue 15: the coach's findings kept on goals
    grades,
    insight,
    integrations,  # issue 11
    management,
    progress,
    reports,
    resources,
    service,
    sources,  # issue 11: data sources
    whatif,
)

API = "/api/v1"
# The FastAPI settings that describe the API; the app is created by koers.http.app.
OPENAPI: dict[str, Any] = {
    "title": "Koers API",
    "description": "OKRs and KPIs: objectives, key results scored 0–100, check-ins, KPIs with measurements, "
    "initiatives. Bearer tokens; errors are RFC 9457 problem+json.",
    "openapi_url": f"{API}/openapi.json",
    # /api/docs is served from the package (`koers.api.docs`), not from FastAPI's CDN page (issue 15)
    "docs_url": None,
    "redoc_url": None,
    "swagger_ui_oauth2_redirect_url": None,
}


def install(app: FastAPI) -> None:
    """Add the API's routes and its OpenAPI document to an app."""
    for resource in resources.RESOURCES:
        app.include_router(resources.build_router(resource), prefix=API)
    app.include_router(progress.router, prefix=API)
    app.include_router(accounts.router, prefix=API)
    app.include_router(service.router, prefix=API)
    app.include_router(whatif.router, prefix=API)
    app.include_router(grades.router, prefix=API)
    app.include_router(docs_router(OPENAPI["openapi_url"], OPENAPI["title"]))
    app.include_router(insight.router, prefix=API)
    app.include_router(coach.router, prefix=API)
    app.include_router(reports.router, prefix=API)
    app.include_router(integrations.router, prefix=API)  # webhooks, reminders, chat (issue 11)
    app.include_router(sources.router, prefix=API)  # data sources of KPIs and key results (issue 11)
    app.include_router(management.router, prefix=API)  # issue 15: changes, roll-up per team
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated document, plus the problem+json schema every error response points at."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        from koers.api.schemas import Problem

        document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
        app.openapi_schema = document
    return app.openapi_schema
