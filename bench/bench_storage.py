"""Storage benchmark: Koers' figures on a synthetic organisation, as ratios to the floors in PERFORMANCE.md.

    .venv/bin/python bench/bench_storage.py [--scale 0.1] [--postgres URL]

Builds `--scale` × the floors' organisation (5,000 teams, 25,000 objectives, 100,000 key results,
2,000,000 check-ins, 500,000 KPI measurements) in a temporary SQLite file and, with `--postgres`, in
a fresh schema of that database (dropped afterwards). Floors of whole-organisation work are scaled
linearly by `--scale`; floors of one operation are not. Never part of the test run.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Engine,
    Select,
    Table,
    and_,
    bindparam,
    create_engine,
    func,
    insert,
    literal_column,
    select,
    text,
    true,
)

from koers.bootstrap import Koers, bootstrap
from koers.config import Settings
from koers.services.check_ins import record_check_in
from koers.services.demo import quarter_of
from koers.services.read import dashboard as views
from koers.services.scores import recompute_all
from koers.storage import tables as t
from koers.storage.unit_of_work import UnitOfWork

FULL = {"teams": 5_000, "key_results": 100_000, "check_ins": 2_000_000, "measurements": 500_000}
OBJECTIVES_PER_TEAM = 5  # 25,000 objectives at full scale
DEPTH = 4  # team (and objective) tree depth under the root, whatever the scale: a check-in's ancestor chain
KINDS = {"increase": 40, "decrease": 15, "range": 10, "above": 10, "below": 10, "milestone": 15}
KPI_LINKED = 0.1  # share of increase/above/below key results that follow their team's KPI
RECENT = 12  # check-ins per key result on a team's dashboard
CHUNK = 20_000  # rows per executemany

# PERFORMANCE.md, seconds. `None`: the notes give no figure for that database or statistic.
FLOOR_LOAD = {"sqlite": 9.7, "postgresql": 15.3}
FLOOR_REBUILD = 0.76
FLOOR_READ_SCORES = 0.028
FLOOR_CHECK_IN_P95 = {"sqlite": 0.31e-3, "postgresql": 1.3e-3}
FLOOR_TEAM_P50 = {"sqlite": 0.8e-3, "postgresql": None}
FLOOR_TEAM_P95 = {"sqlite": 1.7e-3, "postgresql": 1.4e-3}


@dataclass
class Organisation:
    """What the measurements need to know about the generated data."""

    now: datetime
    current_cycle: str
    fan_out: int
    rows: dict[str, int] = field(default_factory=dict)
    open_key_results: list[tuple[int, str, float]] = field(default_factory=list)  # id, kind, target
    teams_with_key_results: list[int] = field(default_factory=list)


@dataclass
class Row:
    """One line of the result table."""

    work: str
    seconds: float
    floor: float | None  # at full scale for whole-organisation work
    scaled: bool

    def cells(self, scale: float) -> tuple[str, str, str, str]:
        """Work, Koers' figure, the floor (scaled to this organisation when it is whole-organisation work), ratio."""
        if self.floor is None:
            return self.work, _duration(self.seconds), "—", "—"
        floor = self.floor * scale if self.scaled else self.floor
        marked = _duration(floor) + (" *" if self.scaled else "  ")
        return self.work, _duration(self.seconds), marked, f"{self.seconds / floor:.1f}×"


# --- the synthetic organisation ---------------------------------------------------------------


def fan_out_for(teams: int) -> int:
    """The smallest fan-out that fits `teams` in a tree of DEPTH levels under one root."""
    f = 1
    while sum(f**level for level in range(DEPTH + 1)) < teams:
        f += 1
    return f


def spread(total: int, parts: int) -> Iterator[int]:
    """`total` split into `parts` counts that differ by at most one."""
    base, extra = divmod(total, parts)
    return (base + (i < extra) for i in range(parts))


