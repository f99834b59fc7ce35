"""Request bodies have a size limit checked before they are read: 413, as problem+json or as a page."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from koers.config import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IMPORT_BYTES, Settings
from koers.http.app import IMPORT_PATHS
from koers.http.body_limit import BodyLimit, limit_for
from tests.e2e.api_support import ADMIN, PASSWORD

MIB = 1024 * 1024


def _big_login(size: int) -> bytes:
    return json.dumps({"email": ADMIN, "password": PASSWORD, "padding": "x" * size}).encode()


def _chunks(body: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_a_2_mib_json_body_gets_413_problem_json(sqlite_api: Any) -> None:
    response = sqlite_api.client.post(
        "/api/v1/auth/login", content=_big_login(2 * MIB), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 413 and str(DEFAULT_MAX_BODY_BYTES) in problem["detail"]
    assert response.headers["x-content-type-options"] == "nosniff"  # the security headers wrap the refusal too


def test_a_chunked_body_without_content_length_is_counted_and_refused(sqlite_api: Any) -> None:
    response = sqlite_api.client.post(
        "/api/v1/auth/login", content=_chunks(_big_login(2 * MIB)), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and response.json()["status"] == 413


def test_a_page_gets_an_html_413(sqlite_api: Any) -> None:
    sqlite_api.client.cookies.clear()
    data = "csrf_token=x&title=" + "x" * (2 * MIB)
    for body in (data.encode(), _chunks(data.encode())):
        response = sqlite_api.client.post(
            "/objectives/new",
            content=body,
            headers={"content-type": "application/x-www-form-urlencoded"},
            cookies=sqlite_api.cookies("admin"),
        )
        assert response.status_code == 413 and response.headers["content-type"].startswith("text/html")
        assert "Te veel gegevens" in response.text  # the admin reads Dutch


def test_a_normal_request_still_works(sqlite_api: Any) -> None:
    body = {"email": ADMIN, "password": PASSWORD}
    assert sqlite_api.client.post("/api/v1/auth/login", json=body).status_code == 201
    chunked = sqlite_api.client.post(
        "/api/v1/auth/login",
        content=_chunks(json.dumps(body).encode(), 7),
        headers={"content-type": "application/json"},
    )
    assert chunked.status_code == 201


def test_imports_get_their_own_larger_limit_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().max_body_bytes == MIB and Settings().max_import_bytes == 20 * MIB
    assert all(limit_for(path + "/x", MIB, [(path, 20 * MIB)]) == 20 * MIB for path in IMPORT_PATHS)
    assert limit_for("/api/v1/auth/login", MIB, [(p, 20 * MIB) for p in IMPORT_PATHS]) == MIB
    monkeypatch.setenv("KOERS_MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("KOERS_MAX_IMPORT_BYTES", "4096")
    settings = Settings.from_environment()
    assert (settings.max_body_bytes, settings.max_import_bytes) == (2048, 4096)
    monkeypatch.setenv("KOERS_MAX_BODY_BYTES", "lots")
    with pytest.raises(ValueError, match="KOERS_MAX_BODY_BYTES"):
        Settings.from_environment()
    assert DEFAULT_MAX_IMPORT_BYTES == 20 * MIB


def test_the_time_zone_setting_is_checked_at_start_up(monkeypatch):
    monkeypatch.setenv("KOERS_TIMEZONE", "Europe/Lisbon")
    assert str(Settings.from_environment().zone) == "Europe/Lisbon"
    monkeypatch.setenv("KOERS_TIMEZONE", "Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="KOERS_TIMEZONE"):
        Settings.from_environment()
    assert str(Settings(timezone="Mars/Olympus_Mons").zone) == "UTC"  # made in code: never fails a page


class _Spy:
    """An ASGI app that reads the whole body and records how much of it it saw."""

    def __init__(self) -> None:
        self.calls = 0
        self.read = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        more = True
        while more:
            message = await receive()
            self.read += len(message.get("body", b""))
            more = message.get("more_body", False)
        await PlainTextResponse("read")(scope, receive, send)


def _refusal(request: Request, error: HTTPException) -> Response:
    return PlainTextResponse(str(error.detail), status_code=error.status_code)


def _run(app: Any, chunks: list[bytes], content_length: int | None) -> tuple[int, list[Any]]:
    """Send a body in chunks through the ASGI app; return the status and how many chunks were taken."""
    headers = [] if content_length is None else [(b"content-length", str(content_length).encode())]
    scope = {"type": "http", "method": "POST", "path": "/api/v1/x", "headers": headers, "query_string": b""}
    pending = list(chunks)
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        chunk = pending.pop(0) if pending else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # A thread of its own: an earlier test in this process may have left an event loop running on this one.
    with ThreadPoolExecutor(max_workers=1) as runner:
        runner.submit(asyncio.run, app(scope, receive, send)).result()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, pending


def test_the_handler_never_runs_for_a_declared_length_over_the_limit() -> None:
    spy = _Spy()
    status, pending = _run(BodyLimit(spy, default=1000, answer=_refusal), [b"x" * 600] * 4, content_length=2400)
    assert status == 413 and spy.calls == 0 and len(pending) == 4  # not one byte of the body was read


def test_a_chunked_body_stops_being_read_as_soon_as_it_passes_the_limit() -> None:
    spy = _Spy()
    status, pending = _run(BodyLimit(spy, default=1000, answer=_refusal), [b"x" * 600] * 100, content_length=None)
    assert status == 413 and spy.read <= 1000 and len(pending) == 98  # two chunks taken, the rest never read
    fits = _Spy()
    assert _run(BodyLimit(fits, default=1000, answer=_refusal), [b"x" * 500] * 2, None)[0] == 200
    assert fits.read == 1000


def test_koers_import_keeps_to_the_same_import_limit(sqlite_cli: Any, tmp_path: Any, monkeypatch: Any) -> None:
    document = tmp_path / "big.json"
    document.write_text(json.dumps({"teams": [], "padding": "x" * 5000}))
    monkeypatch.setenv("KOERS_MAX_IMPORT_BYTES", "4096")
    refused = sqlite_cli("import", str(document))
    assert refused.code == 1 and "larger than" in refused.out + refused.err
    monkeypatch.setenv("KOERS_MAX_IMPORT_BYTES", str(DEFAULT_MAX_IMPORT_BYTES))
    assert "larger than" not in (lambda r: r.out + r.err)(sqlite_cli("import", str(document)))
