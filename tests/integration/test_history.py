"""History and closed cycles on SQLite and PostgreSQL (issue 9, items 2, 6 and 7).

- history (check-ins, measurements, the audit trail) refuses REPLACE and UPSERT as it refuses UPDATE and DELETE;
- a stored score is finite and within 0..100: the database refuses anything else;
- a closed cycle is read-only, and a measurement recorded after the close does not move its key results.
"""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from koers.domain import model
from koers.domain.errors import ValidationError
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.check_ins import record_check_in
from koers.services.kpis import record_measurement
from koers.services.scores import recompute_all
from koers.storage import tables as t
from koers.storage.database import make_engine
from koers.storage.schema import upgrade
from tests import builders as b

HISTORY_ROWS = {
    # table: (columns of a full row, the column a rewrite would change)
    "check_ins": ("id, key_result_id, value, note, created_at", "value"),
    "measurements": ("id, kpi_id, value, at, source, note, recorded_at", "value"),
    "audit_log": ('id, at, actor_id, action, entity, entity_id, "before", "after"', "action"),
}


def _history(koers_app) -> dict[str, int]:
    """One row in each history table; returns each table's newest id."""
    with koers_app.uow() as uow:
        kr = b.key_result(uow, b.objective(uow, b.cycle(uow).id).id)
        record_check_in(uow, kr.id, 75)
        record_measurement(uow, b.kpi(uow).id, 7)
    with koers_app.engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT max(id) FROM {table}")).scalar() for table in HISTORY_ROWS}


def _rows(koers_app) -> dict[str, list[tuple]]:
    with koers_app.engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT * FROM {table} ORDER BY id")).all() for table in HISTORY_ROWS}


def _rewrites(dialect: str, table: str, row_id: int) -> list[str]:
    columns, changed = HISTORY_ROWS[table]
    names = [c.strip() for c in columns.split(",")]
    copy = ", ".join("'x'" if n == changed and table == "audit_log" else ("1" if n == changed else n) for n in names)
    source = f"SELECT {copy} FROM {table} WHERE id = {row_id}"
    upsert = f"INSERT INTO {table} ({columns}) {source} ON CONFLICT (id) DO UPDATE SET {changed} = excluded.{changed}"
    if dialect == "sqlite":
        return [
            f"INSERT OR REPLACE INTO {table} ({columns}) {source}",
            f"REPLACE INTO {table} ({columns}) {source}",
            upsert,
        ]
    return [upsert]


@pytest.mark.parametrize("table", list(HISTORY_ROWS))
def test_history_refuses_replace_and_upsert_of_an_existing_row(koers_app, table):
    ids = _history(koers_app)
    before = _rows(koers_app)
    dialect = koers_app.engine.dialect.name
    for statement in _rewrites(dialect, table, ids[table]):
        with pytest.raises(DBAPIError, match="append-only"), koers_app.engine.begin() as connection:
            connection.execute(text(statement))
    assert _rows(koers_app) == before