def organisation_rows(scale: float, seed: int, now: datetime) -> tuple[Organisation, Iterator[tuple[Table, list]]]:
    """The organisation's description, and its rows table by table in insert order (parents first)."""
    rng = random.Random(seed)
    n_teams = max(2, round(FULL["teams"] * scale))
    q_name, q_start, _ = quarter_of(now.date())
    p_name, p_start, p_end = quarter_of(q_start - timedelta(days=1))
    year = date(now.year, 1, 1)
    org = Organisation(now=now, current_cycle=q_name, fan_out=fan_out_for(n_teams))
    history_end = now - timedelta(hours=1)  # a check-in made during the run is always the newest
    windows = {
        2: (_midnight(q_start), history_end),
        3: (_midnight(p_start), _midnight(p_end + timedelta(days=1))),
    }

    def parent_team(team: int) -> int | None:
        return None if team == 1 else (team - 2) // org.fan_out + 1

    def generate() -> Iterator[tuple[Table, list]]:
        yield t.users, [_user(i) for i in range(1, n_teams + 1)]
        yield (
            t.teams,
            [{"id": i, "name": f"Team {i}", "parent_id": parent_team(i), "lead_id": i, "archived": False, "version": 1}
             for i in range(1, n_teams + 1)],
        )  # fmt: skip
        yield t.team_members, [{"team_id": i, "user_id": i} for i in range(1, n_teams + 1)]
        yield (
            t.cycles,
            [
                _cycle(1, str(now.year), year, date(now.year, 12, 31), "active", None),
                _cycle(2, q_name, q_start, quarter_of(q_start)[2], "active", None),
                _cycle(3, p_name, p_start, p_end, "closed", _midnight(p_end + timedelta(days=1))),
            ],
        )
        yield t.kpis, [_kpi(i) for i in range(1, n_teams + 1)]
        objectives, measured = [], []  # objectives that carry key results: (id, team, cycle)
        for team in range(1, n_teams + 1):
            for slot in range(OBJECTIVES_PER_TEAM):
                oid = (team - 1) * OBJECTIVES_PER_TEAM + slot + 1
                up = parent_team(team)
                cycle = 1 if up is None else (3 if slot == OBJECTIVES_PER_TEAM - 1 else 2)
                parent = None if up is None else (up - 1) * OBJECTIVES_PER_TEAM + slot + 1
                objectives.append(_objective(oid, team, cycle, parent))
                if up is not None:  # the root's strategic objectives score from their aligned objectives
                    measured.append((oid, team, cycle))
        yield t.objectives, objectives
        n_krs = round(FULL["key_results"] * scale)
        kinds = rng.choices(list(KINDS), weights=list(KINDS.values()), k=n_krs)
        key_results = []
        for i, kind in enumerate(kinds):
            oid, team, cycle = measured[i % len(measured)]
            kr = _key_result(i + 1, oid, team, kind, rng)
            key_results.append((kr, cycle))
            if cycle == 2:
                org.open_key_results.append((i + 1, kind, kr["target"] or kr["target_low"] or 1.0))
        yield t.key_results, [kr for kr, _ in key_results]
        org.teams_with_key_results = sorted({team for _, team, _ in measured})
        chunk: list[dict[str, Any]] = []
        per_kr = spread(round(FULL["check_ins"] * scale), len(key_results))
        for (kr, cycle), count in zip(key_results, per_kr, strict=True):
            chunk.extend(_check_ins(kr, count, windows[cycle], rng))
            if len(chunk) >= CHUNK:
                yield t.check_ins, chunk
                chunk = []
        yield t.check_ins, chunk
        start, end = windows[3][0], history_end
        for kpi, count in enumerate(spread(round(FULL["measurements"] * scale), n_teams), start=1):
            chunk.extend(  # a sync records each value when it is measured
                {"kpi_id": kpi, "value": round(rng.gauss(80, 10), 2), "at": at, "recorded_at": at,
                 "source": "sync", "note": ""}
                for at in (_between(start, end, k, count, rng) for k in range(count))
            )  # fmt: skip
            if len(chunk) >= CHUNK:
                yield t.measurements, chunk
                chunk = []
        yield t.measurements, chunk

    return org, generate()


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _between(start: datetime, end: datetime, k: int, count: int, rng: random.Random) -> datetime:
    """The k-th of `count` moments spread evenly over [start, end), with jitter."""
    return start + (end - start) * ((k + rng.random()) / count)


