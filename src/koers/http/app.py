"""The one ASGI app: the API under /api/v1 and the web pages, with shared error handling and security headers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI

from koers import __version__
from koers.api import app as api
from koers.bootstrap import Koers
from koers.http import errors
from koers.http.body_limit import BodyLimit
from koers.http.headers import SecurityHeaders
from koers.services.login import LoginThrottle
from koers.web import app as web

# Paths that take an import document get KOERS_MAX_IMPORT_BYTES instead of KOERS_MAX_BODY_BYTES (issue 16 adds
# the upload; the CLI's `koers import` keeps to the same setting).
IMPORT_PATHS = (f"{api.API}/import", "/admin/import")


def create_app(koers: Koers, **settings: Any) -> FastAPI:
    """The app for one configured Koers (settings: `login_throttle`, shared by the API and the login page;
    `scheduler=True` runs the background jobs in-process while the app runs, as `koers serve` does)."""
    app = FastAPI(version=__version__, lifespan=_lifespan(koers, bool(settings.get("scheduler"))), **api.OPENAPI)
    app.state.koers = koers
    app.state.login_throttle = settings.get("login_throttle") or LoginThrottle()
    errors.install(app, page=web.error_page)
    api.install(app)
    web.install(app)
    limits = koers.settings
    app.add_middleware(
        BodyLimit,
        default=limits.max_body_bytes,
        limits=[(prefix, limits.max_import_bytes) for prefix in IMPORT_PATHS],
        answer=lambda request, error: errors.http_error(request, error, web.error_page),
    )
    app.add_middleware(SecurityHeaders, api_prefix=api.API)  # outermost: the 413 above gets the headers too
    return app


def _lifespan(koers: Koers, scheduler: bool) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Start the scheduler of background jobs (koers.services.jobs) with the app and stop it on shutdown; off
    unless asked for (tests, and every other user of the app, run jobs themselves)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from koers.services.jobs import Scheduler

        running = Scheduler(koers.uow, koers.settings.scheduler_tick_seconds) if scheduler else None
        app.state.scheduler = running
        if running is not None:
            running.start()
        try:
            yield
        finally:
            if running is not None:
                running.stop()

    return lifespan
