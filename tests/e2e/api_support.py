"""An API on a fresh database with the builders' organisation, and tokens for the four kinds of caller the matrix knows."""

from __future__ import annotations

import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from koers.bootstrap import Koers, bootstrap
from koers.config import Settings
from koers.http.app import create_app
from koers.services import accounts
from koers.services.demo import DEMO_ADMIN_PASSWORD, load_demo
from koers.services.login import LoginThrottle
from koers.services.passwords import hash_password
from koers.services.sessions import start_session
from koers.web.session import SESSION_COOKIE
from tests import builders

PASSWORD = "correct horse battery"
ADMIN = "admin@example.org"
OWNING_TEAM_MEMBER = "owner@example.org"  # team A: owns `ids["objective"]`
OTHER_TEAM_MEMBER = "other@example.org"  # team B


@dataclass
class Api:
    koers: Koers
    client: TestClient
    tokens: dict[str, str]  # caller -> token ("admin", "owner", "other")
    ids: dict[str, int]  # the fields of `builders.Organisation`, and the aliases `_build` adds
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
    """Bootstrap Koers on `url`, build `builders.organisation`, give three people tokens and sessions.

    On SQLite the organisation is built once per test process and copied (online backup API) for every
    further database: each test still gets its own fresh database, in milliseconds.
    """
    global _sqlite_template
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        if _sqlite_template is None:
            folder = Path(tempfile.mkdtemp(prefix="koers-e2e-template-"))
            template = _build(f"sqlite:///{folder / 'e2e.db'}")
            template.koers.engine.dispose()
            _sqlite_template = (folder / "e2e.db", template.tokens, template.ids, template.sessions)
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
        built = builders.organisation(uow, password_hash=hash_password(PASSWORD))
        tokens, sessions = {}, {}
        for caller, user_id in (("admin", built.admin), ("owner", built.owner), ("other", built.other)):
            tokens[caller], _ = accounts.create_token(uow, user_id, "test")
            sessions[caller] = start_session(uow, user_id)
    ids = asdict(built) | {
        "owner_user": built.owner,
        "other_user": built.other,
        # the record each kind of page is about (tests.e2e.web_pages.fill)
        "user": built.owner,
        "team": built.owner_team,
    }
    app = create_app(koers, login_throttle=throttle or LoginThrottle())
    return Api(koers, TestClient(app, raise_server_exceptions=False, follow_redirects=False), tokens, ids, sessions)


def make_demo_api(url: str) -> Api:
    """Koers on `url` with the demo, as `koers serve --demo` shows it: for the tests about the demo itself.

    No tokens or sessions: people log in with the demo's public admin account, as a newcomer would.
    """
    koers = bootstrap(Settings(url))
    with koers.uow() as uow:
        loaded = load_demo(uow, password_hash=hash_password(DEMO_ADMIN_PASSWORD))
    ids = {"objective": loaded["objective_id"], "key_result": loaded["key_result_ids"][0]}
    app = create_app(koers, login_throttle=LoginThrottle())
    return Api(koers, TestClient(app, raise_server_exceptions=False, follow_redirects=False), {}, ids, {})


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
