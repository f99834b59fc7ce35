"""`koers attention`, `forecast`, `calibration`, `ambition`, `carry-over` and `retrospective`: the insight services
in the terminal and as JSON, acting as the system; bad input is one error line and a non-zero exit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta

from koers.bootstrap import bootstrap
from koers.config import Settings
from koers.services import organisation as org
from koers.storage.unit_of_work import UnitOfWork
from tests import builders as b


def test_attention_prints_the_list_and_json(cli):
    assert cli("demo").code == 0
    data = json.loads(cli("attention", "--json").out)
    assert data["items"] and all(set(item) == {"key_result_id", "objective_id", "reasons"} for item in data["items"])
    status = json.loads(cli("status", "--json").out)
    titles = {kr["id"]: kr["title"] for c in status["cycles"] for o in c["objectives"] for kr in o["key_results"]}
    out = cli("attention").out
    first = data["items"][0]
    assert titles[first["key_result_id"]] in out and first["reasons"][0].replace("_", " ") in out
    teams = {o["team"] for c in status["cycles"] for o in c["objectives"]}
    assert "Klantenservice" in teams
    team_only = json.loads(cli("attention", "--team", "999999", "--json").out)
    assert team_only == {"items": []}
    assert cli("attention", "--team", "0").code == 2  # not an id


@contextmanager
def _data(url: str) -> Iterator[UnitOfWork]:
    """One transaction on the CLI's database, as the system, for building the test's data."""
    koers = bootstrap(Settings(url))
    try:
        with koers.uow() as uow:
            yield uow
    finally:
        koers.engine.dispose()


def test_forecast_prints_the_theil_sen_line(sqlite_cli, sqlite_url):
    with _data(sqlite_url) as uow:
        cycle = b.cycle(uow, "Q", days_before=40, days_after=50)  # 90 days: the end is day 90
        kr = b.key_result(uow, b.objective(uow, cycle.id).id, baseline=0, target=200, unit="EUR", title="Omzet")
        start = datetime.combine(cycle.start_date, time(), tzinfo=UTC)
        b.check_in(uow, kr.id, 10, created_at=start)
    one = sqlite_cli("forecast", str(kr.id))
    assert one.code == 0 and "not enough values" in one.out and "1 value;" in one.out
    assert json.loads(sqlite_cli("forecast", str(kr.id), "--json").out)["value"] is None
    with _data(sqlite_url) as uow:
        for day, value in ((10, 20), (20, 35), (29, 39)):
            b.check_in(uow, kr.id, value, created_at=start + timedelta(days=day))
    # Pairwise slopes of (0,10), (10,20), (20,35), (29,39): 1, 1.25, 1, 1.5, 1, 0.444 → median 1 per day; intercept
    # median(10, 10, 15, 10) = 10; at day 90: 10 + 90 = 100, score (100 − 0)/(200 − 0) = 50. Low: slope at the 10th
    # percentile 0.7222, intercept 15.417 → 80.417; high: slope 1.375, intercept 6.875 → 130.625.
    data = json.loads(sqlite_cli("forecast", str(kr.id), "--json").out)
    assert (data["value"], data["score"], data["points"], data["method"]) == (100.0, 50.0, 4, "theil_sen")
    assert (round(data["low"], 3), round(data["high"], 3)) == (80.417, 130.625)
    out = sqlite_cli("forecast", str(kr.id)).out  # two decimals: 130.625 is exact in binary and rounds half to even
    assert "'Omzet': forecast 100 EUR" in out and "(80.42 EUR – 130.62 EUR), score 50.0" in out and "4 values" in out
    for bad, words in (("x", "KEY_RESULT_ID must be a whole number id"), ("99999", "key result 99999 does not exist")):
        refused = sqlite_cli("forecast", bad)
        assert refused.code == 1 and refused.out == "" and refused.err.count("\n") == 1 and words in refused.err


def _calibrated(uow: UnitOfWork) -> dict[str, int]:
    """The service test's closed cycle: Ann said on_track on a key result that ended at 100, Bob at_risk on one that
    ended at 50; an open cycle's off_track check-in does not count."""
    sales = b.team(uow, "Sales")
    ann = b.user(uow, "ann@example.org", teams=[sales])
    bob = b.user(uow, "bob@example.org", teams=[sales])
    old = b.cycle(uow, "Old", days_before=200, days_after=-110)
    goal = b.objective(uow, old.id, "Grow", team_id=sales.id, visibility="team")
    hit, miss = b.key_result(uow, goal.id), b.key_result(uow, goal.id)  # 70 → 80, committed
    b.check_in(uow, hit.id, 80, confidence="on_track", author_id=ann.id)  # ends at 100: outcome 1
    b.check_in(uow, miss.id, 75, confidence="at_risk", author_id=bob.id)  # ends at 50: outcome 0
    open_kr = b.key_result(uow, b.objective(uow, b.cycle(uow, "Now").id, "Open").id)
    b.check_in(uow, open_kr.id, 80, confidence="off_track", author_id=ann.id)
    org.close_cycle(uow, old.id)
    return {"team": sales.id, "ann": ann.id, "bob": bob.id, "old": old.id}


