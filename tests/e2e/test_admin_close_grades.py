"""Issue 15 through every door: a planning cycle is refused alike by the API, the pages and the CLI; the CLI asks
before closing; grades set by hand through the API, in the report and the export; the pages confirm what an admin
added; and the demo's year objective keeps 44.4 when a fresh next-quarter objective is aligned under it."""

from __future__ import annotations

import json
import re
from datetime import date

from koers.domain import model
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.explain import explain_objective
from koers.services.sessions import start_session
from koers.web.session import SESSION_COOKIE
from tests.e2e.api_support import Api, make_demo_api

API = "/api/v1"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _planning(api: Api) -> int:
    with api.koers.uow() as uow:
        return org.create_cycle(uow, "2031-Q1", date(2031, 1, 1), date(2031, 3, 31), "planning").id or 0


def test_a_planning_cycle_is_refused_by_the_api_and_the_pages_alike(api):
    planned = _planning(api)
    refused = api.client.post(f"{API}/cycles/{planned}/close", headers=api.headers("admin"))
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["detail"] == "cycle 2031-Q1 is still being planned: make it active before you close it"
    api.client.cookies.clear()
    page = api.client.post(
        f"/cycles/{planned}/close",
        data={"confirm": "yes", "csrf_token": api.csrf("admin")},
        cookies=api.cookies("admin"),
    )
    assert page.status_code == 422
    assert "cyclus 2031-Q1 is nog in voorbereiding: maak hem eerst actief" in _text(page.text)
    with api.koers.uow(read_only=True) as uow:
        assert uow.cycles.get(planned).status == "planning"
    # an active cycle still closes through the API, without a confirmation (its contract is unchanged)
    closed = api.client.post(f"{API}/cycles/{api.ids['cycle']}/close", headers=api.headers("admin"))
    assert closed.status_code == 200 and closed.json()["cycle"]["status"] == "closed"


def test_a_close_post_without_the_confirmation_goes_to_the_confirmation_step(sqlite_api):
    api = sqlite_api
    api.client.cookies.clear()
    sent = api.client.post(
        f"/cycles/{api.ids['cycle']}/close", data={"csrf_token": api.csrf("admin")}, cookies=api.cookies("admin")
    )
    assert (sent.status_code, sent.headers["location"]) == (303, f"/cycles/{api.ids['cycle']}/close")
    with api.koers.uow(read_only=True) as uow:
        assert uow.cycles.get(api.ids["cycle"]).status == "active"


def test_grades_set_by_hand_through_the_api_show_beside_the_computed_one(api):
    closed = api.ids["too_easy_objective"]  # team A's, graded 1.0; the owner leads team A
    url = f"{API}/objectives/{closed}/grade"
    missing_note = api.client.put(url, json={"grade": 0.8}, headers=api.headers("owner"))
    assert missing_note.status_code == 422 and missing_note.json()["errors"][0]["loc"] == ["body", "note"]
    too_high = api.client.put(url, json={"grade": 1.5, "note": "x"}, headers=api.headers("owner"))
    assert too_high.status_code == 422 and too_high.json()["errors"][0]["loc"] == ["body", "grade"]
    unknown = api.client.put(url, json={"grade": 0.8, "note": "x", "by": 1}, headers=api.headers("owner"))
    assert unknown.status_code == 422
    other = api.client.put(url, json={"grade": 0.8, "note": "x"}, headers=api.headers("other"))
    assert other.status_code == 403
    open_cycle = api.client.put(
        f"{API}/objectives/{api.ids['objective']}/grade", json={"grade": 0.5, "note": "x"}, headers=api.headers("admin")
    )
    assert open_cycle.status_code == 422

    saved = api.client.put(url, json={"grade": 0.8, "note": "De meting klopte niet."}, headers=api.headers("owner"))
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["grade"], body["grade_override"], body["final_grade"], body["grade_note"]) == (
        1.0,
        0.8,
        0.8,
        "De meting klopte niet.",
    )
    assert body["grade_overridden_by"] == api.ids["owner_user"]
    read = api.client.get(f"{API}/objectives/{closed}", headers=api.headers("other")).json()
    assert (read["grade"], read["grade_override"], read["final_grade"]) == (1.0, 0.8, 0.8)

    # the cycle report (HTML and CSV) and the export carry it
    report = api.client.get(
        f"{API}/reports/cycles/{api.ids['closed_cycle']}?format=html", headers=api.headers("admin")
    ).text
    shown = _text(report)  # the admin reads Dutch
    assert "eindscore 0,8" in shown and "met de hand gezet; berekend 1: De meting klopte niet." in shown
    rows = api.client.get(f"{API}/reports/cycles/{api.ids['closed_cycle']}?format=csv", headers=api.headers("admin"))
    head, *lines = rows.text.splitlines()
    columns = head.split(",")
    mine = next(line.split(",") for line in lines if "Answer questions sooner" in line)
    graded = dict(zip(columns, mine, strict=False))
    assert (graded["objective_grade"], graded["objective_grade_computed"]) == ("0.8", "1.0")
    cleared = api.client.put(url, json={"grade": None}, headers=api.headers("admin"))
    assert (cleared.json()["grade_override"], cleared.json()["final_grade"]) == (None, 1.0)


