"""Pages keep working on old data that the domain would refuse today (issue 9, item 3).

The values are written straight into the database, past the services, as a database from before the limits
may hold them: a check-in of 1e308, a KPI target of 1e308, a baseline of -1e308, a measurement of infinity.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, update

from koers.storage import tables


def _plant_old_values(api, *, nan: bool) -> None:
    now = datetime.now(UTC)
    odd = math.nan if nan else 5e-324
    with api.koers.engine.begin() as connection:
        for kr_id, value in ((api.ids["increase_key_result"], 1e308), (api.ids["key_result"], -1e308)):
            connection.execute(
                insert(tables.check_ins).values(
                    key_result_id=kr_id, value=value, confidence="on_track", note="", created_at=now
                )
            )
            connection.execute(update(tables.key_results).where(tables.key_results.c.id == kr_id).values(current=value))
        connection.execute(
            update(tables.key_results)
            .where(tables.key_results.c.id == api.ids["range_key_result"])
            .values(baseline=-1e308, target_low=odd, target_high=1e308, current=math.inf)
        )
        connection.execute(
            update(tables.kpis).where(tables.kpis.c.id == api.ids["kpi"]).values(target=1e308, green_at=-1e308)
        )
        connection.execute(
            insert(tables.measurements).values(
                kpi_id=api.ids["kpi"],
                value=math.inf,
                at=now - timedelta(minutes=5),
                source="manual",
                note="",
                recorded_at=now,
            )
        )
        connection.execute(
            update(tables.kpis).where(tables.kpis.c.id == api.ids["kpi"]).values(current=math.inf, current_at=now)
        )
        connection.execute(  # a grade of the closed quarter
            update(tables.objectives).where(tables.objectives.c.id == api.ids["too_easy_objective"]).values(grade=1e308)
        )


def test_pages_answer_on_old_data_with_numbers_past_the_limits(api):
    _plant_old_values(api, nan=api.koers.engine.dialect.name == "postgresql")  # SQLite stores NaN as NULL
    pages = [
        f"/objectives/{api.ids['objective']}",
        f"/objectives/{api.ids['strategic']}",
        "/week",
        "/kpis",
        f"/kpis/{api.ids['kpi']}",
        "/organisation",
        f"/cycles?closed={api.ids['closed_cycle']}",
        "/cycles",
        f"/key-results/{api.ids['range_key_result']}/edit",
        f"/kpis/{api.ids['kpi']}/edit",
    ]
    for caller in ("owner", "admin"):
        for url in pages:
            api.client.cookies.clear()
            response = api.client.get(url, cookies=api.cookies(caller))
            assert response.status_code == 200, f"{caller} {url}: {response.status_code}"
            assert "NaN" not in response.text and "∞" not in response.text, url
    api.client.cookies.clear()
    objective = api.client.get(f"/objectives/{api.ids['objective']}", cookies=api.cookies("owner")).text
    assert "1E308" in objective  # the huge check-in, in scientific form
