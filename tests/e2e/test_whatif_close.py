"""What-if, the retrospective after close, carry-over and the close flow through the API, the pages and the CLI.

The what-if tree (a cycle of its own, next to the builders' organisation), worked out by hand:
    top (strategic, no key results)
    ├── left: kr a (increase 0 → 100, check-in 40: 40, weight 1), kr b (0 → 100, check-in 80: 80, weight 3)
    └── middle (no key results)
        └── bottom: kr c (decrease 10 → 5, check-in 7.5: (10 − 7.5)/5 = 0.5 → 50)
Stored: left = (40 + 3·80)/4 = 70; bottom = 50; middle = 50; top = (70 + 50)/2 = 60.
"""

from __future__ import annotations

import json
import re
from typing import Any

from koers.services import organisation as org
from tests import builders as b
from tests.e2e.api_support import Api

API = "/api/v1"


def _tree(api: Api) -> dict[str, int]:
    with api.koers.uow() as uow:
        cycle = b.cycle(uow, "What-if cycle")
        top = b.objective(uow, cycle.id, "Top", level="strategic")
        left = b.objective(uow, cycle.id, "Left", parent_id=top.id)
        middle = b.objective(uow, cycle.id, "Middle", parent_id=top.id)
        bottom = b.objective(uow, cycle.id, "Bottom", parent_id=middle.id, team_id=api.ids["owner_team"])
        a = b.key_result(uow, left.id, baseline=0, target=100)
        kr_b = b.key_result(uow, left.id, baseline=0, target=100, weight=3)
        c = b.key_result(uow, bottom.id, "decrease", baseline=10, target=5)
        for kr, value in ((a, 40), (kr_b, 80), (c, 7.5)):
            b.check_in(uow, kr.id, value)
    return {"top": top.id, "left": left.id, "middle": middle.id, "bottom": bottom.id, "a": a.id, "c": c.id}


def _stored_scores(api: Api) -> list[Any]:
    with api.koers.uow(read_only=True) as uow:
        return [
            uow.connection.exec_driver_sql("SELECT id, score FROM objectives ORDER BY id").all(),
            uow.connection.exec_driver_sql("SELECT id, score, current FROM key_results ORDER BY id").all(),
            uow.connection.exec_driver_sql("SELECT count(*) FROM check_ins").scalar(),
        ]