def _user(i: int) -> dict[str, Any]:
    return {"id": i, "email": f"lead{i}@bench.example", "name": f"Lead {i}", "role": "member", "locale": "nl",
            "password_hash": None, "active": True, "version": 1}  # fmt: skip


def _cycle(i: int, name: str, start: date, end: date, status: str, closed_at: datetime | None) -> dict[str, Any]:
    return {"id": i, "name": name, "start_date": start, "end_date": end, "status": status, "closed_at": closed_at,
            "version": 1}  # fmt: skip


def _kpi(i: int) -> dict[str, Any]:
    return {"id": i, "name": f"KPI {i}", "description": "", "unit": "%", "direction": "higher_is_better",
            "target": 80.0, "target_low": None, "target_high": None, "green_at": 80.0, "red_at": 60.0,
            "team_id": i, "owner_id": i, "current": None, "current_at": None, "archived": False, "version": 1}  # fmt: skip


def _objective(oid: int, team: int, cycle: int, parent: int | None) -> dict[str, Any]:
    return {"id": oid, "title": f"Objective {oid}", "description": "", "level": "strategic" if cycle == 1 else "tactical",
            "type": "aspirational" if oid % 3 == 0 else "committed", "cycle_id": cycle, "team_id": team,
            "owner_id": team, "parent_id": parent, "visibility": "public", "score": None, "grade": None,
            "archived": False, "version": 1}  # fmt: skip


def _key_result(kr_id: int, oid: int, team: int, kind: str, rng: random.Random) -> dict[str, Any]:
    base = round(rng.uniform(10, 100), 1)
    numbers = {
        "increase": (base, base * 2, None, None),
        "decrease": (base, base / 2, None, None),
        "range": (base, None, base * 1.5, base * 1.8),
        "above": (None, 80.0, None, None),
        "below": (None, 20.0, None, None),
        "milestone": (0.0, 1.0, None, None),
    }[kind]
    linked = kind in ("increase", "above", "below") and rng.random() < KPI_LINKED
    return {"id": kr_id, "objective_id": oid, "title": f"Key result {kr_id}", "kind": kind, "unit": "",
            "baseline": numbers[0], "target": numbers[1], "target_low": numbers[2], "target_high": numbers[3],
            "weight": rng.choice((1.0, 1.0, 1.0, 2.0)), "owner_id": team, "kpi_id": team if linked else None,
            "current": None, "current_at": None, "progress": None, "score": 0.0, "confidence": None,
            "archived": False, "version": 1}  # fmt: skip


def _check_ins(kr: dict[str, Any], count: int, window: tuple[datetime, datetime], rng: random.Random) -> Iterator[dict]:
    for k in range(count):
        share = (k + 1) / count * rng.uniform(0.6, 1.15)  # how far along the key result is
        yield {
            "key_result_id": kr["id"],
            "value": _value(kr["kind"], kr["baseline"], kr["target"] or kr["target_low"], share, rng),
            "confidence": rng.choice(("on_track", "on_track", "at_risk", "off_track", None)),
            "note": "",
            "author_id": kr["owner_id"],
            "created_at": _between(*window, k, count, rng),
        }


def _value(kind: str, baseline: float | None, target: float, share: float, rng: random.Random) -> float:
    if kind == "milestone":
        return 1.0 if share > 0.8 and rng.random() < 0.5 else 0.0
    if kind in ("above", "below"):
        return round(target * rng.uniform(0.85, 1.15), 2)
    assert baseline is not None
    return round(baseline + (target - baseline) * share, 2)


# --- loading ----------------------------------------------------------------------------------


