"""Insight benchmark: the attention list and the organisation's cycle report (HTML) on 1,000 teams, on SQLite.

    .venv/bin/python bench/bench_insight.py [--teams 1000] [--runs 3]

Builds bench_storage's synthetic organisation (5 objectives × 4 key results per team, its KPIs and measurements)
with bulk inserts, keeping a few check-ins per key result, then times each read as the system and as a member
(whose reads filter out other teams' team-visible objectives). The target is under 2 s each; the benchmark prints
its figures and asserts nothing. Never part of the test run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, update

from bench_storage import FULL, load, organisation_rows
from koers.bootstrap import Koers, bootstrap
from koers.config import Settings
from koers.reports.html_report import cycle_report_html
from koers.services.read.attention import attention
from koers.services.read.report import cycle_report, find_cycle
from koers.services.scores import recompute_all
from koers.storage import tables as t

TARGET = 2.0  # seconds, each
KEEP_EVERY = 5  # of bench_storage's ~20 check-ins per key result, keep one in five: a few per key result


def thinned(rows: Iterator[tuple[Table, list[dict[str, Any]]]]) -> Iterator[tuple[Table, list[dict[str, Any]]]]:
    """bench_storage's rows, with a few check-ins per key result instead of a quarter's worth."""
    for table, chunk in rows:
        yield table, chunk[::KEEP_EVERY] if table is t.check_ins else chunk


def best_of(work: Callable[[], object], runs: int) -> tuple[float, object]:
    """The fastest of `runs` timings (seconds) and the last result."""
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def run(app: Koers, teams: int, runs: int) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    org, rows = organisation_rows(teams / FULL["teams"], 20261130, now)
    started = time.perf_counter()
    load(app, thinned(rows), org)
    with app.engine.begin() as connection:  # a fifth of every team's objectives visible to that team only
        connection.execute(update(t.objectives).where(t.objectives.c.id % 5 == 1).values(visibility="team"))
    with app.uow() as uow:
        recompute_all(uow, now.date())
    print(f"built {teams:,} teams: " + ", ".join(f"{n:,} {name}" for name, n in org.rows.items()))
    print(f"   (load and score: {time.perf_counter() - started:.1f} s)")
    today = date.today()
    with app.uow(read_only=True) as uow:
        member = uow.users.get(2)
        cycle = find_cycle(uow, org.current_cycle)

    def attention_list(actor: Any) -> Callable[[], object]:
        def work() -> object:
            with app.uow(read_only=True, actor=actor) as uow:
                return attention(uow, today)

        return work

    def organisation_report(actor: Any) -> Callable[[], object]:
        def work() -> object:
            with app.uow(read_only=True, actor=actor) as uow:
                report = cycle_report(uow, cycle, today)
            return report, cycle_report_html(report, "nl")

        return work

    for label, work, count in (
        ("attention list, as the system", attention_list(None), lambda r: len(r["items"])),
        ("attention list, as a member", attention_list(member), lambda r: len(r["items"])),
        ("organisation report (HTML), as the system", organisation_report(None), _report_size),
        ("organisation report (HTML), as a member", organisation_report(member), _report_size),
    ):
        seconds, result = best_of(work, runs)
        verdict = "under" if seconds < TARGET else "OVER"
        print(f"{label:<45} {seconds:6.2f} s  ({verdict} the {TARGET:g} s target; {count(result)})")


def _report_size(result: Any) -> str:
    report, html = result
    totals = report["totals"]
    return f"{totals['objectives']:,} objectives, {totals['key_results']:,} key results, {len(html) / 1e6:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=1000, help="teams in the organisation (default 1,000)")
    parser.add_argument("--runs", type=int, default=3, help="timings per figure; the fastest is printed (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="koers-bench-") as directory:
        app = bootstrap(Settings(f"sqlite:///{Path(directory) / 'koers.db'}"))
        try:
            run(app, args.teams, args.runs)
        finally:
            app.engine.dispose()


if __name__ == "__main__":
    main()