def test_what_if_answers_up_the_tree_and_stores_nothing(api):
    t = _tree(api)
    before = _stored_scores(api)
    response = api.client.post(
        f"{API}/what-if", json={"values": {str(t["a"]): 60, str(t["c"]): 6}}, headers=api.headers("other")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    # a: 60 → 60; c: (10 − 6)/5 = 0.8 → 80; left = (60 + 3·80)/4 = 75; bottom = 80; middle = 80;
    # top = (75 + 80)/2 = 77.5
    assert [(k["id"], k["score_before"], k["score"]) for k in body["key_results"]] == [
        (t["a"], 40.0, 60.0),
        (t["c"], 50.0, 80.0),
    ]
    assert [(o["id"], o["score_before"], o["score"]) for o in body["objectives"]] == [
        (t["bottom"], 50.0, 80.0),
        (t["left"], 70.0, 75.0),
        (t["middle"], 50.0, 80.0),
        (t["top"], 60.0, 77.5),
    ]
    assert _stored_scores(api) == before


def test_what_if_hides_what_the_caller_may_not_see(sqlite_api):
    api = sqlite_api
    with api.koers.uow(read_only=True) as uow:
        secret = uow.key_results.list(objective_id=api.ids["team_only_objective"])[0].id
    hidden = api.client.post(f"{API}/what-if", json={"values": {str(secret): 70}}, headers=api.headers("other"))
    missing = api.client.post(f"{API}/what-if", json={"values": {"999999": 70}}, headers=api.headers("other"))
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.json()["detail"].replace(str(secret), "N") == missing.json()["detail"].replace("999999", "N")
    # the owner's team sees it: its objective is listed; the strategic objective above is public
    seen = api.client.post(f"{API}/what-if", json={"values": {str(secret): 70}}, headers=api.headers("owner"))
    assert seen.status_code == 200
    assert api.ids["team_only_objective"] in [o["id"] for o in seen.json()["objectives"]]


def test_what_if_values_are_checked_like_check_ins(sqlite_api):
    api = sqlite_api
    kr = api.ids["key_result"]
    too_big = api.client.post(f"{API}/what-if", json={"values": {str(kr): 1e16}}, headers=api.headers("owner"))
    assert too_big.status_code == 422
    assert any("values" in error["loc"] for error in too_big.json()["errors"])
    empty = api.client.post(f"{API}/what-if", json={"values": {}}, headers=api.headers("owner"))
    assert empty.status_code == 422


def test_the_retrospective_is_editable_after_close_and_nothing_else(api):
    closed = api.ids["too_easy_objective"]  # team A's, in the closed quarter
    url, owner = f"{API}/objectives/{closed}", api.headers("owner")
    written = api.client.patch(url, json={"retrospective": "Te makkelijk: volgende keer hoger mikken."}, headers=owner)
    assert written.status_code == 200, written.text
    assert written.json()["retrospective"] == "Te makkelijk: volgende keer hoger mikken."
    both = api.client.patch(url, json={"retrospective": "Anders", "title": "Nieuw"}, headers=owner)
    title = api.client.patch(url, json={"title": "Nieuw"}, headers=owner)
    assert (both.status_code, title.status_code) == (422, 422)
    assert api.client.get(url, headers=owner).json()["retrospective"] == "Te makkelijk: volgende keer hoger mikken."
    stranger = api.client.patch(url, json={"retrospective": "Niet van mij"}, headers=api.headers("other"))
    assert stranger.status_code == 403


def test_carry_over_copies_with_baselines_at_the_last_values(api):
    with api.koers.uow() as uow:
        first = b.cycle(uow, "Eerder", days_before=120, days_after=-30)
        original = b.objective(uow, first.id, "Churn halveren", team_id=api.ids["owner_team"])
        churn = b.key_result(uow, original.id, "decrease", baseline=10, target=5, unit="%")
        b.check_in(uow, churn.id, 7.5)
        org.close_cycle(uow, first.id)
    response = api.client.post(
        f"{API}/objectives/{original.id}/carry-over", json={"cycle_id": api.ids["cycle"]}, headers=api.headers("owner")
    )
    assert response.status_code == 201, response.text
    copy = response.json()
    assert (copy["carried_from_id"], copy["cycle_id"], copy["title"]) == (
        original.id,
        api.ids["cycle"],
        "Churn halveren",
    )
    krs = api.client.get(f"{API}/key-results?objective_id={copy['id']}", headers=api.headers("owner")).json()["items"]
    # decrease 10 → 5 that stood at 7.5: the copy runs 7.5 → 5
    assert [(k["kind"], k["baseline"], k["target"], k["unit"]) for k in krs] == [("decrease", 7.5, 5.0, "%")]
    refused = api.client.post(
        f"{API}/objectives/{original.id}/carry-over", json={"cycle_id": first.id}, headers=api.headers("owner")
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "cycle_id"]


# --- the pages ---


def _page(api: Api, caller: str, url: str) -> str:
    api.client.cookies.clear()
    response = api.client.get(url, cookies=api.cookies(caller))
    assert response.status_code == 200
    return response.text


def _post(api: Api, caller: str, url: str, form: dict[str, str], **headers: str) -> Any:
    api.client.cookies.clear()
    data = {**form, "csrf_token": api.csrf(caller)}
    return api.client.post(url, data=data, cookies=api.cookies(caller), headers=headers)


def test_the_objective_page_offers_what_if_and_answers_in_the_viewers_locale(sqlite_api):
    api = sqlite_api
    t = _tree(api)
    page = _page(api, "owner", f"/objectives/{t['bottom']}")
    assert f'hx-post="/key-results/{t["c"]}/what-if"' in page
    answer = _post(api, "owner", f"/key-results/{t['c']}/what-if", {"value": "6,0"}, **{"HX-Request": "true"})
    assert answer.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.text))
    # Dutch: 6,0 read as six; c 50,0 → 80,0, this objective 50,0 → 80,0, top 60,0 → 75,0 (left stays 70)
    assert "50,0 → 80,0" in text and "Top 60,0 → 75,0" in text
    wrong = _post(api, "owner", f"/key-results/{t['c']}/what-if", {"value": "zes"}, **{"HX-Request": "true"})
    assert wrong.status_code == 200 and 'role="alert"' in wrong.text


