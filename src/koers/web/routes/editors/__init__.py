"""Editors: the forms that create and change objectives, key results, KPIs and initiatives, with the coach as you type.

Every form keeps what people typed when a save fails and shows the error next to its field; the services decide
what is allowed and valid, the routes only read the form, call them, and redirect after a successful change
(the shared flow is `koers.web.flow`).
"""

from __future__ import annotations

from fastapi import APIRouter

from koers.web.routes.editors import coach, initiatives, key_results, kpis, objectives

router = APIRouter(include_in_schema=False)
for part in (coach, objectives, key_results, kpis, initiatives):
    router.include_router(part.router)
