"""Admin pages: users, teams and memberships, cycles; and everyone's own API tokens.

Admins only (the services refuse everyone else with PermissionDenied, shown as a 403 page), except the tokens page,
where every logged-in person manages their own tokens.
"""

from __future__ import annotations

from fastapi import APIRouter

from koers.web.routes.admin import cycles, overview, teams, tokens, users

router = APIRouter(include_in_schema=False)
for part in (overview, users, teams, cycles, tokens):
    router.include_router(part.router)
