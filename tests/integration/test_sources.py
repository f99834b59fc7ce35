"""Data sources end to end on SQLite and PostgreSQL: a KPI fed by SQL (a second SQLite file, the local PostgreSQL),
HTTP JSON and CSV (loopback servers and files), push tokens, provenance in `koers explain`, and the scheduler's
claims (each job once per tick, a failing source recording its error while the others run)."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from koers.bootstrap import Koers, bootstrap
from koers.config import Settings
from koers.domain.errors import KoersError, PermissionDenied
from koers.services import jobs, sources
from koers.services.accounts import Unauthenticated
from koers.services.explain import explain_key_result
from tests import builders as b
from tests.conftest import POSTGRES_URL
from tests.loopback import loopback_server

SECRET = "test secret key for the data sources, 32+ characters"


def settings_for(app: Koers, allow_private: bool = True) -> Settings:
    return Settings(app.settings.database_url, secret_key=SECRET, allow_private_networks=allow_private)


@pytest.fixture
def org(koers_app: Koers) -> dict[str, Any]:
    """A cycle, an objective, the KPI Churn and a key result following it (decrease 10 → 5), a member of the team."""
    with koers_app.uow() as uow:
        cycle = b.cycle(uow)
        team = b.team(uow)
        member = b.user(uow, teams=[team])
        kpi = b.kpi(uow, "Churn", team_id=team.id, unit="%", direction="lower_is_better", green_at=5, red_at=9)
        objective = b.objective(uow, cycle.id, team_id=team.id)
        kr = b.key_result(uow, objective.id, "decrease", kpi_id=kpi.id, baseline=10, target=5)
    return {"kpi": kpi.id, "kr": kr.id, "member": member, "objective": objective.id}


@pytest.fixture
def bi_file(tmp_path: Path) -> Path:
    path = tmp_path / "bi.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE churn (month TEXT, pct REAL)")
        connection.execute("INSERT INTO churn VALUES ('2026-10', 7.5), ('2026-11', 6.0)")
    return path


LATEST = "SELECT pct FROM churn ORDER BY month DESC LIMIT 1"


def _kr_score(app: Koers, kr_id: int) -> float:
    with app.uow(read_only=True) as uow:
        return uow.key_results.get(kr_id).score


def test_a_kpi_fed_by_a_second_sqlite_file_updates_on_sync_and_its_key_result_scores(
    koers_app: Koers, org: dict[str, Any], bi_file: Path
) -> None:
    settings = settings_for(koers_app)
    with koers_app.uow() as uow:
        sources.set_source(
            uow, "kpi", org["kpi"], {"kind": "sql", "url": f"sqlite:///{bi_file}", "query": LATEST}, settings
        )
    assert _kr_score(koers_app, org["kr"]) == 0.0
    now = datetime.now(UTC)
    summary = sources.sync_sources(koers_app.uow, now, settings)
    assert summary == "1 source(s) run, 1 new value(s), 0 failed"
    assert _kr_score(koers_app, org["kr"]) == 80.0  # (10 − 6) / (10 − 5)
    with koers_app.uow(read_only=True) as uow:
        kpi = uow.kpis.get(org["kpi"])
        explained = explain_key_result(uow, org["kr"], date.today())
        view = sources.source_view(sources.source_of(uow, "kpi", org["kpi"]))
    assert kpi.current == 6.0
    assert explained["provenance"]["kind"] == "sql" and explained["provenance"]["target"] == LATEST
    assert explained["provenance"]["at"] == explained["value_used"]["at"]
    assert view["last_value"] == 6.0 and view["last_error"] is None and view["last_run_at"] is not None
    # not due again within the hour: nothing runs; new data and a forced run move the score
    assert sources.sync_sources(koers_app.uow, now + timedelta(minutes=5), settings).startswith("0 source(s)")
    with sqlite3.connect(bi_file) as connection:
        connection.execute("INSERT INTO churn VALUES ('2026-12', 5.0)")
    sources.sync_sources(koers_app.uow, now + timedelta(hours=1, seconds=1), settings)
    assert _kr_score(koers_app, org["kr"]) == 100.0
    # an unchanged value is a run, not a new measurement
    sources.sync_sources(koers_app.uow, now + timedelta(hours=3), settings)
    with koers_app.uow(read_only=True) as uow:
        assert len(uow.measurements.history(org["kpi"])) == 2
        assert len(uow.source_runs.recent(view["id"])) == 3


@pytest.fixture
def pg_table() -> Iterator[tuple[str, str]]:
    """A small table in a unique schema of the local PostgreSQL: its URL and qualified name."""
    if not POSTGRES_URL:
        pytest.skip("needs KOERS_TEST_POSTGRES_URL")
    schema = f"bi_{uuid.uuid4().hex[:10]}"
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        connection.execute(text(f'CREATE TABLE "{schema}".nps (at date, score numeric)'))
        connection.execute(text(f"INSERT INTO \"{schema}\".nps VALUES ('2026-11-01', 74.0), ('2026-11-20', 76.5)"))
    try:
        yield POSTGRES_URL, f'"{schema}".nps'
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.mark.postgres
def test_a_kpi_fed_by_the_local_postgresql_updates_on_sync(koers_app: Koers, pg_table: tuple[str, str]) -> None:
    url, table = pg_table
    settings = settings_for(koers_app)
    with koers_app.uow() as uow:
        cycle = b.cycle(uow)
        kpi = b.kpi(uow, "NPS", direction="higher_is_better", green_at=75, red_at=60)
        objective = b.objective(uow, cycle.id)
        kr = b.key_result(uow, objective.id, "increase", kpi_id=kpi.id, baseline=70, target=80)
        query = f"SELECT score FROM {table} ORDER BY at DESC LIMIT 1"
        sources.set_source(uow, "kpi", kpi.id, {"kind": "sql", "url": url, "query": query, "every": "15m"}, settings)
    assert sources.sync_sources(koers_app.uow, datetime.now(UTC), settings).endswith("0 failed")
    assert _kr_score(koers_app, kr.id) == 65.0  # (76.5 − 70) / (80 − 70)
    with koers_app.uow(read_only=True) as uow:
        explained = explain_key_result(uow, kr.id, date.today())
    assert explained["provenance"]["target"] == query and explained["provenance"]["raw"] == '"76.5"'


@pytest.mark.postgres
def test_a_postgresql_source_is_read_only_single_statement_and_stopped_at_its_timeout(
    pg_table: tuple[str, str],
) -> None:
    from koers.integrations.sources import read_sql

    url, table = pg_table
    assert read_sql(url, f"SELECT count(*) FROM {table}").value == 2
    for query in (f"DELETE FROM {table} RETURNING 1", f"COMMIT; DELETE FROM {table}", f"SELECT 1; DROP TABLE {table}"):
        with pytest.raises(KoersError) as refused:
            read_sql(url, query)
        assert refused.value.code == "source.sql_failed", query
    with pytest.raises(KoersError) as slow:
        read_sql(url, "SELECT pg_sleep(5)::text::int", timeout=0.3)
    assert slow.value.code == "source.sql_timeout"
    assert read_sql(url, f"SELECT count(*) FROM {table}").value == 2  # nothing was deleted


def test_a_sqlite_source_is_read_only_single_statement_and_stopped_at_its_timeout(bi_file: Path) -> None:
    from koers.integrations.sources import read_sql

    url = f"sqlite:///{bi_file}"
    for query in ("DELETE FROM churn RETURNING 1", "SELECT 1; DELETE FROM churn", "PRAGMA query_only = 0"):
        with pytest.raises(KoersError):
            value = read_sql(url, query)
            assert query == "PRAGMA query_only = 0" and value  # a pragma returns no number: refused anyway
    slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    started = datetime.now(UTC)
    with pytest.raises(KoersError) as stopped:
        read_sql(url, slow, timeout=0.3)
    assert stopped.value.code == "source.sql_timeout" and datetime.now(UTC) - started < timedelta(seconds=3)
    for shape in ("SELECT pct FROM churn", "SELECT 1, 2", "SELECT pct FROM churn WHERE 0"):
        with pytest.raises(KoersError) as refused:
            read_sql(url, shape)
        assert refused.value.code == "source.sql_shape"
    with pytest.raises(KoersError):
        read_sql(f"sqlite:///{bi_file.parent / 'absent.db'}", "SELECT 1")
    assert not (bi_file.parent / "absent.db").exists()  # never created
    with sqlite3.connect(bi_file) as connection:
        assert connection.execute("SELECT count(*) FROM churn").fetchone() == (2,)


def test_a_failing_source_records_its_error_and_the_others_still_run(
    koers_app: Koers, org: dict[str, Any], bi_file: Path
) -> None:
    settings = settings_for(koers_app)
    with koers_app.uow() as uow:
        other = b.kpi(uow, "Broken")
        sources.set_source(
            uow, "kpi", other.id, {"kind": "sql", "url": f"sqlite:///{bi_file}", "query": "SELECT nope"}, settings
        )
        sources.set_source(
            uow, "kpi", org["kpi"], {"kind": "sql", "url": f"sqlite:///{bi_file}", "query": LATEST}, settings
        )
    assert (
        sources.sync_sources(koers_app.uow, datetime.now(UTC), settings) == "2 source(s) run, 1 new value(s), 1 failed"
    )
    with koers_app.uow(read_only=True) as uow:
        broken = sources.source_of(uow, "kpi", other.id)
        assert "no such column: nope" in (broken.last_error or "")
        assert uow.source_runs.recent(broken.id or 0)[0]["error"] == broken.last_error
        assert uow.measurements.history(other.id) == []
        assert uow.kpis.get(org["kpi"]).current == 6.0


def test_a_push_url_records_a_value_and_a_wrong_token_records_nothing(koers_app: Koers, org: dict[str, Any]) -> None:
    settings = settings_for(koers_app)
    with koers_app.uow() as uow:
        source, token = sources.set_source(uow, "key_result", org["kr"], {"kind": "push"}, settings)
        _, kpi_token = sources.set_source(uow, "kpi", org["kpi"], {"kind": "push"}, settings)
    assert token and len(token) >= 43 and source.push_token_hash == sources.token_hash(token)
    with koers_app.uow(read_only=True) as uow:
        stored = uow.connection.exec_driver_sql("SELECT push_token_hash, config FROM sources").all()
    assert all(token not in str(row) for row in stored)
    for wrong in (None, "", token + "x", kpi_token):  # the KPI's token is no key to the key result
        with pytest.raises(Unauthenticated):
            sources.push_value(koers_app.uow, "key_result", org["kr"], wrong, 7.5)
    assert _kr_score(koers_app, org["kr"]) == 0.0
    recorded = sources.push_value(koers_app.uow, "key_result", org["kr"], token, 7.5)
    assert recorded["check_in_id"] is not None and _kr_score(koers_app, org["kr"]) == 50.0
    with koers_app.uow(read_only=True) as uow:
        assert [c.value for c in uow.check_ins.history(org["kr"])] == [7.5]
        assert explain_key_result(uow, org["kr"], date.today())["provenance"]["kind"] == "push"
    # a new PUT gives a new token; the old one is refused from then on
    with koers_app.uow() as uow:
        _, newer = sources.set_source(uow, "key_result", org["kr"], {"kind": "push"}, settings)
    with pytest.raises(Unauthenticated):
        sources.push_value(koers_app.uow, "key_result", org["kr"], token, 8)
    sources.push_value(koers_app.uow, "key_result", org["kr"], newer, 8)


def test_http_json_with_secret_headers_stored_encrypted_and_shown_as_stars(
    koers_app: Koers, org: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BI_TOKEN", "from-the-environment")

    def answer(method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "application/json"}, b'{"data": {"churn": {"pct": "6,5"}}}'

    with loopback_server(answer) as (base, seen):
        settings = settings_for(koers_app)
        body = {
            "kind": "http_json",
            "url": f"{base}/churn?key=abc",
            "selector": "$.data.churn.pct",
            "headers": {"Authorization": "Bearer very-secret", "X-Env": "env:BI_TOKEN"},
            "locale": "nl",
            "every": "15m",
        }
        with koers_app.uow() as uow:
            source, _ = sources.set_source(uow, "kpi", org["kpi"], body, settings)
        view = sources.source_view(source)
        assert view["headers"] == {"Authorization": "***", "X-Env": "env:BI_TOKEN"} and view["every"] == "15m"
        with koers_app.uow(read_only=True) as uow:
            row = uow.connection.exec_driver_sql("SELECT config, secret FROM sources").one()
        assert "very-secret" not in row[0] and "very-secret" not in row[1]
        tried = sources.dry_run(lambda: koers_app.uow(read_only=True), "kpi", org["kpi"], None, settings)
        assert tried["value"] == 6.5 and tried["target"].endswith("/churn?key=***")
        with koers_app.uow(read_only=True) as uow:
            assert uow.measurements.history(org["kpi"]) == []  # a dry run records nothing
        # sending "***" back keeps the stored secret
        with koers_app.uow() as uow:
            sources.set_source(uow, "kpi", org["kpi"], {**body, "headers": {"Authorization": "***"}}, settings)
        sources.sync_sources(koers_app.uow, datetime.now(UTC), settings)
    sent = [headers for _, _, headers, _ in seen.requests]
    assert sent[0]["Authorization"] == "Bearer very-secret" and sent[0]["X-Env"] == "from-the-environment"
    assert sent[1]["Authorization"] == "Bearer very-secret"
    assert _kr_score(koers_app, org["kr"]) == 70.0


def test_with_private_networks_not_allowed_a_loopback_source_fails_before_any_connection(
    koers_app: Koers, org: dict[str, Any]
) -> None:
    with loopback_server(lambda m, p, b_: (200, {}, b'{"v": 1}')) as (base, seen):
        settings = settings_for(koers_app, allow_private=False)
        with koers_app.uow() as uow:
            sources.set_source(uow, "kpi", org["kpi"], {"kind": "http_json", "url": base, "selector": "$.v"}, settings)
        assert sources.sync_sources(koers_app.uow, datetime.now(UTC), settings).endswith("1 failed")
        with pytest.raises(KoersError) as refused:
            sources.dry_run(lambda: koers_app.uow(read_only=True), "kpi", org["kpi"], None, settings)
    assert refused.value.code == "net.address_refused"
    assert seen.connections == 0
    with koers_app.uow(read_only=True) as uow:
        assert "loopback" in (sources.source_of(uow, "kpi", org["kpi"]).last_error or "")


def test_csv_sources_from_a_file_for_admins_only(koers_app: Koers, org: dict[str, Any], tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("maand;churn\n2026-09;8,0\n2026-10;7,0\n2026-11;6,0\n", encoding="utf-8")
    settings = settings_for(koers_app)
    body = {"kind": "csv", "url": str(export), "column": "churn", "aggregate": "mean", "locale": "nl"}
    with koers_app.uow(actor=org["member"]) as uow, pytest.raises(PermissionDenied):
        sources.set_source(uow, "kpi", org["kpi"], body, settings)
    with koers_app.uow(actor=org["member"]) as uow, pytest.raises(PermissionDenied):
        sources.set_source(
            uow, "kpi", org["kpi"], {"kind": "sql", "url": "sqlite:///x.db", "query": "SELECT 1"}, settings
        )
    with koers_app.uow() as uow:  # the system (an admin) may
        sources.set_source(uow, "kpi", org["kpi"], body, settings)
    results = {}
    for how in ("last", "sum", "mean", "count"):
        results[how] = sources.dry_run(
            lambda: koers_app.uow(read_only=True), "kpi", org["kpi"], {**body, "aggregate": how}, settings
        )["value"]
    assert results == {"last": 6.0, "sum": 21.0, "mean": 7.0, "count": 3.0}
    with pytest.raises(KoersError) as missing:
        sources.dry_run(lambda: koers_app.uow(read_only=True), "kpi", org["kpi"], {**body, "column": "nps"}, settings)
    assert missing.value.code == "source.csv_column_missing" and "maand" in missing.value.message


def test_a_member_of_the_team_may_set_an_http_source_and_an_outsider_may_not(
    koers_app: Koers, org: dict[str, Any]
) -> None:
    settings = settings_for(koers_app)
    with koers_app.uow() as uow:
        outsider = b.user(uow, teams=[b.team(uow)])
    body = {"kind": "http_json", "url": "https://bi.example.org/nps", "selector": "$.nps"}
    with koers_app.uow(actor=outsider) as uow, pytest.raises(PermissionDenied):
        sources.set_source(uow, "kpi", org["kpi"], body, settings)
    with koers_app.uow(actor=org["member"]) as uow:
        source, token = sources.set_source(uow, "key_result", org["kr"], body, settings)
    assert token is None and source.created_by == org["member"].id


def test_each_job_runs_once_per_tick_whatever_the_number_of_processes(koers_app: Koers) -> None:
    """Four schedulers (each its own engine, as separate processes would have) tick at once: the job runs once."""
    ran: list[str] = []
    job = jobs.Job("test.once", timedelta(minutes=1), lambda open_uow, now: ran.append("x") or "ok")
    engines = [bootstrap(Settings(koers_app.settings.database_url)) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    now = datetime.now(UTC)
    outcomes: list[jobs.JobOutcome] = []

    def tick(app: Koers) -> None:
        barrier.wait()
        outcomes.append(jobs.run_job(app.uow, job, now))

    threads = [threading.Thread(target=tick, args=(app,)) for app in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for app in engines:
        app.engine.dispose()
    assert ran == ["x"] and sum(o.ran for o in outcomes) == 1
    assert not jobs.run_job(koers_app.uow, job, now + timedelta(seconds=20)).ran  # same tick
    assert jobs.run_job(koers_app.uow, job, now + timedelta(seconds=55)).ran  # the next minute (10% slack)


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(koers_app: Koers) -> None:
    def broken(open_uow: Any, now: datetime) -> str:
        raise RuntimeError("receiver down")

    jobs.register(jobs.Job("test.a_broken", timedelta(minutes=1), broken))
    jobs.register(jobs.Job("test.b_fine", timedelta(minutes=1), lambda open_uow, now: "fine"))
    try:
        outcomes = {o.name: o for o in jobs.run_due(koers_app.uow, names=["test.a_broken", "test.b_fine"])}
    finally:
        jobs.JOBS.pop("test.a_broken")
        jobs.JOBS.pop("test.b_fine")
    assert outcomes["test.a_broken"].error == "RuntimeError: receiver down"
    assert outcomes["test.b_fine"].summary == "fine"
    with koers_app.uow(read_only=True) as uow:
        rows = {r["name"]: r for r in uow.job_runs.all()}
    assert rows["test.a_broken"]["last_error"] == "RuntimeError: receiver down"


def test_the_nightly_recompute_is_due_once_after_each_midnight() -> None:
    job = jobs.catalogue()["scores.recompute_all"]
    now = datetime.now(UTC)
    local_midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    assert jobs.due_before(job, now) >= local_midnight - timedelta(microseconds=1)
    assert "sources.sync" in jobs.catalogue()
