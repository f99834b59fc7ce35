"""The HTTP API under /api/v1: FastAPI app factory, security headers, OpenAPI."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from koers import __version__
from koers.api import errors
from koers.api.routes import accounts, progress, resources, service
from koers.bootstrap import Koers
from koers.services.accounts import LoginThrottle
from koers.web import app as web
from koers.web.app import PAGE_CSP

API = "/api/v1"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
API_ONLY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"cache-control", b"no-store"),
]
PAGE_HEADERS = [
    (b"content-security-policy", PAGE_CSP.encode()),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    """nosniff, no framing, no referrer, and no caching of API answers (pure ASGI: no per-request task overhead)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path.startswith(API):
            extra = SECURITY_HEADERS + ([] if path.endswith("/openapi.json") else API_ONLY_HEADERS)
        elif path.startswith("/static/") or path.startswith("/api/docs"):
            extra = SECURITY_HEADERS
        else:
            extra = SECURITY_HEADERS + PAGE_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in extra if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(koers: Koers, **settings: Any) -> FastAPI:
    """The API for one configured Koers."""
    app = FastAPI(
        title="Koers API",
        version=__version__,
        description="OKRs and KPIs: objectives, key results scored 0–100, check-ins, KPIs with measurements, "
        "initiatives. Bearer tokens; errors are RFC 9457 problem+json.",
        openapi_url=f"{API}/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
    )
    app.state.koers = koers
    app.state.login_throttle = settings.get("login_throttle") or LoginThrottle()
    errors.install(app)
    for resource in resources.RESOURCES:
        app.include_router(resources.build_router(resource), prefix=API)
    app.include_router(progress.router, prefix=API)
    app.include_router(accounts.router, prefix=API)
    app.include_router(service.router, prefix=API)
    web.install(app)
    app.add_middleware(SecurityHeaders)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated document, plus the problem+json schema every error response points at."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        from koers.api.schemas import Problem

        document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = Problem.model_json_schema()
        app.openapi_schema = document
    return app.openapi_schema
