"""`koers serve` runs the background jobs in-process (issue 11, item 2): a real server in a subprocess on
127.0.0.1 (SQLite temp file) runs a data source without `koers sync`, delivers a check-in's webhook within moments
(the outbox wakes the scheduler after the commit, long before the next tick), and stops cleanly."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from koers.bootstrap import bootstrap
from koers.config import Settings
from koers.services import accounts, sources, webhooks
from koers.services.demo import DEMO_ADMIN_EMAIL, load_demo
from tests.loopback import loopback_server

KEY = "serve test secret key of at least 32 characters"
HOOK_SECRET = "receiver's shared secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _until(condition: Callable[[], Any], seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    return condition()


@pytest.mark.parametrize("scheduler", ["1", "0"])
def test_serve_runs_sources_and_wakes_webhook_delivery_without_koers_sync(tmp_path: Path, scheduler: str) -> None:
    database = f"sqlite:///{tmp_path / 'koers.db'}"
    bi = tmp_path / "bi.db"
    with sqlite3.connect(bi) as connection:
        connection.execute("CREATE TABLE nps (value REAL)")
        connection.execute("INSERT INTO nps VALUES (41.5)")
    settings = Settings(database, secret_key=KEY, allow_private_networks=True)
    koers = bootstrap(settings)
    with loopback_server(lambda method, path, body: (204, {}, b"")) as (receiver, seen):
        with koers.uow() as uow:
            load_demo(uow)
            kpi_id = uow.kpis.list()[0].id
            kr_id = uow.key_results.list()[0].id
            admin = uow.users.by_email(DEMO_ADMIN_EMAIL)
            assert kpi_id is not None and kr_id is not None and admin is not None and admin.id is not None
            token, _ = accounts.create_token(uow, admin.id, "serve test")
            query = "SELECT value FROM nps"
            sources.set_source(uow, "kpi", kpi_id, {"kind": "sql", "url": f"sqlite:///{bi}", "query": query}, settings)
            webhooks.create_webhook(
                uow, receiver + "/hook", ["check_in.recorded"], HOOK_SECRET, secret_key=KEY
            )  # allowed: KOERS_ALLOW_PRIVATE_NETWORKS=1 below
        port = _free_port()
        environment = {
            **os.environ,
            "KOERS_DATABASE_URL": database,
            "KOERS_SECRET_KEY": KEY,
            "KOERS_ALLOW_PRIVATE_NETWORKS": "1",
            "KOERS_SCHEDULER": scheduler,
            "KOERS_SCHEDULER_TICK_SECONDS": "60",  # one tick at start-up; the next one after this test is over
        }
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "koers"), "serve", "--port", str(port)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"

            def up() -> bool:
                try:
                    return httpx.get(base + "/api/v1/health", timeout=1, trust_env=False).status_code == 200
                except httpx.TransportError:
                    return False

            assert _until(up, 30), "koers serve did not come up"

            def source_ran() -> Any:
                with koers.uow(read_only=True) as uow:
                    return uow.sources.of(kpi_id=kpi_id).last_run_at  # type: ignore[union-attr]

            if scheduler == "0":  # KOERS_SCHEDULER=0: jobs are left to `koers sync`
                time.sleep(3)
                assert source_ran() is None
            else:
                assert _until(source_ran, 20), "the data source did not run inside koers serve"
                with koers.uow(read_only=True) as uow:
                    ran = uow.sources.of(kpi_id=kpi_id)
                    assert ran is not None and (ran.last_value, ran.last_error) == (41.5, None)
                    assert [m.source for m in uow.measurements.history(kpi_id) if m.value == 41.5] == ["sync"]
                time.sleep(1)  # the start-up round is over: the webhooks job is not due for another 15 s
            posted = time.monotonic()
            answer = httpx.post(
                f"{base}/api/v1/key-results/{kr_id}/check-ins",
                json={"value": 1, "confidence": "on_track"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
                trust_env=False,
            )
            assert answer.status_code == 201, answer.text
            delivered = _until(lambda: seen.requests, 5 if scheduler == "1" else 3)
            if scheduler == "0":
                assert not delivered
            else:
                assert delivered, "the check-in's webhook was not delivered within 5 s"
                assert time.monotonic() - posted < 5  # the job's own interval is 15 s, the tick 60 s
                _method, path, headers, body = seen.requests[0]
                assert path == "/hook" and json.loads(body)["event"] == "check_in.recorded"
                expected = "sha256=" + hmac.new(HOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
                assert hmac.compare_digest(headers["X-Koers-Signature"], expected)
        finally:
            server.send_signal(signal.SIGINT)
            try:
                output, _ = server.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                output, _ = server.communicate()
                pytest.fail(f"koers serve did not stop on SIGINT:\n{output}")
    assert server.returncode == 0, output
    assert "Application shutdown complete" in output
    assert "Traceback" not in output, output
    assert ("Background jobs" in output) == (scheduler == "1")