def test_sqlite_connections_fire_triggers_inside_replace(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA recursive_triggers").scalar() == 1
    engine.dispose()


@pytest.mark.parametrize("bad", [101.0, -1.0, math.inf, -math.inf, math.nan, "Infinity", "NaN"])
@pytest.mark.parametrize("table", ["key_results", "objectives"])
def test_database_refuses_a_stored_score_outside_0_to_100(koers_app, table, bad):
    with koers_app.uow() as uow:
        kr = b.key_result(uow, b.objective(uow, b.cycle(uow).id).id)
        b.check_in(uow, kr.id, 75)
    sqlite = koers_app.engine.dialect.name == "sqlite"
    row_id = kr.id if table == "key_results" else kr.objective_id
    update = text(f"UPDATE {table} SET score = :bad WHERE id = :id")
    if sqlite and table == "objectives" and isinstance(bad, float) and math.isnan(bad):
        # SQLite stores a NaN as NULL: an objective without a score. It never holds a NaN.
        with koers_app.engine.begin() as connection:
            connection.execute(update, {"bad": bad, "id": row_id})
            assert connection.execute(text(f"SELECT score FROM {table} WHERE id = {row_id}")).scalar() is None
        return
    if not sqlite and isinstance(bad, str):
        bad = float(bad)  # PostgreSQL reads the text as a float8 anyway
    with pytest.raises(DBAPIError), koers_app.engine.begin() as connection:
        connection.execute(update, {"bad": bad, "id": row_id})
    with koers_app.engine.connect() as connection:
        assert connection.execute(text(f"SELECT score FROM {table} WHERE id = {row_id}")).scalar() == 50.0


def test_the_numbers_that_stored_nan_are_refused_by_the_domain(koers_app):
    """The old defect: baseline −1e308, target 1e308 and a check-in of 1e308 stored NaN on PostgreSQL."""
    with koers_app.uow() as uow:
        objective = b.objective(uow, b.cycle(uow).id)
        with pytest.raises(ValidationError):
            b.key_result(uow, objective.id, baseline=-1e308, target=1e308)
        kr = b.key_result(uow, objective.id)
        with pytest.raises(ValidationError):
            record_check_in(uow, kr.id, 1e308)
        with pytest.raises(ValidationError):
            goals.update_key_result(uow, kr.id, {"baseline": -1e308, "target": 1e308})


def test_migration_keeps_history_triggers_and_indexes_and_clamps_old_scores(database_url):
    engine = make_engine(database_url)
    upgrade(engine, "0003")
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as c:
        c.execute(text("INSERT INTO users (id, email, name, role, locale, active, version) "
                       "VALUES (1, 'a@x.org', 'a', 'admin', 'nl', true, 1)"))  # fmt: skip
        c.execute(text("INSERT INTO cycles (id, name, start_date, end_date, status, version) "
                       "VALUES (1, 'c', '2026-01-01', '2026-12-31', 'active', 1)"))  # fmt: skip
        objective = ("INSERT INTO objectives (id, title, description, level, type, cycle_id, parent_id, visibility, "
                     "score, archived, version) VALUES (:id, 'o', '', 'tactical', 'committed', 1, :parent, 'public', "
                     ":score, false, 1)")  # fmt: skip
        c.execute(text(objective), {"id": 1, "parent": None, "score": math.inf})
        c.execute(text(objective), {"id": 2, "parent": 1, "score": 50.0})
        c.execute(text("INSERT INTO key_results (id, objective_id, title, kind, unit, weight, score, archived, version) "
                       "VALUES (1, 2, 'k', 'increase', '', 1, :score, false, 1)"),
                  {"score": 150.0 if sqlite else math.nan})  # fmt: skip
        c.execute(text("INSERT INTO check_ins (id, key_result_id, value, note, created_at) "
                       "VALUES (1, 1, 5, '', '2026-02-01 00:00:00')"))  # fmt: skip
        c.execute(text("INSERT INTO kpis (id, name, description, unit, direction, archived, version) "
                       "VALUES (1, 'k', '', '', 'higher_is_better', false, 1)"))  # fmt: skip
        c.execute(text("INSERT INTO measurements (id, kpi_id, value, at, source, note) "
                       "VALUES (1, 1, 5, '2026-02-01 00:00:00', 'manual', '')"))  # fmt: skip

    def schema_objects() -> set[tuple]:
        with engine.connect() as c:
            if sqlite:
                query = "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('index', 'trigger')"
            else:
                query = "SELECT tgname, tgrelid::regclass::text, tgenabled FROM pg_trigger WHERE NOT tgisinternal"
            return set(c.execute(text(query)).all())

    before = schema_objects()
    upgrade(engine)
    after = schema_objects()
    assert before <= after, f"the migration lost {before - after}"
    if sqlite:
        assert {("trigger", f"{table}_no_replace", table) for table in HISTORY_ROWS} <= after
        with engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with engine.connect() as c:
        assert c.execute(select(t.objectives.c.id, t.objectives.c.score).order_by(t.objectives.c.id)).all() == [
            (1, 100.0),
            (2, 50.0),
        ]
        assert c.execute(select(t.key_results.c.score)).scalar() == (100.0 if sqlite else 0.0)
        m = c.execute(select(t.measurements)).one()
        assert m.recorded_at == m.at
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as c:
        c.execute(text("UPDATE measurements SET value = 1"))
    engine.dispose()


# --- closed cycles are read-only ---


def _closed_with_kpi(koers_app) -> dict[str, int]:
    """A closed cycle whose key result follows a KPI, and an open cycle whose key result follows it too."""
    with koers_app.uow() as uow:
        kpi = b.kpi(uow, "Satisfaction", unit="", direction="higher_is_better", green_at=80, red_at=70)
        b.measurement(uow, kpi.id, 75, at=b.ago(days=20))
        closed = b.cycle(uow, "closed", 60, 10)
        objective = b.objective(uow, closed.id)
        kr = b.key_result(uow, objective.id, baseline=70, target=80, kpi_id=kpi.id)
        maintain = b.key_result(uow, objective.id, "above", baseline=None, target=72, kpi_id=kpi.id)
        initiative = goals.create_initiative(uow, model.Initiative("Work", objective_id=objective.id))
        open_cycle = b.cycle(uow, "open", 5, 60)
        open_kr = b.key_result(uow, b.objective(uow, open_cycle.id).id, baseline=70, target=80, kpi_id=kpi.id)
        org.close_cycle(uow, closed.id)
    return {"kpi": kpi.id, "objective": objective.id, "kr": kr.id, "maintain": maintain.id,
            "initiative": initiative.id, "open_kr": open_kr.id, "open_cycle": open_cycle.id}  # fmt: skip


def _stored(koers_app) -> dict[str, list[tuple]]:
    with koers_app.engine.connect() as c:
        return {
            "key_results": c.execute(
                select(
                    t.key_results.c.id, t.key_results.c.current, t.key_results.c.progress, t.key_results.c.score
                ).order_by(t.key_results.c.id)
            ).all(),
            "objectives": c.execute(
                select(t.objectives.c.id, t.objectives.c.score, t.objectives.c.grade).order_by(t.objectives.c.id)
            ).all(),
        }


def test_a_measurement_back_dated_before_the_close_leaves_the_closed_cycle_alone(koers_app):
    ids = _closed_with_kpi(koers_app)
    before = _stored(koers_app)
    with koers_app.uow() as uow:
        # recorded now, dated before the close (and newer than the 75 the closed key results were scored on)
        record_measurement(uow, ids["kpi"], 60, at=b.ago(days=12))
        record_measurement(uow, ids["kpi"], 61, at=b.ago(days=11))
    after = _stored(koers_app)
    closed_ids = {ids["kr"], ids["maintain"]}
    assert [r for r in after["key_results"] if r.id in closed_ids] == [
        r for r in before["key_results"] if r.id in closed_ids
    ]
    assert [r for r in after["objectives"] if r.id == ids["objective"]] == [
        r for r in before["objectives"] if r.id == ids["objective"]
    ]
    open_kr = next(r for r in after["key_results"] if r.id == ids["open_kr"])
    assert open_kr.current == 61.0  # the open cycle's key result follows the KPI
    with koers_app.uow() as uow:
        recompute_all(uow)
    assert _stored(koers_app) == after, "recompute_all found something to correct"


@pytest.mark.parametrize(
    "change",
    [
        ("update_key_result", "kr", {"target": 100}),
        ("update_key_result", "kr", {"kind": "decrease", "baseline": 90, "target": 70}),
        ("update_key_result", "kr", {"weight": 5}),
        ("archive_key_result", "kr", None),
        ("update_objective", "objective", {"title": "Anders"}),
        ("archive_objective", "objective", None),
        ("update_initiative", "initiative", {"status": "done"}),
        ("archive_initiative", "initiative", None),
    ],
    ids=lambda change: f"{change[0]}-{'-'.join(change[2] or [])}",
)
def test_nothing_in_a_closed_cycle_changes(koers_app, change):
    ids = _closed_with_kpi(koers_app)
    before = _stored(koers_app)
    use_case, target, changes = change
    with koers_app.uow() as uow:
        with pytest.raises(ValidationError) as refused:
            args = (uow, ids[target]) if changes is None else (uow, ids[target], changes)
            getattr(goals, use_case)(*args)
        assert refused.value.code == "cycle.closed_read_only"
    assert _stored(koers_app) == before


def test_nothing_moves_into_a_closed_cycle(koers_app):
    ids = _closed_with_kpi(koers_app)
    with koers_app.uow() as uow:
        open_objective = b.objective(uow, ids["open_cycle"], "Open")
        initiative = goals.create_initiative(uow, model.Initiative("Open work", objective_id=open_objective.id))
    before = _stored(koers_app)
    attempts = [
        lambda uow: goals.update_objective(uow, open_objective.id, {"parent_id": ids["objective"]}),
        lambda uow: goals.update_initiative(uow, initiative.id, {"objective_id": ids["objective"]}),
        lambda uow: goals.update_initiative(uow, initiative.id, {"objective_id": None, "key_result_id": ids["kr"]}),
        lambda uow: goals.create_initiative(uow, model.Initiative("New", objective_id=ids["objective"])),
    ]
    for attempt in attempts:
        with koers_app.uow() as uow, pytest.raises(ValidationError) as refused:
            attempt(uow)
        assert refused.value.code == "cycle.closed_read_only"
    assert _stored(koers_app) == before


def test_api_patch_of_a_closed_cycles_key_result_is_422_and_the_grade_holds(api):
    owner = api.headers("owner")
    with api.koers.uow(read_only=True) as uow:
        objective = uow.objectives.get(api.ids["objective"])
    with api.koers.uow() as uow:
        # the owner's objective of the active quarter, closed: score and grade are fixed
        org.close_cycle(uow, objective.cycle_id)
    with api.koers.uow(read_only=True) as uow:
        closed = uow.objectives.get(api.ids["objective"])
        assert closed.grade is not None
    for changes in ({"target": 1}, {"kind": "increase", "baseline": 0, "target": 100}, {"weight": 7}):
        response = api.client.patch(f"/api/v1/key-results/{api.ids['key_result']}", json=changes, headers=owner)
        assert response.status_code == 422, response.text
        assert "closed" in response.text
    with api.koers.uow(read_only=True) as uow:
        after = uow.objectives.get(api.ids["objective"])
    assert (after.score, after.grade) == (closed.score, closed.grade)


def test_an_open_objective_aligned_under_a_closed_one_does_not_move_it(koers_app):
    with koers_app.uow() as uow:
        year = b.cycle(uow, "year", 60, 10)
        parent = b.objective(uow, year.id, "Year", level="strategic")
        quarter = b.cycle(uow, "quarter", 5, 60)
        child = b.objective(uow, quarter.id, "Quarter", parent_id=parent.id)
        kr = b.key_result(uow, child.id)
        b.check_in(uow, kr.id, 75)
        org.close_cycle(uow, year.id)
    before = _stored(koers_app)
    assert next(r for r in before["objectives"] if r.id == parent.id)[1:] == (50.0, 0.5)
    with koers_app.uow() as uow:
        b.check_in(uow, kr.id, 80)
    after = _stored(koers_app)
    assert [r for r in after["objectives"] if r.id == parent.id] == [
        r for r in before["objectives"] if r.id == parent.id
    ]
    assert next(r for r in after["objectives"] if r.id == child.id).score == 100.0  # the child moves
    with koers_app.uow() as uow:
        recompute_all(uow)
    assert _stored(koers_app) == after, "recompute_all found something to correct"
    with koers_app.uow() as uow:
        goals.archive_objective(uow, child.id)
    assert [r for r in _stored(koers_app)["objectives"] if r.id == parent.id] == [
        r for r in before["objectives"] if r.id == parent.id
    ]
    with koers_app.uow() as uow, pytest.raises(ValidationError) as refused:
        b.objective(uow, quarter.id, "New", parent_id=parent.id)
    assert refused.value.code == "cycle.closed_read_only"
