"""The web interface: pages, static files, login and form-expiry answers, and the HTML error page."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from koers.http.deps import ids_in_range
from koers.reports.alignment_map import alignment_map
from koers.reports.charts import key_result_chart, kpi_chart
from koers.web import i18n
from koers.web.charts import progress_bar, sparkline
from koers.web.i18n import gettext_ as _
from koers.web.rendering import environment, render
from koers.web.routes import (
    admin,
    auth,
    cycles,
    editors,
    findings,
    insight,
    integrations,  # issue 11: webhooks, reminders, one-click check-ins
    kpi_entry,
    kpis,
    management,
    objectives,
    organisation,
    profile,
    reports,
    retrospect,
    sources,  # issue 11: the data-source panel of KPIs and key results
    week,
    whatif,
)
from koers.web.session import CsrfRejected, LoginRequired, login_redirect, page_context

STATIC = __import__("pathlib").Path(__file__).with_name("static")
# editors before objectives: /objectives/new must not be read as an objective id
ROUTERS = [
    auth.router,
    week.router,
    editors.router,
    organisation.router,
    objectives.router,
    kpis.router,
    cycles.router,
    reports.router,
    admin.router,
    profile.router,
    whatif.router,
    findings.router,
    retrospect.router,
    insight.router,
    integrations.router,
    management.router,  # issue 15: what changed, roll-up per team
    kpi_entry.router,  # issue 15: KPI values entered on the web
    sources.router,  # issue 11: data sources
]


def install(app: FastAPI) -> None:
    """Add the pages, their static files and their exception handlers to an app."""
    environment.globals.update(
        progress_bar=progress_bar, sparkline=sparkline, key_result_chart=key_result_chart, kpi_chart=kpi_chart
    )
    environment.globals["alignment_map"] = alignment_map  # issue 15: the organisation page's map
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router, dependencies=[Depends(ids_in_range)])

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, error: LoginRequired) -> Response:
        if request.headers.get("hx-request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return login_redirect(error.next_path)

    @app.exception_handler(CsrfRejected)
    async def _csrf(request: Request, error: CsrfRejected) -> Response:
        return render(
            request,
            "message.html",
            {
                "title": _("Form expired"),
                "message": _("This form is no longer valid. Reload the page and try again."),
                "back": "",
            },
            403,
        )


def error_page(request: Request, status: int) -> Response:
    """A generic HTML error page in the visitor's language (no details, no traceback)."""
    try:
        page_context(request, request.app.state.koers)
    except Exception:  # the error page must render even when the database is what failed
        request.state.user = None
        request.state.locale = i18n.negotiate(request.headers.get("accept-language"))
    i18n.current_locale.set(request.state.locale)  # the handler runs in the request's own context
    titles = {
        404: _("Page not found"),
        403: _("Not allowed"),
        405: _("Not allowed"),
        413: _("Too much data"),
        422: _("Invalid request"),
    }
    title = titles.get(status, _("Something went wrong"))
    message = (
        _("The page you asked for does not exist, or you may not see it.")
        if status == 404
        else _("What you sent is larger than this server accepts.")
        if status == 413
        else _("Please try again later.")
        if status >= 500
        else title
    )
    return render(request, "message.html", {"title": title, "message": message, "back": "/"}, status)
