"""`koers kr add --plan SHAPE --cadence DAYS` (issue 10 item 1): the same rules as every other door."""

from __future__ import annotations

import json

from koers.bootstrap import bootstrap
from koers.config import Settings
from tests import builders


def test_kr_add_takes_a_plan_shape_and_a_cadence(sqlite_cli, sqlite_url):
    koers = bootstrap(Settings(sqlite_url))
    with koers.uow() as uow:
        built = builders.organisation(uow)
    koers.engine.dispose()
    objective = str(built.objective)
    made = sqlite_cli(
        "kr", "add", objective, "Omzet", "--baseline", "0", "--target", "10", "--plan", "s_curve", "--cadence", "14",
        "--json",
    )  # fmt: skip
    assert made.code == 0, made.err
    kr = json.loads(made.out)
    assert (kr["plan"], kr["cadence_days"]) == ({"shape": "s_curve"}, 14)
    plain = json.loads(sqlite_cli("kr", "add", objective, "Marge", "--baseline", "0", "--target", "1", "--json").out)
    assert (plain["plan"], plain["cadence_days"]) == (None, 7)
    for args, words in (
        (["--plan", "zigzag"], "plan.shape must be one of"),
        (["--plan", "points"], "needs at least one point"),
        (["--cadence", "0"], "cadence_days must be at least 1"),
        (["--cadence", "400"], "cadence_days must be at most 366"),
    ):
        refused = sqlite_cli("kr", "add", objective, "X", "--baseline", "0", "--target", "1", *args)
        assert refused.code != 0 and words in refused.err, (args, refused.err)
