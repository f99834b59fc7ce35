"""Templates: one Jinja environment with autoescaping and the i18n extension, rendered in the user's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from koers.reports.templating import template_environment
from koers.web import i18n

TEMPLATES = Path(__file__).with_name("templates")
HTMX = "vendor/htmx-2.0.11.min.js"

environment = template_environment(TEMPLATES)
environment.globals["htmx"] = HTMX


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page or partial in the request's language, with the user and CSRF token at hand."""
    locale = getattr(request.state, "locale", i18n.DEFAULT_LOCALE)
    token = i18n.current_locale.set(locale)
    zone = i18n.current_zone.set(request.app.state.koers.settings.zone)
    try:
        html = environment.get_template(template).render(
            request=request,
            user=getattr(request.state, "user", None),
            csrf_token=getattr(request.state, "csrf_token", ""),
            locale=locale,
            path=request.url.path,
            **(context or {}),
        )
    finally:
        i18n.current_locale.reset(token)
        i18n.current_zone.reset(zone)
    return HTMLResponse(html, status_code=status_code)
