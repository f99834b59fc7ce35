"""Server time of every web page on the demo data, against the 100 ms budget of the web issue.

Run: .venv/bin/python bench/bench_pages.py [--runs 30]
Times are measured in-process (FastAPI's TestClient: routing, services, SQL, templates), without the network.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.api_support import make_api
from tests.e2e.web_pages import pages

BUDGET_MS = 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        api = make_api(f"sqlite:///{folder}/bench.db")
        with api.koers.uow(read_only=True) as uow:
            objective = uow.objectives.get(api.ids["objective"])
            ids = {
                "objective": objective.id or 0,
                "key_result": api.ids["key_result"],
                "kpi": uow.kpis.list()[0].id or 0,
                "initiative": uow.initiatives.list(objective_id=objective.id)[0].id or 0,
                "cycle": objective.cycle_id,
                "user": api.ids["owner_user"],
                "team": api.ids["owner_team"],
            }
        print(f"{'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'ratio to 100 ms':>16}")
        worst = 0.0
        for url in pages(api.client.app, ids):
            timings = []
            for run in range(args.runs + 3):
                api.client.cookies.clear()
                start = time.perf_counter()
                response = api.client.get(url, cookies=api.cookies("admin"))
                elapsed = (time.perf_counter() - start) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
                if run >= 3:  # warm-up: templates compiled, caches filled
                    timings.append(elapsed)
            p50 = statistics.median(timings)
            p95 = statistics.quantiles(timings, n=20)[-1]
            worst = max(worst, p95)
            print(f"{url:<44} {p50:>8.1f} {p95:>8.1f} {p95 / BUDGET_MS:>15.2f}×")
        print(f"worst p95 {worst:.1f} ms = {worst / BUDGET_MS:.2f}× the 100 ms budget (demo data, SQLite, admin)")
        api.koers.engine.dispose()


if __name__ == "__main__":
    main()
