"""Every page uses a fixed number of SQL queries: more data never means more queries (no N+1).

The counts are committed in tests/data/page_queries.json; a page that needs more must say so there.
Update it with: KOERS_UPDATE_QUERY_BASELINE=1 pytest tests/e2e/test_web_queries.py
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event

from koers.domain import model
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.check_ins import record_check_in
from koers.services.kpis import create_kpi, record_measurement
from tests.e2e.web_pages import pages

BASELINE = Path(__file__).parents[1] / "data" / "page_queries.json"


@contextmanager
def counting(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _ids(api) -> dict[str, int]:
    """The record each kind of page is about: builders.organisation's, made in the same order on every run."""
    return {name: api.ids[name] for name in ("objective", "key_result", "kpi", "initiative", "cycle", "user", "team")}


def _grow(api, copies: int = 12) -> None:
    """More of everything the pages list: objectives, key results, check-ins, KPIs, measurements, initiatives,
    teams, people and cycles."""
    now = datetime.now(UTC)
    with api.koers.uow() as uow:
        seed = uow.objectives.get(api.ids["objective"])
        for n in range(copies):
            team = org.create_team(uow, f"Team {n}", parent_id=api.ids["owner_team"])
            org.add_user(uow, f"extra{n}@example.org", name=f"Extra {n}", team_ids=[team.id, api.ids["other_team"]])
            org.create_cycle(uow, f"Cycle {n}", now.date() - timedelta(days=n), now.date() + timedelta(days=30 + n))
            objective = goals.create_objective(
                uow,
                model.Objective(
                    title=f"Extra {n}", cycle_id=seed.cycle_id, team_id=api.ids["owner_team"], parent_id=seed.parent_id
                ),
            )
            kpi = create_kpi(
                uow,
                model.Kpi(
                    name=f"KPI {n}", direction="higher_is_better", green_at=5, red_at=1, team_id=api.ids["owner_team"]
                ),
            )
            for k in range(3):
                kr = goals.create_key_result(
                    uow,
                    model.KeyResult(
                        objective_id=objective.id,
                        title=f"KR {n}.{k}",
                        baseline=0,
                        target=10,
                        kpi_id=kpi.id,
                        owner_id=api.ids["owner_user"],
                    ),
                )
                for h in range(4):
                    record_check_in(uow, kr.id, h, "on_track", f"week {h}", created_at=now - timedelta(days=7 * h + 1))
                goals.create_initiative(uow, model.Initiative(title=f"Werk {n}.{k}", key_result_id=kr.id))
            for h in range(5):
                record_measurement(uow, kpi.id, h, at=now - timedelta(days=h + 1))


def _measure(api, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        api.client.cookies.clear()
        with counting(api.koers.engine) as statements:
            response = api.client.get(url, cookies=api.cookies("admin"))
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_page_queries_do_not_grow_with_the_data_and_match_the_baseline(sqlite_api):
    ids = _ids(sqlite_api)
    urls = pages(sqlite_api.client.app, ids)
    small = _measure(sqlite_api, urls)
    _grow(sqlite_api)
    large = _measure(sqlite_api, urls)
    grew = {url: (small[url], large[url]) for url in urls if large[url] != small[url]}
    assert grew == {}, "pages whose query count grows with the data (N+1): {url: (built, built + more)}"
    keyed = large  # the builder's ids are the same on every run
    if os.environ.get("KOERS_UPDATE_QUERY_BASELINE"):
        BASELINE.write_text(json.dumps(keyed, indent=2, sort_keys=True) + "\n")
    baseline = json.loads(BASELINE.read_text())
    assert keyed == baseline, "query counts changed: check for N+1, then update tests/data/page_queries.json"