def test_calibration_prints_brier_overall_and_per_owner(cli, database_url):
    with _data(database_url) as uow:
        ids = _calibrated(uow)
    # Ann (0.9 − 1)² = 0.01, Bob (0.5 − 0)² = 0.25; overall (0.01 + 0.25) / 2 = 0.13.
    data = json.loads(cli("calibration", "--json").out)
    assert set(data) == {"brier", "check_ins", "owners"}
    assert (round(data["brier"], 6), data["check_ins"]) == (0.13, 2)
    assert [(o["owner_id"], round(o["brier"], 6), o["check_ins"]) for o in data["owners"]] == [
        (ids["ann"], 0.01, 1),
        (ids["bob"], 0.25, 1),
    ]
    out = cli("calibration").out
    assert "Brier 0.130 over 2 check-ins" in out
    assert [line.split()[1:4:2] for line in out.splitlines() if "@example.org" in line] == [
        ["ann@example.org", "0.010"],
        ["bob@example.org", "0.250"],
    ]
    for args in (
        ["--owner", "bob@example.org"],
        ["--owner", str(ids["bob"])],
        ["--owner", "bob@example.org", "--cycle", "Old"],
    ):
        assert round(json.loads(cli("calibration", *args, "--json").out)["brier"], 6) == 0.25, args
    assert (
        json.loads(cli("calibration", "--cycle", str(ids["old"]), "--team", str(ids["team"]), "--json").out)[
            "check_ins"
        ]
        == 2
    )
    assert json.loads(cli("calibration", "--cycle", "Now", "--json").out)["check_ins"] == 0  # not closed
    assert "nothing to calibrate" in cli("calibration", "--team", str(ids["team"] + 1)).out
    for args, words in (
        (["--cycle", "Later"], "no cycle named Later"),
        (["--owner", "nobody@example.org"], "no user with email nobody@example.org"),
        (["--owner", "99999"], "user 99999 does not exist"),
    ):
        refused = cli("calibration", *args)
        assert refused.code == 1 and refused.err.count("\n") == 1 and words in refused.err, args
    assert cli("calibration", "--team", "0").code == 2


def test_ambition_prints_each_teams_spread_and_the_flags(sqlite_cli, sqlite_url):
    assert sqlite_cli("ambition").out.strip() == "No closed cycles yet."
    with _data(sqlite_url) as uow:
        sales = b.team(uow, "Sales")
        old = b.cycle(uow, "Old", days_before=200, days_after=-110)
        easy = b.objective(uow, old.id, "Easy", team_id=sales.id, type="aspirational")
        for value in (80, 80, 75):  # 100, 100, 50: mean 83.3, green; 2 of 3 reach 100 > half: an easy team
            b.check_in(uow, b.key_result(uow, easy.id).id, value)
        missed = b.objective(uow, old.id, "Missed", team_id=sales.id)
        b.check_in(uow, b.key_result(uow, missed.id).id, 72)  # 20: red, a committed objective that missed
        done = b.objective(uow, old.id, "Done", team_id=sales.id, type="aspirational")
        b.check_in(uow, b.key_result(uow, done.id).id, 80)  # 100: graded 1.0, too easy
        org.close_cycle(uow, old.id)
    data = json.loads(sqlite_cli("ambition", "--json").out)
    assert data["cycles"] == [{"id": old.id, "name": "Old"}]
    [row] = data["teams"]
    assert (row["name"], row["cycles"][0]["spread"], row["cycles"][0]["easy_team"]) == (
        "Sales", {"red": 1, "yellow": 0, "green": 2}, True,
    )  # fmt: skip
    assert [(f["id"], f["flag"]) for f in data["flags"]] == [(done.id, "too_easy"), (missed.id, "missed")]
    out = sqlite_cli("ambition").out
    assert "Sales" in out and "1/0/2 easy team" in out
    assert f"Old: objective {done.id} 'Done' (Sales) too easy" in out
    assert f"Old: objective {missed.id} 'Missed' (Sales) missed: committed" in out


