"""`koers lint` as a user meets it: verdicts, JSON of SPEC §5, whole documents, exit codes."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import ids_of_seed


@pytest.fixture
def cli(sqlite_cli):
    """The coach touches no database: SQLite alone is enough."""
    return sqlite_cli


def test_vague_goal_needs_work_and_exits_with_one(cli):
    result = cli("lint", "Meer leads genereren", "--json")
    assert result.code == 1
    data = json.loads(result.out)
    assert data["verdict"] == "needs_work" and data["lang"] == "nl"
    assert data["findings"][0]["code"] == "not-measurable"
    assert set(data["findings"][0]) == {"code", "severity", "message", "suggestion"}


def test_good_key_result_passes_and_exits_with_zero(cli):
    result = cli("lint", "Grow trial-to-paid conversion from 4% to 7% by June 30")
    assert result.code == 0, result.out
    assert "good" in result.out


def test_activity_is_reported_in_english_for_english_text(cli):
    data = json.loads(cli("lint", "Redesign the pricing page", "--json").out)
    assert data["lang"] == "en" and "activity" in [f["code"] for f in data["findings"]]


def test_lint_file_checks_every_objective_and_key_result(cli, tmp_path):
    cli("demo")
    ids_of_seed(cli)
    path = tmp_path / "org.json"
    path.write_text(cli("export").out)
    data = json.loads(cli("lint", "--file", str(path), "--json").out)
    document = json.loads(path.read_text())
    expected = len(document["objectives"]) + sum(len(o["key_results"]) for o in document["objectives"])
    assert len(data) == expected
    path.write_text(
        json.dumps(
            {
                "objectives": [
                    {
                        "id": 1,
                        "title": "Klanten behouden",
                        "key_results": [{"id": 1, "title": "Blokkades identificeren en elimineren"}],
                    }
                ]
            }
        )
    )
    result = cli("lint", "--file", str(path))
    assert result.code == 1
    assert "activity" in result.out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["lint"], "give either TEXT or --file FILE"),
        (["lint", "x", "--kind", "goal"], "kind must be one of"),
        (["lint", "Churn omlaag", "--lang", "de"], "lang"),
        (["lint", "   "], "empty"),
        (["lint", "--file", "missing.yaml"], "no such file"),
    ],
)
def test_bad_lint_input_is_one_clear_line(cli, argv, message):
    result = cli(*argv)
    assert result.code != 0
    assert result.err.startswith("koers: error: ") and result.err.count("\n") == 1
    assert message in result.err
