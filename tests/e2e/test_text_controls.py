"""Control characters and bidi overrides (issue 9, item 11): every door refuses them, the CLI never prints them.

One rule (koers.domain.validation.is_control_character) decides both what a text field refuses and what the CLI
strips from older data before it reaches a terminal.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from koers.bootstrap import bootstrap
from koers.config import Settings
from koers.services.transfer import export_document, import_document
from koers.storage import tables
from tests.builders import TODAY

BAD = {"bidi override": "\u202e", "bell": "\x07", "ANSI escape": "\x1b[31m", "C1 CSI": "\x9b31m"}
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_every_door_refuses_control_characters_in_text(sqlite_api, sqlite_cli, tmp_path, bad):
    api, title = sqlite_api, f"Klanten {bad}behouden"
    cycle = str(api.ids["cycle"])

    answer = api.client.post(
        "/api/v1/objectives", json={"title": title, "cycle_id": api.ids["cycle"]}, headers=api.headers("owner")
    )
    assert answer.status_code == 422 and "control characters" in answer.text, answer.text
    answer = api.client.post(
        "/api/v1/key-results",
        json={"objective_id": api.ids["objective"], "title": "Churn", "baseline": 1, "target": 2, "unit": f"%{bad}"},
        headers=api.headers("owner"),
    )
    assert answer.status_code == 422 and "control characters" in answer.text, answer.text

    answer = api.client.post("/api/v1/tokens", json={"name": f"ci {bad}"}, headers=api.headers("owner"))
    assert answer.status_code == 422 and "control characters" in answer.text, answer.text

    api.client.cookies.clear()
    form = {"title": title, "description": "", "level": "tactical", "type": "committed", "cycle_id": cycle}
    form |= {"team_id": "", "owner_id": "", "parent_id": "", "visibility": "public", "csrf_token": api.csrf("owner")}
    page = api.client.post("/objectives/new", data=form, cookies=api.cookies("owner"))
    assert page.status_code == 422 and "stuurtekens" in page.text
    api.client.cookies.clear()
    note = {"value": "9,5", "confidence": "on_track", "note": f"goed {bad}", "csrf_token": api.csrf("owner")}
    page = api.client.post(
        f"/week/key-results/{api.ids['key_result']}/check-in", data=note, cookies=api.cookies("owner")
    )
    assert page.status_code == 422 and "stuurtekens" in page.text, page.text[:300]

    made = sqlite_cli("cycle", "add", "Q", "--start", "2026-01-01", "--end", "2026-03-31", "--json")
    assert made.code == 0, made.err
    refused = sqlite_cli("objective", "add", title, "--cycle", str(json.loads(made.out)["id"]))
    assert refused.code == 1 and "control characters" in refused.err
    assert not any(raw in refused.err for raw in RAW)  # the error line itself is printable

    with api.koers.uow(read_only=True) as uow:
        document = export_document(uow, TODAY)
    document["objectives"][0]["title"] = title
    fresh = bootstrap(Settings(f"sqlite:///{tmp_path / 'import.db'}"))
    try:
        with pytest.raises(Exception) as error, fresh.uow() as uow:
            import_document(uow, document)
        assert "title must not contain control characters" in str(error.value)
    finally:
        fresh.engine.dispose()


def test_the_cli_prints_no_control_characters_from_older_data(api, cli):
    title = "Klanten \u202eterug\u202c \x1b[2J\x1b[31mrood\x07 \x9b1m[bold]vet[/]"
    with api.koers.engine.begin() as connection:  # past the services, as a database from before the rule holds it
        connection.execute(
            update(tables.objectives).where(tables.objectives.c.id == api.ids["objective"]).values(title=title)
        )
        connection.execute(
            update(tables.key_results).where(tables.key_results.c.id == api.ids["key_result"]).values(title=title)
        )
    for command in (["status"], ["explain", f"o:{api.ids['objective']}"], ["explain", str(api.ids["key_result"])]):
        printed = cli(*command)
        assert printed.code == 0, (command, printed.err)
        assert "Klanten terug" in printed.out and "rood" in printed.out, command
        assert not any(raw in printed.out + printed.err for raw in RAW), (command, printed.out)
        assert "[bold]vet[/]" in printed.out or command == ["status"]  # markup in a title is text, not styling
    as_json = cli("explain", f"o:{api.ids['objective']}", "--json")
    assert not any(raw in as_json.out for raw in RAW)
    assert json.loads(as_json.out)["objective"]["title"] == title  # escaped, not lost
    exported = cli("export")
    assert exported.code == 0 and not any(raw in exported.out for raw in RAW)
    assert title in [o["title"] for o in json.loads(exported.out)["objectives"]]
