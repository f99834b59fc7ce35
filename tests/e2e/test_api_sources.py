"""Data sources through the API and the CLI (SQLite and PostgreSQL): the contract of issue 11, push tokens shown once,
secrets never shown back, and `koers sync` / `koers explain` on a KPI fed by a second SQLite file."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

from tests.loopback import loopback_server

PROBLEM = "application/problem+json"

KEY = "e2e secret key of at least 32 characters"  # KOERS_SECRET_KEY: at least 32 characters


def _configure(api: Any, allow_private: bool = True) -> None:
    api.koers.settings = replace(api.koers.settings, secret_key=KEY, allow_private_networks=allow_private)


def _measurements(api: Any) -> int:
    with api.koers.uow(read_only=True) as uow:
        return len(uow.measurements.history(api.ids["kpi"]))


def test_an_http_json_source_is_set_shown_without_secrets_and_dry_run_records_nothing(api: Any) -> None:
    _configure(api)
    kpi = api.ids["kpi"]
    with loopback_server(lambda m, p, b: (200, {"Content-Type": "application/json"}, b'{"data": {"nps": 73.5}}')) as (
        base,
        seen,
    ):
        body = {
            "kind": "http_json",
            "url": f"{base}/nps",
            "selector": "$.data.nps",
            "headers": {"Authorization": "Bearer bi-secret"},
            "every": "15m",
        }
        put = api.client.put(f"/api/v1/kpis/{kpi}/source", json=body, headers=api.headers("owner"))
        assert put.status_code == 200, put.text
        assert put.json()["headers"] == {"Authorization": "***"} and put.json()["push_token"] is None
        got = api.client.get(f"/api/v1/kpis/{kpi}/source", headers=api.headers("owner")).json()
        assert got["kind"] == "http_json" and got["every"] == "15m" and got["selector"] == "$.data.nps"
        assert (got["last_run_at"], got["last_value"], got["last_error"]) == (None, None, None)
        assert "bi-secret" not in api.client.get(f"/api/v1/kpis/{kpi}/source", headers=api.headers("admin")).text
        before = _measurements(api)
        tried = api.client.post(f"/api/v1/kpis/{kpi}/source/dry-run", headers=api.headers("owner"))
        assert tried.status_code == 200 and tried.json()["value"] == 73.5
        assert _measurements(api) == before
        assert seen.requests[0][2]["Authorization"] == "Bearer bi-secret"
    other = api.client.get(f"/api/v1/kpis/{kpi}/source", headers=api.headers("other"))
    assert other.status_code == 403 and other.headers["content-type"] == PROBLEM


def test_bad_settings_are_problems_naming_the_field(api: Any) -> None:
    _configure(api)
    kpi = api.ids["kpi"]
    cases = [
        ({"kind": "http_json", "url": "https://x.example/", "selector": "$.a", "every": "1w"}, 422, "every"),
        ({"kind": "http_json", "url": "https://x.example/"}, 422, "selector"),
        ({"kind": "http_json", "url": "https://x.example/", "selector": "a.b"}, 422, "selector"),
        ({"kind": "csv", "url": "https://x.example/a.csv", "column": "n", "query": "x"}, 422, "query"),
        ({"kind": "rss", "url": "https://x.example/"}, 422, None),
    ]
    for body, status, field in cases:
        answer = api.client.put(f"/api/v1/kpis/{kpi}/source", json=body, headers=api.headers("owner"))
        assert answer.status_code == status, (body, answer.text)
        assert answer.headers["content-type"] == PROBLEM
        if field:
            assert field in answer.text
    sql = {"kind": "sql", "url": "sqlite:///x.db", "query": "SELECT 1"}
    assert api.client.put(f"/api/v1/kpis/{kpi}/source", json=sql, headers=api.headers("owner")).status_code == 403
    file_csv = {"kind": "csv", "url": "/etc/passwd", "column": "root"}
    assert api.client.put(f"/api/v1/kpis/{kpi}/source", json=file_csv, headers=api.headers("owner")).status_code == 403
    refused = api.client.post(
        f"/api/v1/kpis/{kpi}/source/dry-run",
        json={"kind": "http_json", "url": "http://169.254.169.254/latest/meta-data/", "selector": "$.a"},
        headers=api.headers("admin"),
    )
    assert refused.status_code == 422 and "metadata" in refused.json()["detail"]


def test_a_push_url_records_a_value_and_a_wrong_token_records_nothing(api: Any) -> None:
    _configure(api)
    kpi, kr = api.ids["kpi"], api.ids["key_result"]
    put = api.client.put(f"/api/v1/kpis/{kpi}/source", json={"kind": "push"}, headers=api.headers("owner")).json()
    token, url = put["push_token"], put["push_url"]
    assert url == f"/api/v1/kpis/{kpi}/source/push" and len(token) >= 43
    shown = api.client.get(f"/api/v1/kpis/{kpi}/source", headers=api.headers("owner")).json()
    assert "push_token" not in shown and token not in str(shown)
    before = _measurements(api)
    for headers in ({}, {"X-Koers-Push-Token": "wrong"}, {"X-Koers-Push-Token": token[:-1]}, api.headers("admin")):
        refused = api.client.post(url, json={"value": 12.3}, headers=headers)
        assert refused.status_code == 401 and refused.headers["content-type"] == PROBLEM
    assert _measurements(api) == before
    for bad in ({"value": True}, {"value": 1e16}, {"value": "twelve"}, {}):  # as POST ./measurements refuses
        assert api.client.post(url, json=bad, headers={"X-Koers-Push-Token": token}).status_code == 422
    pushed = api.client.post(url, json={"value": 12.3}, headers={"X-Koers-Push-Token": token})
    assert pushed.status_code == 201 and pushed.json()["measurement_id"] is not None
    assert _measurements(api) == before + 1
    with api.koers.uow(read_only=True) as uow:
        assert uow.kpis.get(kpi).current == 12.3
    # a key result's push URL records a check-in, through the same use case as POST .../check-ins
    kr_put = api.client.put(f"/api/v1/key-results/{kr}/source", json={"kind": "push"}, headers=api.headers("owner"))
    kr_token = kr_put.json()["push_token"]
    assert (
        api.client.post(
            f"/api/v1/key-results/{kr}/source/push", json={"value": 7.5}, headers={"X-Koers-Push-Token": token}
        ).status_code
        == 401
    )
    recorded = api.client.post(
        f"/api/v1/key-results/{kr}/source/push", json={"value": 7.5}, headers={"X-Koers-Push-Token": kr_token}
    )
    assert recorded.status_code == 201 and recorded.json()["check_in_id"] is not None
    runs = api.client.get(f"/api/v1/key-results/{kr}/source/runs", headers=api.headers("owner")).json()["items"]
    assert [r["value"] for r in runs] == [7.5] and runs[0]["kind"] == "push"


def test_koers_sync_updates_a_kpi_from_a_second_sqlite_file_and_explain_shows_the_query(
    cli: Any, tmp_path: Path
) -> None:
    assert cli("demo").code == 0
    bi = tmp_path / "bi.db"
    with sqlite3.connect(bi) as connection:
        connection.execute("CREATE TABLE churn (month TEXT, pct REAL)")
        connection.execute("INSERT INTO churn VALUES ('2026-11', 6.0)")
    query = "SELECT pct FROM churn ORDER BY month DESC LIMIT 1"
    set_ = cli("source", "set", "kpi:1", "sql", "--url", f"sqlite:///{bi}", "--query", query, "--every", "1h")
    assert set_.code == 0, set_.err
    assert "6" in cli("source", "dry-run", "kpi:1").out
    synced = cli("sync")
    assert synced.code == 0 and "sources.sync: 1 source(s) run, 1 new value(s), 0 failed" in synced.out
    explained = cli("explain", "1")
    assert "fetched by its sql source at" in explained.out and query in explained.out
    assert "score = round(100 × clamp(0.8, 0, 1), 1) = 80.0" in explained.out
    assert "sources.sync: not due" in cli("sync").out
    with sqlite3.connect(bi) as connection:
        connection.execute("INSERT INTO churn VALUES ('2026-12', 5.0)")
    assert "1 new value(s)" in cli("sync", "--all").out
    assert "= 100.0" in cli("explain", "1").out
    runs = cli("source", "runs", "kpi:1")
    assert runs.code == 0 and runs.out.count("(recorded)") == 2
    assert cli("source", "show", "kr:1").code == 1  # the key result has no source of its own
    assert "kpi:ID" in cli("source", "show", "1").err


def test_removing_a_source_keeps_its_values_and_provenance_and_stops_the_push_token(api: Any) -> None:
    from koers.services.sources import provenance

    _configure(api)
    kpi = api.ids["kpi"]
    made = api.client.put(f"/api/v1/kpis/{kpi}/source", json={"kind": "push"}, headers=api.headers("owner")).json()
    token = {"X-Koers-Push-Token": made["push_token"]}
    pushed = api.client.post(f"/api/v1/kpis/{kpi}/source/push", json={"value": 12.5}, headers=token)
    assert pushed.status_code == 201
    assert api.client.delete(f"/api/v1/kpis/{kpi}/source", headers=api.headers("other")).status_code == 403
    assert api.client.delete(f"/api/v1/kpis/{kpi}/source", headers=api.headers("owner")).status_code == 204
    assert api.client.get(f"/api/v1/kpis/{kpi}/source", headers=api.headers("owner")).status_code == 404
    again = api.client.delete(f"/api/v1/kpis/{kpi}/source", headers=api.headers("owner"))
    assert again.status_code == 404 and again.headers["content-type"] == PROBLEM
    before = _measurements(api)
    refused = api.client.post(f"/api/v1/kpis/{kpi}/source/push", json={"value": 99}, headers=token)
    assert refused.status_code == 401 and _measurements(api) == before
    with api.koers.uow(read_only=True) as uow:  # what it recorded stays, with where it came from
        behind = provenance(uow, measurement_id=pushed.json()["measurement_id"])
        assert behind is not None and behind["kind"] == "push" and behind["value"] == 12.5
        audit = "SELECT action FROM audit_log WHERE entity = 'source' ORDER BY id"
        actions = [row[0] for row in uow.connection.exec_driver_sql(audit)]
    assert actions[-1] == "delete"


def test_source_remove_on_the_command_line(cli: Any) -> None:
    assert cli("demo").code == 0
    assert cli("source", "set", "kr:1", "push").code == 0
    removed = cli("source", "remove", "kr:1")
    assert removed.code == 0 and "removed" in removed.out
    assert cli("source", "show", "kr:1").code == 1
    assert cli("source", "remove", "kr:1").code == 1  # nothing left to remove


def test_a_secret_needs_the_secret_key_setting_with_the_webhooks_code(api: Any) -> None:
    api.koers.settings = replace(api.koers.settings, secret_key="too short", allow_private_networks=True)
    body = {"kind": "http_json", "url": "https://bi.example.org/nps", "selector": "$.nps", "headers": {"X-Key": "k"}}
    answer = api.client.put(f"/api/v1/kpis/{api.ids['kpi']}/source", json=body, headers=api.headers("owner"))
    assert answer.status_code == 422 and "KOERS_SECRET_KEY or KOERS_SECRET_KEY_FILE (at least 32" in answer.text
    body["headers"] = {"X-Key": "env:BI_KEY"}  # a reference to the environment needs no key
    answer = api.client.put(f"/api/v1/kpis/{api.ids['kpi']}/source", json=body, headers=api.headers("owner"))
    assert answer.status_code == 200, answer.text


def test_a_failed_run_is_stored_by_code_english_in_the_api_and_dutch_on_the_page(api: Any) -> None:
    import json
    from datetime import UTC, datetime

    from koers.services.sources import sync_sources

    _configure(api, allow_private=False)
    kpi = api.ids["kpi"]
    body = {"kind": "http_json", "url": "http://127.0.0.1:9/nps", "selector": "$.nps"}
    assert api.client.put(f"/api/v1/kpis/{kpi}/source", json=body, headers=api.headers("owner")).status_code == 200
    assert "1 failed" in sync_sources(api.koers.uow, datetime.now(UTC), api.koers.settings, force=True)
    with api.koers.uow() as uow:
        stored = uow.connection.exec_driver_sql("SELECT last_error FROM sources").scalar_one()
        run = uow.connection.exec_driver_sql("SELECT error FROM source_runs").scalar_one()
        uow.users.set_fields(api.ids["owner_user"], locale="nl")
    assert json.loads(stored)["code"] == json.loads(run)["code"] == "net.address_refused"
    shown = api.client.get(f"/api/v1/kpis/{kpi}/source", headers=api.headers("owner")).json()
    assert shown["last_error"].startswith("127.0.0.1 lies in a loopback range")
    runs = api.client.get(f"/api/v1/kpis/{kpi}/source/runs", headers=api.headers("owner")).json()["items"]
    assert runs[0]["error"] == shown["last_error"]
    page = api.client.get(f"/kpis/{kpi}/source", cookies=api.cookies("owner"))
    assert page.status_code == 200
    assert page.text.count("127.0.0.1 ligt in een loopback-bereik") == 2 and "lies in a" not in page.text


def test_errors_that_are_not_koers_errors_keep_their_text() -> None:
    from koers.services.sources import english, error_of, stored_error

    assert english(stored_error(RuntimeError("driver said no"))) == "RuntimeError: driver said no"
    assert english("text stored before errors had codes") == "text stored before errors had codes"
    assert english('{"code": "no.such_code", "params": {}}') == '{"code": "no.such_code", "params": {}}'
    assert english('{"code": "source.env_missing", "params": {}}') == '{"code": "source.env_missing", "params": {}}'
    assert error_of(None) is None
