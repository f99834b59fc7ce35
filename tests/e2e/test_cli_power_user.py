"""The CLI as a power user meets it (issue 15): fast start, an author for every check-in, Dutch, lists, Excel CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from koers.bootstrap import bootstrap
from koers.cli import main as cli_main
from koers.config import Settings
from koers.services.check_ins import record_check_in
from koers.vocabulary import CONFIDENCE_WORDS, confidence_code
from tests import builders
from tests.builders import Organisation

OWNER = "owner@example.org"  # a member of team A, owner of its objectives (tests/builders.organisation)
OTHER = "other@example.org"  # a member of team B


@pytest.fixture
def org(cli, database_url) -> Organisation:
    koers = bootstrap(Settings(database_url))
    with koers.uow() as uow:
        built = builders.organisation(uow)
    koers.engine.dispose()
    return built


def _check_ins(database_url: str, kr_id: int) -> list:
    koers = bootstrap(Settings(database_url))
    with koers.uow(read_only=True) as uow:
        found = uow.check_ins.history(kr_id)
    koers.engine.dispose()
    return found


# --- start-up: every module is imported when its command runs -----------------------------------------------------


def test_every_listed_command_is_registered_by_its_module_and_nothing_else():
    for module_name, names in cli_main.COMMANDS.items():
        assert set(cli_main.module_commands(module_name)) == set(names), module_name
    everything = cli_main.root_command(load_all=True)
    listed = [name for names in cli_main.COMMANDS.values() for name in names]
    assert sorted(everything.commands) == sorted(["version", *listed]) and len(listed) == len(set(listed))


def _modules_after(argv: list[str], env: dict[str, str]) -> tuple[int, set[str]]:
    """Run `koers argv` in a fresh interpreter; its exit code and the top-level packages it imported."""
    program = (
        "import sys; from koers.cli.main import main; code = main(sys.argv[1:]); "
        "sys.stderr.write(' '.join(sorted({m.split('.')[0] for m in sys.modules})) + '\\n'); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, *argv], capture_output=True, text=True, env={**os.environ, **env}, timeout=60
    )
    return done.returncode, set(done.stderr.strip().splitlines()[-1].split())


def test_version_loads_no_database_no_alembic_no_rich(tmp_path):
    code, modules = _modules_after(["version"], {"KOERS_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}"})
    assert code == 0
    assert not modules & {"sqlalchemy", "alembic", "rich", "babel", "yaml", "jinja2"}, modules


def test_a_check_in_on_a_current_database_loads_neither_alembic_nor_rich(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    koers = bootstrap(Settings(url))  # creates the schema
    with koers.uow() as uow:
        built = builders.organisation(uow)
    koers.engine.dispose()
    code, modules = _modules_after(["checkin", str(built.key_result), "7", "--as", OWNER], {"KOERS_DATABASE_URL": url})
    assert code == 0
    assert "sqlalchemy" in modules and not modules & {"alembic", "rich", "babel", "cryptography", "httpx"}, modules


# --- --as / KOERS_USER: the CLI acts as a person -------------------------------------------------------------------


def test_a_check_in_without_a_person_is_refused_in_one_line(cli, org, monkeypatch):
    monkeypatch.delenv("KOERS_USER", raising=False)
    result = cli("checkin", str(org.key_result), "7")
    assert result.code == 1
    assert result.err == "koers: error: who is this? give --as EMAIL or set KOERS_USER for koers checkin\n"
    assert cli("measure", str(org.kpi), "7").err.startswith("koers: error: who is this?")


def test_a_check_in_has_its_person_as_author(cli, org, database_url, monkeypatch):
    result = cli("checkin", str(org.key_result), "7", "--as", OWNER, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["check_in"]["author_id"] == org.owner
    monkeypatch.setenv("KOERS_USER", OWNER.upper())  # the environment says who, any case
    assert cli("checkin", str(org.key_result), "6").code == 0
    authors = [c.author_id for c in _check_ins(database_url, org.key_result)]
    assert authors[:2] == [org.owner, org.owner]
    audit = cli("audit", "--entity", "key_result", "--limit", "1").out
    assert OWNER in audit and "system" not in audit


def test_the_person_must_exist_be_active_and_have_the_right(cli, org):
    assert cli("checkin", str(org.key_result), "7", "--as", "nobody@example.org").err == (
        "koers: error: no user with email nobody@example.org\n"
    )
    refused = cli("checkin", str(org.key_result), "7", "--as", OTHER)  # team B's member on team A's key result
    assert refused.code == 1 and "may not check in" in refused.err
    assert cli("measure", str(org.kpi), "7", "--as", OTHER).code == 1
    assert cli("user", "disable", OWNER).code == 0
    disabled = cli("checkin", str(org.key_result), "7", "--as", OWNER)
    assert disabled.code == 1 and "is disabled" in disabled.err


def test_goal_writes_act_as_the_person_when_named_and_as_the_system_otherwise(cli, org):
    refused = cli("objective", "archive", str(org.other_objective), "--as", OWNER)
    assert refused.code == 1, refused.out
    assert cli("objective", "archive", str(org.other_objective)).code == 0  # no person: the system (an admin)


# --- the language ----------------------------------------------------------------------------------------------


def test_dutch_from_koers_lang_or_the_locale(cli, org, monkeypatch):
    monkeypatch.delenv("KOERS_USER", raising=False)
    monkeypatch.setenv("KOERS_LANG", "nl")
    missing = cli("checkin", str(org.key_result), "7")
    assert missing.err == "koers: error: wie ben je? geef --as E-MAIL of zet KOERS_USER voor koers checkin\n"
    done = cli("checkin", str(org.key_result), "7,5", "--as", OWNER)
    assert done.code == 0 and done.out.startswith("Check-in 7,5% op ") and ": score " in done.out
    monkeypatch.delenv("KOERS_LANG")
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    assert cli("explain", "999").err == "koers: error: Kernresultaat 999 bestaat niet\n"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert cli("explain", "999").err == "koers: error: key result 999 does not exist\n"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("op-koers", "on_track"),
        ("op_koers", "on_track"),
        ("Op koers", "on_track"),
        ("risico", "at_risk"),
        ("loopt risico", "at_risk"),
        ("uit-koers", "off_track"),
        ("niet op koers", "off_track"),
        ("on_track", "on_track"),
        ("at-risk", "at_risk"),
        ("OFF_TRACK", "off_track"),
    ],
)
def test_confidence_words_in_dutch_and_english(typed, code):
    assert confidence_code(typed) == code
    assert set(CONFIDENCE_WORDS) == {"on_track", "at_risk", "off_track"}


def test_a_dutch_confidence_is_stored_as_its_code_from_the_cli_and_the_service(cli, org, database_url):
    assert cli("checkin", str(org.key_result), "7", "--confidence", "uit-koers", "--as", OWNER).code == 0
    assert _check_ins(database_url, org.key_result)[0].confidence == "off_track"
    koers = bootstrap(Settings(database_url))
    with koers.uow() as uow:  # the web form's path: the service reads the same words
        assert record_check_in(uow, org.key_result, 6, "risico").check_in.confidence == "at_risk"
    koers.engine.dispose()
    wrong = cli("checkin", str(org.key_result), "7", "--confidence", "prima", "--as", OWNER)
    assert wrong.code == 1 and "--confidence must be one of on_track, at_risk, off_track" in wrong.err


# --- koers list ------------------------------------------------------------------------------------------------


def test_list_every_noun_as_json(cli, org):
    for noun, wanted in (
        ("teams", org.owner_team),
        ("cycles", org.cycle),
        ("objectives", org.objective),
        ("key-results", org.key_result),
        ("kpis", org.kpi),
        ("initiatives", org.initiative),
    ):
        result = cli("list", noun, "--json")
        assert result.code == 0, (noun, result.err)
        assert wanted in [row["id"] for row in json.loads(result.out)], noun


def test_list_filters_by_team_and_cycle_by_name_or_id(cli, org):
    by_id = json.loads(
        cli("list", "key-results", "--cycle", str(org.cycle), "--team", str(org.owner_team), "--json").out
    )
    name = json.loads(cli("list", "cycles", "--cycle", str(org.cycle), "--json").out)[0]["name"]
    team = json.loads(cli("list", "teams", "--team", str(org.owner_team), "--json").out)[0]["name"]
    by_name = json.loads(cli("list", "key-results", "--cycle", name, "--team", team, "--json").out)
    assert by_id == by_name
    assert {row["id"] for row in by_id} >= {org.key_result, org.increase_key_result, org.range_key_result}
    assert {row["team_id"] for row in by_id} == {org.owner_team} and {row["cycle"] for row in by_id} == {name}
    assert all(row["team"] == team and row["objective"] for row in by_id)
    other = json.loads(cli("list", "objectives", "--team", str(org.other_team), "--json").out)
    assert org.other_objective in [row["id"] for row in other] and {row["team_id"] for row in other} == {org.other_team}
    assert cli("list", "objectives", "--cycle", "1999-Q9").err == "koers: error: no cycle named 1999-Q9\n"
    assert cli("list", "objectives", "--cycle", "99999").err == "koers: error: cycle 99999 does not exist\n"


def test_list_shows_what_the_person_may_see(cli, org):
    everything = {row["id"] for row in json.loads(cli("list", "objectives", "--json").out)}
    outsider = {row["id"] for row in json.loads(cli("list", "objectives", "--json", "--as", OTHER).out)}
    insider = {row["id"] for row in json.loads(cli("list", "objectives", "--json", "--as", OWNER).out)}
    assert org.team_only_objective in everything and org.team_only_objective in insider
    assert org.team_only_objective not in outsider and org.other_objective in outsider


def test_list_table_speaks_dutch(cli, org, monkeypatch):
    monkeypatch.setenv("KOERS_LANG", "nl")
    out = cli("list", "key-results", "--team", str(org.owner_team)).out
    assert "Titel" in out and "Eigenaar" in out and "Olivia Owner" in out


# --- CSV for Dutch Excel ---------------------------------------------------------------------------------------


def _excel_rows(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_export_excel_opens_in_dutch_excel(cli, org, tmp_path, database_url, monkeypatch):
    koers = bootstrap(Settings(database_url))
    with koers.uow() as uow:
        kr = uow.key_results.get(org.increase_key_result)
        uow.key_results.set_fields(kr.id, title='=HYPERLINK("http://x")')
    koers.engine.dispose()
    cli("checkin", str(org.key_result), "7,5", "--as", OWNER)
    monkeypatch.setenv("KOERS_LANG", "nl")
    target = tmp_path / "krs.csv"
    assert cli("export", "--excel", "-o", str(target)).code == 0
    raw = target.read_bytes()
    assert b"\r\n" in raw
    rows = _excel_rows(raw)
    assert {"Cyclus", "Team", "Team-id", "Eigenaar", "Kernresultaat", "Streefwaarde"} <= set(rows[0])
    mine = next(r for r in rows if r["Kernresultaat-id"] == str(org.key_result))
    assert mine["Nu"] == "7,5" and mine["Eigenaar"] == "Olivia Owner" and mine["Team"]
    formula = next(r for r in rows if r["Kernresultaat-id"] == str(org.increase_key_result))
    assert formula["Kernresultaat"] == '\'=HYPERLINK("http://x")'
    monkeypatch.setenv("KOERS_LANG", "en")
    english = _excel_rows(cli_bytes(cli, "export", "--excel", "-o", str(tmp_path / "en.csv"), path=tmp_path / "en.csv"))
    assert "Key result" in english[0] and "Owner" in english[0]


def cli_bytes(cli, *argv: str, path: Path) -> bytes:
    assert cli(*argv).code == 0
    return path.read_bytes()


def test_list_excel_and_csv(cli, org, tmp_path, monkeypatch):
    monkeypatch.setenv("KOERS_LANG", "nl")
    rows = _excel_rows(
        cli_bytes(cli, "list", "kpis", "--excel", "-o", str(tmp_path / "k.csv"), path=tmp_path / "k.csv")
    )
    assert "Naam" in rows[0] and "Team" in rows[0]
    plain = cli("list", "teams", "--csv").out
    assert plain.splitlines()[0] == "id,name,parent_id,parent,lead_id,lead"


# --- the schema version: one query when current, Alembic only when needed -------------------------------------------


def test_head_revision_read_from_the_files_is_alembics_head():
    from alembic.script import ScriptDirectory

    from koers.storage import schema

    assert schema.head_revision() == ScriptDirectory.from_config(schema.alembic_config()).get_current_head()
    assert set(schema.revisions()) == {
        s.revision for s in ScriptDirectory.from_config(schema.alembic_config()).walk_revisions()
    }


def test_a_new_migration_file_is_the_new_head(tmp_path, monkeypatch):
    from koers.storage import schema

    for path in schema.VERSIONS.glob("*.py"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    head = schema.head_revision()
    (tmp_path / "0999_next.py").write_text(
        f'"""A later change."""\n\nrevision: str = "0999"\ndown_revision: str | None = "{head}"\n', encoding="utf-8"
    )
    monkeypatch.setattr(schema, "VERSIONS", tmp_path)
    schema.revisions.cache_clear()
    schema.head_revision.cache_clear()
    try:
        assert schema.head_revision() == "0999"
    finally:
        schema.revisions.cache_clear()
        schema.head_revision.cache_clear()


def test_a_current_database_costs_one_query(database_url):
    from sqlalchemy import event

    from koers.storage import schema
    from koers.storage.database import make_engine

    engine = make_engine(database_url)
    schema.upgrade(engine)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    schema.upgrade(engine)
    assert [s for s in statements if "alembic_version" in s] == ["SELECT version_num FROM alembic_version"]
    assert len([s for s in statements if not s.upper().startswith(("SET", "PRAGMA", "BEGIN"))]) == 1, statements
    engine.dispose()


def test_an_old_database_is_upgraded_and_a_newer_one_refused(cli, database_url):
    from sqlalchemy import text

    from koers.storage import schema
    from koers.storage.database import make_engine

    engine = make_engine(database_url)
    schema.upgrade(engine, "0001")
    assert schema.stored_revision(engine) == "0001"
    assert cli("list", "cycles", "--json").code == 0  # any command upgrades
    assert schema.stored_revision(engine) == schema.head_revision()
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    from koers.cli import context

    context.koers.cache_clear()
    refused = cli("list", "cycles")
    assert refused.code == 1
    assert refused.err == (
        "koers: error: the database is at schema revision 9999_future, which this Koers does not know "
        f"(its newest is {schema.head_revision()}): use the newer Koers that wrote it\n"
    )
    with engine.begin() as connection:  # leave it as the fixture found it
        connection.execute(text(f"UPDATE alembic_version SET version_num = '{schema.head_revision()}'"))
    engine.dispose()


def test_every_cli_text_has_a_dutch_translation_with_the_same_placeholders():
    import re

    from babel.messages.extract import extract_from_dir

    from koers import i18n
    from koers.cli import main as cli_package_main

    folder = Path(cli_package_main.__file__).parent
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            folder, method_map=[("**.py", "python")], keywords={"_": None, "N_": None}
        )
        if isinstance(message, str) and message
    }
    assert "Measured {name} = {value}." in found
    dutch = {m.id: str(m.string) for m in i18n.catalogue("nl") if m.id}
    assert sorted(found - set(dutch)) == [], "add these to src/koers/web/translations/nl/cli.po"
    for text in found:
        assert sorted(re.findall(r"{(\w*)", text)) == sorted(re.findall(r"{(\w*)", dutch[text])), text
