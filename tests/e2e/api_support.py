"""An API on a fresh database with the demo, and tokens for the four kinds of caller the matrix knows."""

from __future__ import annotations

import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from koers.api.app import create_app
from koers.bootstrap import Koers, bootstrap
from koers.config import Settings
from koers.services import accounts
from koers.services.accounts import LoginThrottle
from koers.services.demo import load_demo
from koers.services.passwords import hash_password
from koers.services.sessions import start_session
from koers.web.session import SESSION_COOKIE

PASSWORD = "correct horse battery"
OWNING_TEAM_MEMBER = "youssef.elamrani@onderdelen.example"  # Klantenservice: owns the seed's churn objective
OTHER_TEAM_MEMBER = "priya.ramdin@onderdelen.example"  # Logistiek


@dataclass
class Api:
    koers: Koers
    client: TestClient
    tokens: dict[str, str]  # caller -> token ("admin", "owner", "other")
    ids: dict[str, int]
    sessions: dict[str, tuple[str, str]]  # caller -> (session cookie, CSRF token) for the web pages

    def headers(self, caller: str) -> dict[str, str]:
        """Authorization for a caller; no header for "anonymous"."""
        return {} if caller == "anonymous" else {"Authorization": f"Bearer {self.tokens[caller]}"}

    def cookies(self, caller: str) -> dict[str, str]:
        """The web session cookie of a caller; none for "anonymous"."""
        return {} if caller == "anonymous" else {SESSION_COOKIE: self.sessions[caller][0]}

    def csrf(self, caller: str) -> str:
        """The CSRF token of a caller's web session."""
        return "" if caller == "anonymous" else self.sessions[caller][1]


_sqlite_template: tuple[Path, dict[str, str], dict[str, int], dict[str, tuple[str, str]]] | None = None


def make_api(url: str, throttle: LoginThrottle | None = None) -> Api:
    """Bootstrap Koers on `url`, load the demo, give three people tokens.

    On SQLite the demo is built once per test process and copied (online backup API) for every
    further database: each test still gets its own fresh database, in milliseconds.
    """
    global _sqlite_template
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        if _sqlite_template is None:
            folder = Path(tempfile.mkdtemp(prefix="koers-demo-template-"))
            template = _build(f"sqlite:///{folder / 'demo.db'}")
            template.koers.engine.dispose()
            _sqlite_template = (folder / "demo.db", template.tokens, template.ids, template.sessions)
        source, tokens, ids, sessions = _sqlite_template
        with sqlite3.connect(source) as original, sqlite3.connect(url.removeprefix("sqlite:///")) as copy:
            original.backup(copy)
        koers = bootstrap(Settings(url))
        app = create_app(koers, login_throttle=throttle or LoginThrottle())
        client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
        return Api(koers, client, dict(tokens), dict(ids), dict(sessions))
    return _build(url, throttle)


def _build(url: str, throttle: LoginThrottle | None = None) -> Api:
    koers = bootstrap(Settings(url))
    with koers.uow() as uow:
        password_hash = hash_password(PASSWORD)
        loaded = load_demo(uow, password_hash=password_hash)
        tokens, sessions = {}, {}
        for caller, email in (
            ("admin", "admin@koers.local"),
            ("owner", OWNING_TEAM_MEMBER),
            ("other", OTHER_TEAM_MEMBER),
        ):
            user = uow.users.by_email(email)
            assert user is not None and user.id is not None
            uow.users.set_fields(user.id, password_hash=password_hash)
            tokens[caller], _ = accounts.create_token(uow, user.id, "test")
            sessions[caller] = start_session(uow, user.id)
        owner = uow.users.by_email(OWNING_TEAM_MEMBER)
        other = uow.users.by_email(OTHER_TEAM_MEMBER)
        assert owner is not None and other is not None
        ids = {
            "objective": loaded["objective_id"],
            "key_result": loaded["key_result_ids"][0],
            "owner_user": owner.id or 0,
            "other_user": other.id or 0,
            "owner_team": owner.team_ids[0],
            "other_team": other.team_ids[0],
        }
    app = create_app(koers, login_throttle=throttle or LoginThrottle())
    return Api(koers, TestClient(app, raise_server_exceptions=False, follow_redirects=False), tokens, ids, sessions)


@contextmanager
def live_server(api: Api) -> Iterator[str]:
    """The API on a real HTTP server on 127.0.0.1 (a free port), for tests that need real concurrency."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(api.client.app, host="127.0.0.1", port=port, log_level="warning", workers=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