def test_koers_cycle_close_asks_first_and_refuses_a_planning_cycle(cli):
    assert cli("demo").code == 0
    cycles = {c["name"]: c for c in json.loads(cli("export", "--format", "json").out)["cycles"]}
    quarter = next(c for c in cycles.values() if c["status"] == "active" and "-Q" in c["name"])
    assert (
        cli("cycle", "add", "2031-Q1", "--start", "2031-01-01", "--end", "2031-03-31", "--status", "planning").code == 0
    )
    planned = cli("cycle", "close", "2031-Q1", "--yes")
    assert planned.code == 1 and "2031-Q1 is still being planned" in planned.err
    declined = cli("cycle", "close", quarter["name"], stdin="n\n")
    assert declined.code == 1
    assert "days left until its last day" in declined.err or "its last day" in declined.err
    assert "had no check-in for 14 days or more" in declined.err
    status = {c["name"]: c["status"] for c in json.loads(cli("export", "--format", "json").out)["cycles"]}
    assert status[quarter["name"]] == "active"
    closed = cli("cycle", "close", quarter["name"], "--yes")
    assert closed.code == 0 and f"Cycle {quarter['name']} closed." in closed.out
    status = {c["name"]: c["status"] for c in json.loads(cli("export", "--format", "json").out)["cycles"]}
    assert status[quarter["name"]] == "closed"


def test_the_demo_year_objective_keeps_44_4_with_a_fresh_next_quarter_objective(sqlite_url):
    """SPEC §3, issue 15: the four tactical objectives of this quarter average 44.4; a new objective in next
    quarter's planning cycle, scoring 0, would pull that to (4 × 44.4 + 0) / 5 ≈ 35.5 if it counted."""
    api = make_demo_api(sqlite_url)
    try:
        with api.koers.uow() as uow:
            year = next(o for o in uow.objectives.list() if o.level == "strategic")
            before = year.score
            children = [o.score for o in uow.objectives.list(parent_id=year.id)]
            assert before == round(sum(children) / len(children), 1) == 44.4
            nxt = org.create_cycle(uow, "volgend kwartaal", date(2099, 1, 1), date(2099, 3, 31), "planning")
            fresh = goals.create_objective(
                uow, model.Objective("Nieuw kwartaaldoel", nxt.id or 0, parent_id=year.id, team_id=year.team_id)
            )
            goals.create_key_result(uow, model.KeyResult(fresh.id or 0, "Iets van 0 naar 10", baseline=0, target=10))
        with api.koers.uow(read_only=True) as uow:
            assert uow.objectives.get(year.id or 0).score == 44.4
            formula = explain_objective(uow, year.id or 0, date.today())["formula"]["filled"]
        assert formula.endswith("= 44.4; left out, its cycle has not started: Nieuw kwartaaldoel")
        for lang, words in (("nl", "niet meegeteld, de cyclus is nog niet begonnen"), ("en", "left out, its cycle")):
            with api.koers.uow() as uow:  # the explanation on the objective page, in the reader's language
                admin = next(u for u in uow.users.list() if u.role == "admin")
                org.update_user(uow, admin.id or 0, {"locale": lang})
                cookie, _csrf = start_session(uow, admin.id or 0)
            api.client.cookies.clear()
            shown = _text(api.client.get(f"/objectives/{year.id}", cookies={SESSION_COOKIE: cookie}).text)
            assert words in shown and "Nieuw kwartaaldoel" in shown
            assert ("= 44,4" if lang == "nl" else "= 44.4") in shown
    finally:
        api.client.close()
        api.koers.engine.dispose()
