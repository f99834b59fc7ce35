"""Templates: one Jinja environment with autoescaping and the i18n extension, rendered in the user's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from koers import __version__
from koers.web import i18n
from koers.web.vocabulary import label

TEMPLATES = Path(__file__).with_name("templates")
HTMX = "vendor/htmx-2.0.11.min.js"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "svg"], default_for_string=True),
    extensions=["jinja2.ext.i18n"],
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.install_gettext_callables(i18n.gettext_, i18n.ngettext_, newstyle=True)  # type: ignore[attr-defined]
environment.filters["label"] = lambda code: i18n.gettext_(label(code))
environment.globals.update(
    number=i18n.number,
    score=i18n.score,
    percent=i18n.percent,
    day=i18n.day,
    moment=i18n.moment,
    version=__version__,
    htmx=HTMX,
)


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page or partial in the request's language, with the user and CSRF token at hand."""
    locale = getattr(request.state, "locale", i18n.DEFAULT_LOCALE)
    token = i18n.current_locale.set(locale)
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
    return HTMLResponse(html, status_code=status_code)
