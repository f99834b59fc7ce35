"""Security headers on every answer: nosniff, no framing, no referrer, a CSP, and no caching of pages or API data."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
# /api/docs (issue 15): Swagger UI from the package's static files and the OpenAPI document, nothing from elsewhere.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
)
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


def headers_for(path: str, api_prefix: str) -> list[tuple[bytes, bytes]]:
    """The headers an answer on this path gets (the OpenAPI document, static files and docs may be cached)."""
    if path.startswith(api_prefix):
        return SECURITY_HEADERS + ([] if path.endswith("/openapi.json") else API_ONLY_HEADERS)
    if path.startswith("/static/"):
        return SECURITY_HEADERS
    if path.startswith("/api/docs"):
        return [*SECURITY_HEADERS, (b"content-security-policy", DOCS_CSP.encode())]
    return SECURITY_HEADERS + PAGE_HEADERS


class SecurityHeaders:
    """Adds `headers_for(path)` to each answer unless it set them itself (pure ASGI: no per-request task overhead)."""

    def __init__(self, app: ASGIApp, api_prefix: str) -> None:
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"], self.api_prefix)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in extra if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)