def test_carry_over_copies_into_the_named_cycle(sqlite_cli, sqlite_url):
    with _data(sqlite_url) as uow:
        closed = b.cycle(uow, "Q1", days_before=120, days_after=-30)
        b.cycle(uow, "Q2")
        original = b.objective(uow, closed.id, "Keep customers")
        fewer = b.key_result(uow, original.id, "decrease", baseline=10, target=5)
        b.check_in(uow, fewer.id, 7.5)
        org.close_cycle(uow, closed.id)
    made = sqlite_cli("carry-over", str(original.id), "--cycle", "Q2")
    assert made.code == 0, made.err
    copy_id = int(made.out.split()[1])
    assert made.out.strip() == f"Objective {copy_id} 'Keep customers' carried over from objective {original.id}."
    with _data(sqlite_url) as uow:
        copy = uow.objectives.get(copy_id)
        [kr] = uow.key_results.list(objective_id=copy_id)
        cycle_name = uow.cycles.get(copy.cycle_id).name
    assert (copy.carried_from_id, cycle_name) == (original.id, "Q2")
    assert (kr.kind, kr.baseline, kr.target) == ("decrease", 7.5, 5.0)  # starts at the original's last value
    by_id = json.loads(sqlite_cli("carry-over", str(original.id), "--cycle", str(copy.cycle_id), "--json").out)
    assert (by_id["carried_from_id"], by_id["cycle_id"], by_id["title"]) == (
        original.id,
        copy.cycle_id,
        "Keep customers",
    )
    for args, code, words in (
        (["--cycle", "Q1"], 1, "cycle Q1 is closed"),
        (["--cycle", "Q9"], 1, "no cycle named Q9"),
        ([], 2, "Missing option '--cycle'"),
    ):
        refused = sqlite_cli("carry-over", str(original.id), *args)
        assert refused.code == code and refused.err.count("\n") == 1 and words in refused.err, args
    assert "OBJECTIVE_ID must be a whole number id" in sqlite_cli("carry-over", "x", "--cycle", "Q2").err


def test_retrospective_is_written_after_close_from_text_or_file(sqlite_cli, sqlite_url, tmp_path):
    with _data(sqlite_url) as uow:
        closed = b.cycle(uow, "Q1", days_before=120, days_after=-30)
        objective = b.objective(uow, closed.id, "Done and dusted")
        org.close_cycle(uow, closed.id)
    said = sqlite_cli("retrospective", str(objective.id), "We started too late.")
    assert said.code == 0 and said.out.strip() == f"Retrospective of objective {objective.id} 'Done and dusted' saved."
    note = tmp_path / "note.txt"
    note.write_text("We started too late.\nNext time: plan in week 1.\n", encoding="utf-8")
    written = json.loads(sqlite_cli("retrospective", str(objective.id), "--file", str(note), "--json").out)
    assert written["retrospective"] == "We started too late.\nNext time: plan in week 1."
    with _data(sqlite_url) as uow:
        stored = uow.objectives.get(objective.id)
    assert (stored.title, stored.retrospective) == (
        "Done and dusted",
        "We started too late.\nNext time: plan in week 1.",
    )
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    for args, words in (
        ([], "give either TEXT or --file FILE"),
        (["text", "--file", str(note)], "give either TEXT or --file FILE"),
        (["--file", str(tmp_path / "missing.txt")], "no such file"),
        (["--file", str(tmp_path / "latin1.txt")], "is not UTF-8 text"),
        (["x" * 10_001], "10000"),
    ):
        refused = sqlite_cli("retrospective", str(objective.id), *args)
        assert refused.code == 1 and refused.err.count("\n") == 1 and words in refused.err, (args[:1], refused.err)
    assert "does not exist" in sqlite_cli("retrospective", "99999", "x").err
