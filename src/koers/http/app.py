"""The one ASGI app: the API under /api/v1 and the web pages, with shared error handling and security headers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from koers import __version__
from koers.api import app as api
from koers.bootstrap import Koers
from koers.http import errors
from koers.http.headers import SecurityHeaders
from koers.services.accounts import LoginThrottle
from koers.web import app as web


def create_app(koers: Koers, **settings: Any) -> FastAPI:
    """The app for one configured Koers (settings: `login_throttle`, shared by the API and the login page)."""
    app = FastAPI(version=__version__, **api.OPENAPI)
    app.state.koers = koers
    app.state.login_throttle = settings.get("login_throttle") or LoginThrottle()
    errors.install(app, page=web.error_page)
    api.install(app)
    web.install(app)
    app.add_middleware(SecurityHeaders, api_prefix=api.API)
    return app
