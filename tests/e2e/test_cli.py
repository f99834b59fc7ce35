"""The CLI as a user meets it: the seed's scenario, round trips, and bad input that never harms the data."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from koers.bootstrap import bootstrap
from koers.config import Settings
from tests import builders
from tests.builders import Organisation


def ids_of_seed(cli) -> dict[str, int]:
    status = json.loads(cli("status", "--json").out)
    quarter = next(c for c in status["cycles"] if "-Q" in c["name"])
    seed = next(o for o in quarter["objectives"] if o["title"] == "Klanten behouden: churn halveren")
    krs = {kr["title"]: kr["id"] for kr in seed["key_results"]}
    kpis = {k["name"]: k["id"] for k in status["kpis"]}
    return {
        "objective": seed["id"],
        "churn": krs["Churn reduceren van 10% naar 5%"],
        "nps": krs["NPS omhoog van 70 naar 80"],
        "aankooptijd": krs["Gemiddelde aankooptijd naar 3 à 4 minuten"],
        "kpi_aankooptijd": kpis["Aankooptijd"],
    }


def test_seed_scenario_gives_fifty_everywhere(cli):
    assert cli("demo").code == 0
    ids = ids_of_seed(cli)
    me = ("--as", "admin@koers.local")  # the demo's admin: a check-in has a person as its author
    churn = cli("checkin", str(ids["churn"]), "7,5", "--confidence", "at_risk", "--note", "Funnel verbeterd", *me)
    assert churn.code == 0 and "Churn reduceren van 10% naar 5%': score 50.0;" in churn.out
    assert cli("checkin", str(ids["nps"]), "75", *me).code == 0
    assert cli("measure", str(ids["kpi_aankooptijd"]), "6.75", *me).code == 0
    status = json.loads(cli("status", "--json").out)
    seed = next(o for c in status["cycles"] for o in c["objectives"] if o["id"] == ids["objective"])
    assert [kr["score"] for kr in seed["key_results"]] == [50.0, 50.0, 50.0]
    assert seed["score"] == 50.0
    explained = json.loads(cli("explain", str(ids["aankooptijd"]), "--json").out)
    assert explained["value_used"] == {"value": 6.75, "source": "kpi", "at": explained["latest_measurement"]["at"]}
    assert explained["formula"]["filled"] == "p = (9.5 − 6.75) / (9.5 − 4) = 0.5"
    text = cli("explain", f"o:{ids['objective']}").out
    assert "(50 × 1 + 50 × 1 + 50 × 1) / 3 = 50" in text


def test_demo_tells_a_story_in_the_terminal(cli):
    cli("demo")
    out = cli("status").out
    for expected in ("Klanten behouden: churn halveren", "Klantenservice", "Churn", "NPS", "Aankooptijd", "supports #"):
        assert expected in out
    assert "off track" in out or "at risk" in out
    again = cli("demo")
    assert again.code == 1 and "already holds data" in again.err


def test_export_import_export_gives_the_same_document(cli, tmp_path, monkeypatch, database_url):
    cli("demo")
    first = cli("export", "--format", "json").out
    path = tmp_path / "export.json"
    path.write_text(first)
    from koers.cli import context

    context.koers().engine.dispose()
    context.koers.cache_clear()
    monkeypatch.setenv("KOERS_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    imported = cli("import", str(path), "--json")
    assert imported.code == 0, imported.err
    counts = json.loads(imported.out)
    assert counts["objectives"] == len(json.loads(first)["objectives"])
    second = cli("export", "--format", "json").out
    assert strip_ids(json.loads(second)) == strip_ids(json.loads(first))


def test_yaml_round_trip_and_csv_export(cli, tmp_path, monkeypatch):
    cli("demo")
    yaml_text = cli("export", "--format", "yaml").out
    path = tmp_path / "export.yaml"
    path.write_text(yaml_text)
    from koers.cli import context

    context.koers().engine.dispose()
    context.koers.cache_clear()
    monkeypatch.setenv("KOERS_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    assert cli("import", str(path)).code == 0
    assert cli("export", "--format", "yaml").out == yaml_text
    csv_text = cli("export", "--format", "csv").out
    assert csv_text.splitlines()[0].startswith("cycle,team_id,objective_id,objective,key_result_id")
    assert "Churn reduceren van 10% naar 5%" in csv_text


def strip_ids(value):
    """The document without record ids and references (timestamps are kept as imported)."""
    if isinstance(value, dict):
        return {k: strip_ids(v) for k, v in value.items() if k != "id" and not k.endswith(("_id", "_ids"))}
    if isinstance(value, list):
        return [strip_ids(v) for v in value]
    return value


def test_user_add_never_prompts_and_hashes_the_password(cli):
    result = cli(
        "user",
        "add",
        "Anne@Example.org",
        "--role",
        "admin",
        "--name",
        "Anne",
        "--password-stdin",
        "--json",
        stdin="geheim-wachtwoord\n",
    )
    assert result.code == 0, result.err
    user = json.loads(result.out)
    assert user["email"] == "anne@example.org" and user["role"] == "admin"
    assert "geheim" not in result.out


BAD_INPUT = [
    # (what a user typed, the words the one-line error must contain)
    (["checkin", "999", "5", "--as", "{admin_email}"], "key result 999 does not exist"),
    (["checkin", "{key_result}", "abc", "--as", "{admin_email}"], "VALUE must be a number; got 'abc'"),
    (["checkin", "x1", "5", "--as", "{admin_email}"], "KEY_RESULT_ID must be a whole number id"),
    (["checkin", "{key_result}", "nan", "--as", "{admin_email}"], "finite number"),
    (["checkin", "{key_result}", "5", "--confidence", "great", "--as", "{admin_email}"], "confidence must be one of"),
    (["checkin", "{closed_kr}", "5", "--as", "{admin_email}"], "is closed"),
    (["measure", "999", "5", "--as", "{admin_email}"], "KPI 999 does not exist"),
    (["measure", "{kpi}", "5", "--at", "2999-01-01", "--as", "{admin_email}"], "lies in the future"),
    (["measure", "{kpi}", "5", "--at", "gisteren", "--as", "{admin_email}"], "--at must be a date-time"),
    (
        ["kr", "add", "{objective}", "NPS", "--kind", "increase", "--baseline", "70", "--target", "70"],
        "target above its baseline",
    ),
    (
        ["kr", "add", "{objective}", "Churn", "--kind", "decrease", "--baseline", "5", "--target", "10"],
        "target below its baseline",
    ),
    (
        ["kr", "add", "{objective}", "X", "--kind", "teleport", "--baseline", "1", "--target", "2"],
        "kind must be one of",
    ),
    (
        ["kr", "add", "{objective}", "X", "--kind", "range", "--baseline", "9", "--low", "5", "--high", "4"],
        "must not be above target_high",
    ),
    (
        ["kr", "add", "{objective}", "X", "--baseline", "1", "--target", "2", "--weight", "0"],
        "weight must be greater than 0",
    ),
    (["kr", "add", "{objective}", "X", "--baseline", "een", "--target", "2"], "--baseline must be a number"),
    (["kr", "add", "999", "X", "--baseline", "1", "--target", "2"], "objective 999 does not exist"),
    (["cycle", "add", "2027-Q1", "--start", "2027-03-31", "--end", "2027-01-01"], "must be after start_date"),
    (["cycle", "add", "{cycle_name}", "--start", "2027-01-01", "--end", "2027-03-31"], "already exists"),
    (
        ["cycle", "add", "2027-Q1", "--start", "1 januari", "--end", "2027-03-31"],
        "--start must be a date as YYYY-MM-DD",
    ),
    (["objective", "add", "Groeien", "--cycle", "999"], "cycle 999 does not exist"),
    (["objective", "add", "Groeien", "--cycle", "{cycle}", "--level", "operational"], "level must be one of"),
    (["objective", "align", "{strategic}", "{closed_objective}"], "strategic objective cannot align under a tactical"),
    (["objective", "align", "{strategic}", "{objective}"], "would make a loop"),
    (["objective", "align", "{strategic}", "{strategic}"], "loop"),
    (["user", "add", "geen-email"], "is not a valid email address"),
    (["user", "add", "{admin_email}"], "already exists"),
    (["user", "add", "nieuw@example.org", "--role", "boss"], "role must be one of"),
    (["team", "add", "{team_name}"], "already exists"),
    (
        ["kpi", "add", "NPS2", "--direction", "higher_is_better", "--green-at", "80", "--red-at", "90"],
        "must not be above green_at",
    ),
    (["initiative", "add", "Funnel analyseren"], "needs --objective or --kr"),
    (["explain", "999"], "key result 999 does not exist"),
    (["explain", "o:abc"], "OBJECTIVE_ID must be a whole number id"),
    (["status", "--cycle", "1999-Q1"], "no cycle named 1999-Q1"),
    (["export", "--format", "xml"], "xml"),
    (["import", "{missing_file}"], "no such file"),
    (["import", "{broken_json}"], "is not valid JSON"),
    (["import", "{broken_yaml}"], "is not valid YAML"),
    (["import", "{list_json}"], "an import document is a JSON/YAML object"),
    (["import", "{again}"], "importing again would add them twice"),
    (["import", "{half_valid}", "--append"], "objectives[1].key_results[0]: kind must be one of"),
    (["import", "{dangling}", "--append"], "refers to cycle 99, which is not in the document"),
    (["import", "{word_for_number}", "--append"], "key_results.0.baseline: baseline must be a number; got 'tien'"),
    (["import", "{import_loop}", "--append"], "makes a loop"),
]


_built: dict[str, Organisation] = {}


@pytest.fixture
def built_ids(module_database_url, tmp_path):
    # One organisation per database kind for all bad-input tests: each of them proves it changed nothing.
    if module_database_url not in _built:
        koers = bootstrap(Settings(module_database_url))
        with koers.uow() as uow:
            _built[module_database_url] = builders.organisation(uow)
        koers.engine.dispose()
    built = _built[module_database_url]
    koers = bootstrap(Settings(module_database_url))
    with koers.uow(read_only=True) as uow:
        closed_kr = uow.key_results.list(objective_id=built.too_easy_objective)[0]
        cycle_name = uow.cycles.get(built.cycle).name
        team_name = uow.teams.get(built.owner_team).name
        admin_email = uow.users.get(built.admin).email
    koers.engine.dispose()
    files = {
        "missing_file": tmp_path / "missing.json",
        "broken_json": _write(tmp_path / "broken.json", '{"cycles": [ {"id": 1, '),
        "broken_yaml": _write(tmp_path / "broken.yaml", "cycles:\n  - id: 1\n   name: [unclosed\n"),
        "list_json": _write(tmp_path / "list.json", "[1, 2, 3]"),
        "again": _write(tmp_path / "again.json", json.dumps(_small_doc())),
        "half_valid": _write(tmp_path / "half.json", json.dumps(_small_doc(kind="teleport"))),
        "dangling": _write(tmp_path / "dangling.json", json.dumps(_small_doc(cycle_id=99))),
        "word_for_number": _write(tmp_path / "word.json", json.dumps(_small_doc(baseline="tien"))),
        "import_loop": _write(tmp_path / "loop.json", json.dumps(_loop_doc())),
    }
    return {
        **{k: str(v) for k, v in asdict(built).items()},
        "closed_kr": str(closed_kr.id),
        "closed_objective": str(built.too_easy_objective),  # tactical
        "cycle_name": cycle_name,
        "team_name": team_name,
        "admin_email": admin_email,
        **{k: str(v) for k, v in files.items()},
    }


def _write(path, text):
    path.write_text(text)
    return path


def _small_doc(kind="increase", cycle_id=1, baseline=1):
    return {
        "cycles": [{"id": 1, "name": "2030-Q1", "start_date": "2030-01-01", "end_date": "2030-03-31"}],
        "teams": [{"id": 1, "name": "Nieuw team"}],
        "objectives": [
            {
                "id": 1,
                "title": "Eerste doel",
                "cycle_id": 1,
                "key_results": [{"id": 1, "title": "Goed", "kind": "increase", "baseline": 1, "target": 2}],
            },
            {
                "id": 2,
                "title": "Tweede doel",
                "cycle_id": cycle_id,
                "key_results": [{"id": 2, "title": "Fout", "kind": kind, "baseline": baseline, "target": 2}],
            },
        ],
    }


def _loop_doc():
    doc = _small_doc()
    doc["objectives"][0]["parent_id"] = 2
    doc["objectives"][1]["parent_id"] = 1
    return doc


def _snapshot(cli):
    return cli("export").out


@pytest.mark.parametrize(("argv", "expected"), BAD_INPUT, ids=[" ".join(a)[:60] for a, _ in BAD_INPUT])
def test_bad_input_gets_one_clear_line_and_leaves_the_database_as_it_was(shared_cli, built_ids, argv, expected):
    cli = shared_cli
    before = _snapshot(cli)
    result = cli(*[part.format(**built_ids) for part in argv])
    assert result.code != 0
    assert result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("koers: error: "), result.err
    assert "Traceback" not in result.err
    assert expected in result.err, result.err
    assert _snapshot(cli) == before


def test_at_least_twenty_kinds_of_bad_input_are_covered():
    assert len(BAD_INPUT) >= 20
