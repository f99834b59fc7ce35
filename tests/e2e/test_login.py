"""Logging in over HTTP: timing that tells no one who has an account, throttling per account and per address in
the database (shared by workers, kept over a restart), and forwarded addresses only from trusted proxies."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace

from fastapi.testclient import TestClient

from koers.bootstrap import bootstrap
from koers.config import Settings
from koers.http.app import create_app
from koers.services.login import LoginThrottle
from tests.e2e.api_support import OTHER_TEAM_MEMBER, OWNING_TEAM_MEMBER, PASSWORD, make_api

LOGIN = "/api/v1/auth/login"


def _median_seconds(client: TestClient, email: str, tries: int = 10) -> float:
    times = []
    for _ in range(tries):
        start = time.perf_counter()
        assert client.post(LOGIN, json={"email": email, "password": "not-the-password"}).status_code == 401
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_an_unknown_address_costs_as_much_time_as_a_wrong_password(database_url):
    api = make_api(database_url, throttle=LoginThrottle(limit=1000, account_limit=1000))
    try:
        _median_seconds(api.client, OWNING_TEAM_MEMBER, tries=2)  # warm up
        wrong_password = _median_seconds(api.client, OWNING_TEAM_MEMBER)
        unknown = _median_seconds(api.client, "nobody-here@example.org")
        assert 0.5 <= unknown / wrong_password <= 2, (unknown, wrong_password)
    finally:
        api.koers.engine.dispose()


def test_a_restart_keeps_the_counters(database_url):
    throttle = LoginThrottle(limit=3, account_limit=10)
    api = make_api(database_url, throttle=throttle)
    for _ in range(3):
        assert api.client.post(LOGIN, json={"email": OWNING_TEAM_MEMBER, "password": "fout-fout"}).status_code == 401
    api.koers.engine.dispose()
    restarted = bootstrap(Settings(database_url))  # another worker, or the same after a restart
    try:
        client = TestClient(create_app(restarted, login_throttle=throttle), raise_server_exceptions=False)
        blocked = client.post(LOGIN, json={"email": OTHER_TEAM_MEMBER, "password": PASSWORD})
        assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    finally:
        restarted.engine.dispose()


def test_a_forged_forwarded_header_does_not_escape_the_address_limit(sqlite_url):
    api = make_api(sqlite_url, throttle=LoginThrottle(limit=3, account_limit=100))
    client = TestClient(api.client.app, raise_server_exceptions=False, client=("127.0.0.1", 50000))
    for n in range(3):
        forged = {"X-Forwarded-For": f"203.0.113.{n}"}
        client.post(LOGIN, json={"email": OWNING_TEAM_MEMBER, "password": "fout-fout"}, headers=forged)
    refused = client.post(
        LOGIN, json={"email": OTHER_TEAM_MEMBER, "password": PASSWORD}, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert refused.status_code == 429  # 127.0.0.1 is no trusted proxy unless configured
    api.koers.engine.dispose()


def test_a_configured_proxy_forwards_the_client_address(sqlite_url):
    api = make_api(sqlite_url, throttle=LoginThrottle(limit=3, account_limit=100))
    koers = replace(api.koers, settings=replace(api.koers.settings, trusted_proxies=("127.0.0.0/8",)))
    app = create_app(koers, login_throttle=LoginThrottle(limit=3, account_limit=100))
    client = TestClient(app, raise_server_exceptions=False, client=("127.0.0.1", 50000))
    for _ in range(3):
        forwarded = {"X-Forwarded-For": "203.0.113.1"}
        client.post(LOGIN, json={"email": OWNING_TEAM_MEMBER, "password": "fout-fout"}, headers=forwarded)
    # each client has its own counter behind the proxy: another client is not locked out
    good = client.post(
        LOGIN, json={"email": OTHER_TEAM_MEMBER, "password": PASSWORD}, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert good.status_code == 201
    spoofing = {"X-Forwarded-For": "198.51.100.1, 203.0.113.1"}  # the left part is the client's own say-so
    refused = client.post(LOGIN, json={"email": OTHER_TEAM_MEMBER, "password": PASSWORD}, headers=spoofing)
    assert refused.status_code == 429
    api.koers.engine.dispose()


def test_the_web_login_is_throttled_through_the_same_counters(sqlite_url):
    api = make_api(sqlite_url, throttle=LoginThrottle(limit=3, account_limit=100))
    for _ in range(3):
        assert api.client.post(LOGIN, json={"email": OWNING_TEAM_MEMBER, "password": "fout-fout"}).status_code == 401
    page = api.client.get("/login")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = api.client.post(
        "/login", data={"email": OTHER_TEAM_MEMBER, "password": PASSWORD, "csrf_token": csrf, "next": "/"}
    )
    assert answer.status_code == 429
    api.koers.engine.dispose()


def test_koers_serve_leaves_forwarded_headers_to_the_trusted_proxies_setting(sqlite_cli, monkeypatch):
    import uvicorn

    started: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options))
    assert sqlite_cli("serve", "--port", "8123").code == 0
    assert started["proxy_headers"] is False  # uvicorn's default believes X-Forwarded-For from 127.0.0.1
