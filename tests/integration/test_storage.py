"""Storage on SQLite and PostgreSQL: migrations, append-only history, stored scores that match a full rebuild."""

from __future__ import annotations

import contextlib
import random
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from koers.bootstrap import bootstrap
from koers.config import Settings
from koers.domain.errors import Conflict, NotFound, ValidationError
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.check_ins import record_check_in
from koers.services.kpis import record_measurement
from koers.services.scores import recompute_all
from koers.storage import tables as t
from koers.storage.database import make_engine
from koers.storage.schema import current_revision, head_revision, upgrade
from tests import builders as b


def test_migrations_run_from_the_first_revision_to_the_last_and_match_the_models(database_url):
    engine = make_engine(database_url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        drift = compare_metadata(MigrationContext.configure(connection), t.metadata)
    assert drift == [], f"models and migrations differ: {drift}"
    engine.dispose()


def test_init_is_idempotent(database_url):
    for _ in range(2):
        app = bootstrap(Settings(database_url))
        assert current_revision(app.engine) == head_revision()
        app.engine.dispose()


def test_database_refuses_to_rewrite_check_ins_and_measurements(koers_app):
    with koers_app.uow() as uow:
        cycle = b.cycle(uow)
        kr = b.key_result(uow, b.objective(uow, cycle.id).id)
        kpi = b.kpi(uow)
        record_check_in(uow, kr.id, 75)
        record_measurement(uow, kpi.id, 7)
    for statement in (
        "UPDATE check_ins SET value = 1",
        "DELETE FROM check_ins",
        "UPDATE measurements SET value = 1",
        "DELETE FROM measurements",
    ):
        with pytest.raises(DBAPIError, match="append-only"), koers_app.engine.begin() as connection:
            connection.execute(text(statement))
    with koers_app.uow(read_only=True) as uow:
        assert uow.check_ins.values(kr.id) == [75.0]
        assert uow.measurements.latest(kpi.id).value == 7.0


def test_check_in_updates_key_result_and_every_ancestor_objective(koers_app):
    with koers_app.uow() as uow:
        year = b.cycle(uow, "2026", 300, 60)
        quarter = b.cycle(uow)
        company = b.objective(uow, year.id, "Groeien", level="strategic")
        team = b.objective(uow, quarter.id, "Klanten behouden", parent_id=company.id)
        kr = b.key_result(uow, team.id, "decrease")
        record_check_in(uow, kr.id, 7.5, "on_track", "eerste stap")
    with koers_app.uow(read_only=True) as uow:
        assert uow.key_results.get(kr.id).score == 50.0
        assert uow.objectives.get(team.id).score == 50.0
        assert uow.objectives.get(company.id).score == 50.0
        assert uow.key_results.get(kr.id).confidence == "on_track"


def test_linked_kpi_measurement_counts_when_it_is_newer_than_the_latest_check_in(koers_app):
    with koers_app.uow() as uow:
        cycle = b.cycle(uow)
        kpi = b.kpi(uow)
        kr = b.key_result(uow, b.objective(uow, cycle.id).id, "decrease", kpi_id=kpi.id)
        record_check_in(uow, kr.id, 9, created_at=b.ago(days=2))
        record_measurement(uow, kpi.id, 7.5, at=b.ago(days=1))
    with koers_app.uow(read_only=True) as uow:
        assert uow.key_results.get(kr.id).current == 7.5
    with koers_app.uow() as uow:
        record_check_in(uow, kr.id, 6)
    with koers_app.uow(read_only=True) as uow:
        assert uow.key_results.get(kr.id).current == 6.0
        assert uow.key_results.get(kr.id).score == 80.0
    with koers_app.uow() as uow:
        record_measurement(uow, kpi.id, 5, at=b.ago(days=3))  # older than the check-in: changes nothing
    with koers_app.uow(read_only=True) as uow:
        assert uow.key_results.get(kr.id).current == 6.0


def test_closed_cycle_refuses_check_ins_and_keeps_its_kpi_values(koers_app):
    with koers_app.uow() as uow:
        cycle = b.cycle(uow)
        kpi = b.kpi(uow)
        kr = b.key_result(uow, b.objective(uow, cycle.id).id, "decrease", kpi_id=kpi.id)
        record_measurement(uow, kpi.id, 7.5, at=b.ago(hours=2))
        result = org.close_cycle(uow, cycle.id)
    assert result["grades"][0]["grade"] == 0.5
    with pytest.raises(ValidationError, match="closed"), koers_app.uow() as uow:
        record_check_in(uow, kr.id, 5)
    with koers_app.uow() as uow:
        record_measurement(uow, kpi.id, 5)
    with koers_app.uow(read_only=True) as uow:
        assert uow.key_results.get(kr.id).score == 50.0
    with koers_app.uow() as uow:
        recompute_all(uow)
        assert uow.key_results.get(kr.id).score == 50.0


def test_failed_use_case_leaves_nothing_behind(koers_app):
    with koers_app.uow() as uow:
        cycle = b.cycle(uow)
    with pytest.raises(NotFound), koers_app.uow() as uow:
        b.objective(uow, cycle.id, "Eerste")
        b.objective(uow, cycle.id, "Tweede", parent_id=999)
    with koers_app.uow(read_only=True) as uow:
        assert uow.objectives.list() == []


def test_stale_version_is_refused(koers_app):
    with koers_app.uow() as uow:
        objective = b.objective(uow, b.cycle(uow).id)
        goals.update_objective(uow, objective.id, {"title": "Klanten echt behouden"}, version=1)
    with pytest.raises(Conflict, match="changed by someone else"), koers_app.uow() as uow:
        goals.update_objective(uow, objective.id, {"title": "Iets anders"}, version=1)


def test_alignment_loop_is_refused(koers_app):
    with koers_app.uow() as uow:
        cycle = b.cycle(uow)
        a = b.objective(uow, cycle.id, "A")
        child = b.objective(uow, cycle.id, "B", parent_id=a.id)
        grandchild = b.objective(uow, cycle.id, "C", parent_id=child.id)
    with pytest.raises(ValidationError, match="loop"), koers_app.uow() as uow:
        goals.align_objective(uow, a.id, grandchild.id)


def _stored(uow):
    krs = {
        row.id: (row.current, row.score, row.progress, row.confidence)
        for row in uow.connection.execute(select(t.key_results))
    }
    objectives = {row.id: row.score for row in uow.connection.execute(select(t.objectives))}
    kpis = {row.id: row.current for row in uow.connection.execute(select(t.kpis))}
    return krs, objectives, kpis


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_scores_always_agree_with_a_rebuild_from_raw_history(koers_app, seed):
    rng = random.Random(seed)
    with koers_app.uow() as uow:
        cycle = b.cycle(uow)
        kpis = [b.kpi(uow, f"KPI {i}") for i in range(3)]
        parents = [b.objective(uow, cycle.id, "Strategisch", level="strategic")]
        objectives = []
        for i in range(6):
            parent = rng.choice([*parents, *objectives, None])
            objectives.append(b.objective(uow, cycle.id, f"Doel {i}", parent_id=parent.id if parent else None))
        krs = []
        for objective in objectives:
            for _ in range(rng.randint(0, 3)):
                kind = rng.choice(["increase", "decrease", "range", "above", "below", "milestone"])
                link = rng.choice([None, *kpis]) if kind != "milestone" else None
                krs.append(
                    b.key_result(
                        uow, objective.id, kind, weight=rng.choice([1, 2, 0.5]), kpi_id=link.id if link else None
                    )
                )
    for step in range(120):
        with koers_app.uow() as uow:
            action = rng.random()
            if action < 0.6 and krs:
                kr = rng.choice(krs)
                value = rng.choice([0, 1]) if kr.kind == "milestone" else round(rng.uniform(0, 100), 2)
                record_check_in(uow, kr.id, value, created_at=b.ago(minutes=rng.randint(0, 5000)))
            elif action < 0.85:
                record_measurement(
                    uow, rng.choice(kpis).id, round(rng.uniform(0, 12), 2), at=b.ago(minutes=rng.randint(0, 5000))
                )
            elif action < 0.95 and krs:
                goals.archive_key_result(uow, krs.pop(rng.randrange(len(krs))).id)
            else:
                objective = rng.choice(objectives)
                with contextlib.suppress(ValidationError):
                    goals.align_objective(uow, objective.id, rng.choice([*parents, *objectives]).id)
        if step % 40 == 39:
            with koers_app.uow() as uow:
                before = _stored(uow)
                recompute_all(uow)
                after = _stored(uow)
            assert before == after


def test_recompute_repairs_stored_values(koers_app):
    with koers_app.uow() as uow:
        kr = b.key_result(uow, b.objective(uow, b.cycle(uow).id).id)
        record_check_in(uow, kr.id, 75)
        uow.key_results.set_fields(kr.id, score=3.0)
        recompute_all(uow)
        assert uow.key_results.get(kr.id).score == 50.0


def test_sqlite_runs_with_wal_full_sync_and_foreign_keys(sqlite_url):
    app = bootstrap(Settings(sqlite_url))
    with app.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    app.engine.dispose()


def test_maintain_key_result_counts_only_this_cycles_kpi_values(koers_app):
    with koers_app.uow() as uow:
        cycle = b.cycle(uow, days_before=10)
        kpi = b.kpi(uow)
        kr = b.key_result(uow, b.objective(uow, cycle.id).id, "below", target=4, kpi_id=kpi.id)
        record_measurement(uow, kpi.id, 9, at=b.ago(days=40))  # before the cycle: not counted
        record_measurement(uow, kpi.id, 3, at=b.ago(days=5))
        record_check_in(uow, kr.id, 5)
    with koers_app.uow(read_only=True) as uow:
        assert uow.key_results.get(kr.id).score == 50.0


def test_concurrent_check_ins_are_all_recorded_and_leave_the_stored_score_true(koers_app):
    with koers_app.uow() as uow:
        kpi = b.kpi(uow)
        objective = b.objective(uow, b.cycle(uow).id)
        krs = [b.key_result(uow, objective.id, "decrease", kpi_id=kpi.id) for _ in range(2)]

    def worker(n: int) -> None:
        for i in range(15):
            with koers_app.uow() as uow:
                if i % 5 == 4:
                    record_measurement(uow, kpi.id, round(5 + (n * i) % 5, 2))
                else:
                    record_check_in(uow, krs[(n + i) % 2].id, round(5 + (n + i) % 5 * 1.1, 2))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with koers_app.uow() as uow:
        assert sum(len(uow.check_ins.values(kr.id)) for kr in krs) == 6 * 12
        before = _stored(uow)
        recompute_all(uow)
        assert _stored(uow) == before