def load(app: Koers, rows: Iterator[tuple[Table, list]], org: Organisation) -> float:
    """Insert every row with executemany in one transaction; seconds spent in the database (not generating)."""
    spent = 0.0
    with app.engine.begin() as connection:
        for table, chunk in rows:
            if not chunk:
                continue
            started = time.perf_counter()
            connection.execute(insert(table), chunk)
            spent += time.perf_counter() - started
            org.rows[table.name] = org.rows.get(table.name, 0) + len(chunk)
        started = time.perf_counter()
    spent += time.perf_counter() - started  # the commit
    if app.engine.dialect.name == "postgresql":
        with app.engine.begin() as connection:
            for name in ("users", "teams", "cycles", "kpis", "objectives", "key_results"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}"))
        with app.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))  # what autovacuum would soon do to a freshly loaded database
    return spent


# --- the work Koers does ----------------------------------------------------------------------


def team_dashboard_by_repositories(uow: UnitOfWork, team_id: int) -> list[dict[str, Any]]:
    """A team's objectives, key results and last check-ins through the repositories as they are (N+1 queries)."""
    return [
        {
            "objective": objective,
            "key_results": [
                {"key_result": kr, "recent": uow.check_ins.history(kr.id or 0, RECENT)}
                for kr in uow.key_results.list(objective_id=objective.id)
            ],
        }
        for objective in uow.objectives.list(team_id=team_id)
    ]


def team_dashboard_by_sql(uow: UnitOfWork, team_id: int) -> list[dict[str, Any]]:
    """The same in three set-based queries on Koers' tables and indexes."""
    objectives_of_team, key_results_of, recent_check_ins = team_dashboard_statements(uow.dialect)
    connection = uow.connection
    objectives = connection.execute(objectives_of_team, {"team_id": team_id}).all()
    key_results = connection.execute(key_results_of, {"objective_ids": [row.id for row in objectives]}).all()
    recent: dict[int, list[tuple[datetime, int, float]]] = {row.id: [] for row in key_results}
    for kr_id, at, check_in_id, value in connection.execute(recent_check_ins, {"key_result_ids": list(recent)}):
        recent[kr_id].append((at, check_in_id, value))
    by_objective: dict[int, list[dict[str, Any]]] = {row.id: [] for row in objectives}
    for row in key_results:
        newest_first = sorted(recent[row.id], reverse=True)[:RECENT]  # ties at SQLite's cutoff can add a few
        by_objective[row.objective_id].append({**row._asdict(), "recent": newest_first})
    return [{**row._asdict(), "key_results": by_objective[row.id]} for row in objectives]


@cache
def team_dashboard_statements(dialect: str) -> tuple[Select, Select, Select]:
    """Built once: a team's objectives; key results of objectives; each key result's last RECENT check-ins."""
    o, k, c = t.objectives.c, t.key_results.c, t.check_ins.c
    objectives = (
        select(o.id, o.title, o.type, o.cycle_id, o.parent_id, o.score, o.grade)
        .where(o.team_id == bindparam("team_id"), o.archived.is_(False))
        .order_by(o.id)
    )
    key_results = (
        select(k.id, k.objective_id, k.title, k.kind, k.unit, k.baseline, k.target, k.target_low, k.target_high,
               k.weight, k.current, k.current_at, k.progress, k.score, k.confidence)
        .where(k.objective_id.in_(bindparam("objective_ids", expanding=True)), k.archived.is_(False))
        .order_by(k.objective_id, k.id)
    )  # fmt: skip
    if dialect == "postgresql":
        # One backward index range scan per key result, stopping after RECENT rows.
        last = (
            select(c.created_at, c.id, c.value)
            .where(c.key_result_id == k.id)
            .order_by(c.created_at.desc(), c.id.desc())
            .limit(RECENT)
            .lateral("last")
        )
        recent = select(k.id, last.c.created_at, last.c.id, last.c.value).join_from(t.key_results, last, true())
    else:
        # SQLite has no LATERAL: per key result, seek the RECENT-th newest moment, then range-scan the
        # covering index (key_result_id, created_at, id, value) from there; ~4× faster than ROW_NUMBER().
        older = t.check_ins.alias("older")
        cutoff = (
            select(older.c.created_at)
            .where(older.c.key_result_id == k.id)
            .order_by(older.c.created_at.desc(), older.c.id.desc())
            .limit(1)
            .offset(RECENT - 1)
            .scalar_subquery()
        )
        on = and_(c.key_result_id == k.id, c.created_at >= func.coalesce(cutoff, literal_column("''")))
        recent = select(k.id, c.created_at, c.id, c.value).join_from(t.key_results, t.check_ins, on)
    recent = recent.where(k.id.in_(bindparam("key_result_ids", expanding=True)))
    return objectives, key_results, recent