def test_the_retrospective_form_saves_after_close_and_the_editor_stays_refused(sqlite_api):
    api = sqlite_api
    closed = api.ids["too_easy_objective"]
    page = _page(api, "owner", f"/objectives/{closed}")
    assert f'action="/objectives/{closed}/retrospective"' in page
    saved = _post(api, "owner", f"/objectives/{closed}/retrospective", {"retrospective": "Lat te laag gelegd."})
    assert (saved.status_code, saved.headers["location"]) == (303, f"/objectives/{closed}#retrospective")
    assert "Lat te laag gelegd." in _page(api, "owner", f"/objectives/{closed}")
    edited = _post(api, "owner", f"/objectives/{closed}/edit", {"title": "Nieuwe titel"})
    assert edited.status_code == 422
    with api.koers.uow(read_only=True) as uow:
        assert uow.objectives.get(closed).title == "Answer questions sooner"


def test_the_close_flow_shows_grades_before_and_offers_carry_over_after(sqlite_api):
    api = sqlite_api
    cycles = _page(api, "admin", "/cycles")
    assert "If you close now" in cycles or "Als je nu afsluit" in cycles
    # the closed quarter: team B's committed objective at 0.5 is unfinished, team A's at 1.0 is not
    with api.koers.uow(read_only=True) as uow:
        unfinished = [o.id for o in uow.objectives.list(cycle_id=api.ids["closed_cycle"]) if o.grade < 1.0]
        quarter = uow.cycles.get(api.ids["cycle"]).name
    assert [f'action="/objectives/{i}/carry-over"' in cycles for i in unfinished] == [True]
    assert f'action="/objectives/{api.ids["too_easy_objective"]}/carry-over"' not in cycles
    assert quarter in cycles
    moved = _post(api, "admin", f"/objectives/{unfinished[0]}/carry-over", {"cycle_id": str(api.ids["cycle"])})
    assert moved.status_code == 303
    copy = int(moved.headers["location"].rsplit("/", 1)[1])
    assert f'href="/objectives/{copy}"' in _page(api, "admin", "/cycles")


def test_koers_whatif_prints_the_scores_and_stores_nothing(cli):
    cli("demo")
    status = json.loads(cli("status", "--json").out)
    seed = next(
        o for c in status["cycles"] for o in c["objectives"] if o["title"] == "Klanten behouden: churn halveren"
    )
    churn = next(kr for kr in seed["key_results"] if kr["title"] == "Churn reduceren van 10% naar 5%")
    out = cli("whatif", str(churn["id"]), "7.5", "--json")
    assert out.code == 0, out.err
    answer = json.loads(out.out)
    # (10 − 7.5)/(10 − 5) = 0.5 → 50
    assert answer["key_results"][0]["score"] == 50.0
    assert json.loads(cli("status", "--json").out) == status
    text = cli("whatif", str(churn["id"]), "5")
    assert text.code == 0 and "→ 100.0" in text.out and "Nothing was stored." in text.out


def test_the_pages_what_if_answers_an_outsider_as_if_the_key_result_did_not_exist(sqlite_api):
    api = sqlite_api
    with api.koers.uow(read_only=True) as uow:
        secret = uow.key_results.list(objective_id=api.ids["team_only_objective"])[0].id
    hidden = _post(api, "other", f"/key-results/{secret}/what-if", {"value": "70"}, **{"HX-Request": "true"})
    missing = _post(api, "other", "/key-results/999999/what-if", {"value": "70"}, **{"HX-Request": "true"})
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert "First-contact" not in hidden.text
