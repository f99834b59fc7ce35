"""The interactive API documentation at /api/docs, served from the package: Swagger UI vendored under the web's
static files (no CDN, so it works without internet), started by a static script (no inline script, strict CSP)."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

SWAGGER_UI = "/static/vendor/swagger-ui-5.35.0"
START = "/static/api-docs.js"
DOCS_PATH = "/api/docs"


def docs_router(openapi_url: str, title: str) -> APIRouter:
    """The docs page: Swagger UI's bundle and stylesheet from the package, pointed at the OpenAPI document."""
    router = APIRouter(include_in_schema=False)
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} – documentation</title>
<link rel="stylesheet" href="{SWAGGER_UI}/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{escape(openapi_url)}"></div>
<noscript><p>The interactive documentation needs JavaScript. The API is described in
<a href="{escape(openapi_url)}">{escape(openapi_url)}</a>.</p></noscript>
<script src="{SWAGGER_UI}/swagger-ui-bundle.js"></script>
<script src="{START}"></script>
</body>
</html>
"""

    @router.get(DOCS_PATH)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(page)

    return router