# --- measuring --------------------------------------------------------------------------------


def samples(work: Callable[[], object], runs: int, warmup: int) -> list[float]:
    """Seconds per run of `work`, after `warmup` runs that are not counted."""
    for _ in range(warmup):
        work()
    gc.collect()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return timings


def p50(timings: list[float]) -> float:
    return statistics.median(timings)


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=100, method="inclusive")[94]


def measure(app: Koers, org: Organisation, runs: int, seed: int) -> list[Row]:
    """Koers' figures on a loaded database, each beside its floor."""
    dialect = app.engine.dialect.name
    rng = random.Random(seed + 1)
    rows: list[Row] = []

    with app.uow() as uow:
        started = time.perf_counter()
        recompute_all(uow)
        rebuild = time.perf_counter() - started
    rows.append(Row("rebuild stored values from raw history (recompute_all)", rebuild, FLOOR_REBUILD, True))

    def read_uow() -> UnitOfWork:
        return app.uow(read_only=True)

    def scores_by_sql() -> None:
        with read_uow() as uow:
            uow.connection.execute(select(t.objectives.c.id, t.objectives.c.score)).all()

    def scores_by_repository() -> None:
        with read_uow() as uow:
            uow.objectives.list()

    timings = samples(scores_by_sql, max(10, runs // 20), 3)
    rows.append(Row("read all objective scores, one query (id, score), p50", p50(timings), FLOOR_READ_SCORES, True))
    timings = samples(scores_by_repository, max(10, runs // 20), 3)
    rows.append(Row("read all objectives, uow.objectives.list(), p50", p50(timings), FLOOR_READ_SCORES, True))

    teams = org.teams_with_key_results
    for label, dashboard in (
        ("3 set-based queries", team_dashboard_by_sql),
        ("repositories (N+1 queries)", team_dashboard_by_repositories),
    ):

        def one_team(dashboard: Callable[[UnitOfWork, int], object] = dashboard) -> None:
            with read_uow() as uow:
                dashboard(uow, rng.choice(teams))

        timings = samples(one_team, runs, runs // 10)
        rows.append(Row(f"one team's dashboard, {label}, p50", p50(timings), FLOOR_TEAM_P50[dialect], False))
        rows.append(Row(f"one team's dashboard, {label}, p95", p95(timings), FLOOR_TEAM_P95[dialect], False))

    def full_dashboard() -> None:
        with read_uow() as uow:
            views.dashboard(uow, org.now.date(), [org.current_cycle])

    timings = samples(full_dashboard, max(5, runs // 50), 2)
    rows.append(Row(f"views.dashboard, cycle {org.current_cycle}, p50", p50(timings), None, True))

    def one_check_in() -> None:
        kr_id, kind, target = rng.choice(org.open_key_results)
        value = float(rng.random() < 0.5) if kind == "milestone" else round(target * rng.uniform(0.5, 1.1), 2)
        with app.uow() as uow:
            record_check_in(uow, kr_id, value, "on_track")

    timings = samples(one_check_in, runs, runs // 10)
    rows.append(Row("one check-in (record_check_in + commit), p50", p50(timings), None, False))
    rows.append(Row("one check-in (record_check_in + commit), p95", p95(timings), FLOOR_CHECK_IN_P95[dialect], False))
    return rows


class _Rollback(Exception):
    pass


def score_drift(app: Koers) -> str:
    """Do the stored objective scores, after the measured check-ins, equal a rebuild from raw history?"""
    query = select(t.objectives.c.id, t.objectives.c.score)
    with app.uow(read_only=True) as uow:
        stored = dict(uow.connection.execute(query).all())
    with contextlib.suppress(_Rollback), app.uow() as uow:
        recompute_all(uow)
        rebuilt = dict(uow.connection.execute(query).all())
        raise _Rollback  # leave the database as the check-ins left it
    differ = [i for i in stored if stored[i] != rebuilt[i]]
    if not differ:
        return f"stored scores of all {len(stored):,} objectives equal a rebuild from raw history"
    example = ", ".join(f"objective {i}: stored {stored[i]}, rebuilt {rebuilt[i]}" for i in differ[:3])
    return f"WARNING: {len(differ)} stored objective scores differ from a rebuild ({example})"


def run(url: str, scale: float, runs: int, seed: int) -> None:
    """Build the organisation at `url`, measure, print the table."""
    started = time.perf_counter()
    app = bootstrap(Settings(url))
    try:
        org, generated = organisation_rows(scale, seed, datetime.now(UTC).replace(microsecond=0))
        dialect = app.engine.dialect.name
        loaded = load(app, generated, org)
        rows = [Row("bulk load of all rows (benchmark's executemany loader)", loaded, FLOOR_LOAD[dialect], True)]
        rows += measure(app, org, runs, seed)
        drift = score_drift(app)
        print_table(dialect, scale, org, rows, time.perf_counter() - started)
        print(f"   after the measured check-ins, {drift}")
    finally:
        app.engine.dispose()


def print_table(dialect: str, scale: float, org: Organisation, rows: list[Row], elapsed: float) -> None:
    """The result table, with what was measured on what."""
    sizes = ", ".join(f"{count:,} {name}" for name, count in org.rows.items())
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n== {dialect}, scale {scale:g}: {sizes}")
    print(f"   team tree fan-out {org.fan_out}, depth {DEPTH}; {os.cpu_count()} CPUs, load average {load}")
    header = ("work", "Koers", "floor", "ratio")
    lines = [row.cells(scale) for row in rows]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(4)]
    for line in [header, tuple("-" * w for w in widths), *lines]:
        print(f"{line[0]:<{widths[0]}}  {line[1]:>{widths[1]}}  {line[2]:>{widths[2]}}  {line[3]:>{widths[3]}}")
    print(f"*  whole-organisation work: floor scaled linearly by --scale {scale:g} from PERFORMANCE.md's full size.")
    print("   Other floors are per operation and NOT scaled. —: PERFORMANCE.md gives no floor for it.")
    print(f"   ({elapsed:.0f} s for this database, loading included)")


def _duration(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.3g} ms"


@dataclass
class PostgresSchema:
    """A fresh schema in a PostgreSQL database, dropped on exit."""

    url: str
    name: str = field(default_factory=lambda: f"koers_bench_{uuid.uuid4().hex[:12]}")
    admin: Engine | None = None

    def __enter__(self) -> str:
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.name}"'))
        return f"{self.url}{'&' if '?' in self.url else '?'}options=-csearch_path%3D{self.name}"

    def __exit__(self, *exc: object) -> None:
        assert self.admin is not None
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self.admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1, help="share of the floors' organisation (default 0.1)")
    parser.add_argument("--postgres", metavar="URL", help="also run in a fresh schema of this PostgreSQL database")
    parser.add_argument("--runs", type=int, default=400, help="runs per per-operation measurement (default 400)")
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    if not 0 < args.scale <= 1:
        parser.error("--scale must lie in (0, 1]")
    with tempfile.TemporaryDirectory(prefix="koers-bench-") as directory:
        run(f"sqlite:///{Path(directory) / 'koers.db'}", args.scale, args.runs, args.seed)
    if args.postgres:
        with PostgresSchema(args.postgres) as url:
            run(url, args.scale, args.runs, args.seed)


if __name__ == "__main__":
    main()
