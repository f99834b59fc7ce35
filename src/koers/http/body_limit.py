"""Request bodies past a size limit are refused with 413 before they are read into memory (pure ASGI).

A declared Content-Length over the limit is refused before the app runs; a body without one (chunked) is
counted as it arrives, and reading stops with 413 as soon as the count passes the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PageRenderer = Callable[[Request, int], Response]
TOO_LARGE = 413


class BodyTooLarge(HTTPException):
    """The body passed its limit while it was read."""

    def __init__(self, limit: int) -> None:
        super().__init__(TOO_LARGE, f"the request body is larger than the limit of {limit} bytes")


def limit_for(path: str, default: int, limits: Sequence[tuple[str, int]]) -> int:
    """The limit of a path: the first (prefix, bytes) of `limits` that the path starts with, else `default`."""
    for prefix, limit in limits:
        if path.startswith(prefix):
            return limit
    return default


class BodyLimit:
    """Refuse request bodies over `limit_for(path)` bytes with 413: `answer(request, 413)` renders the refusal."""

    def __init__(
        self, app: ASGIApp, default: int, answer: Callable[[Request, HTTPException], Response],
        limits: Sequence[tuple[str, int]] = (),
    ) -> None:  # fmt: skip
        self.app = app
        self.default = default
        self.limits = tuple(limits)
        self.answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"], self.default, self.limits)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, BodyTooLarge(limit))
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as error:  # raised where no exception handler answered it (e.g. a streaming reader)
            if started:
                raise
            await self._refuse(scope, receive, send, error)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, error: BodyTooLarge) -> None:
        response = self.answer(Request(scope), error)
        response.headers["Connection"] = "close"  # the rest of the body is not read: do not reuse the connection
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            # A malformed length is left to the server (uvicorn refuses it); counting still guards the body.
            return int(text) if text.isascii() and text.isdigit() else None
    return None
