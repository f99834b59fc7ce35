"""Every page of the web interface, from the app's own route list, with its path filled in."""

from __future__ import annotations

import re
from typing import Any

from fastapi.routing import iter_route_contexts

# The first path segment tells which record a page is about.
RECORD_OF_PREFIX = {
    "objectives": "objective",
    "key-results": "key_result",
    "kpis": "kpi",
    "initiatives": "initiative",
    "cycles": "cycle",
    "users": "user",
    "teams": "team",
}
NOT_PAGES = {"/login", "/logout", "/language", "/language/{lang}", "/", "/invite/{token}"}  # invite: a secret, no id
# Issue 11: a one-click link is a secret like an invitation; a webhook's delivery log needs a webhook, which the built
# organisation has none of (its page is visited in tests/e2e/browser/test_integrations_browser.py and the matrix).
NOT_PAGES |= {"/c/{token}", "/admin/webhooks/{webhook_id:int}"}


def web_routes(app: Any, method: str) -> list[str]:
    """Paths of the app's web routes (not the API, not static files) for one method."""
    return sorted(
        {
            route.path
            for route in iter_route_contexts(app.routes)
            if method in (route.methods or ()) and not route.path.startswith(("/api", "/static", "/docs"))
        }
    )


def fill(path: str, ids: dict[str, int]) -> str:
    """Put record ids into a path: each parameter gets the id of the record its segment names."""
    segments = path.strip("/").split("/")
    filled = []
    for i, segment in enumerate(segments):
        if segment.startswith("{"):
            owner = segments[i - 1] if i else ""
            filled.append(str(ids.get(RECORD_OF_PREFIX.get(owner, ""), 1)))
        else:
            filled.append(segment)
    return "/" + "/".join(filled)


def pages(app: Any, ids: dict[str, int]) -> list[str]:
    """URLs of every GET page, filled in."""
    return [
        fill(path, ids) for path in web_routes(app, "GET") if path not in NOT_PAGES and not re.search(r"\{lang", path)
    ]
