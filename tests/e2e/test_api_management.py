"""What changed and the roll-up per team over HTTP: the contract's shape, problem+json, privacy (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

V1 = "/api/v1"
CONTRACT = {"kind", "at", "key_result_id", "objective_id", "score_before", "score"}


def _week_ago() -> str:
    return (date.today() - timedelta(days=7)).isoformat()


def test_changes_answer_the_contract_with_score_deltas(api):
    c, owner = api.client, api.headers("owner")
    kr = api.ids["increase_key_result"]  # satisfaction 70 → 80, following a KPI now at 72 (score 20)
    made = c.post(f"{V1}/key-results/{kr}/check-ins", json={"value": 75, "confidence": "at_risk"}, headers=owner)
    assert made.status_code == 201
    answer = c.get(f"{V1}/changes", params={"since": _week_ago()}, headers=owner)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"items"}
    assert all(set(item) >= CONTRACT for item in body["items"])
    assert {item["kind"] for item in body["items"]} <= {"check_in", "status", "objective", "kpi_colour"}
    mine = [i for i in body["items"] if i["kind"] == "check_in" and i["key_result_id"] == kr]
    assert mine[0]["score_before"] == 20.0 and mine[0]["score"] == 50.0  # 72 → 75 on 70 → 80
    assert mine[0]["objective_id"] == api.ids["objective"] and mine[0]["confidence"] == "at_risk"
    ats = [item["at"] for item in body["items"]]
    assert ats == sorted(ats, reverse=True)  # newest first


def test_changes_refuse_a_bad_since_and_answer_empty_for_the_future(api):
    c, admin = api.client, api.headers("admin")
    for bad in ("yesterday", "2026-13-01", ""):
        refused = c.get(f"{V1}/changes", params={"since": bad}, headers=admin)
        assert refused.status_code == 422, bad
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert c.get(f"{V1}/changes", headers=admin).status_code == 422  # since is required
    ahead = (date.today() + timedelta(days=2)).isoformat()
    assert c.get(f"{V1}/changes", params={"since": ahead}, headers=admin).json() == {"items": []}
    assert c.get(f"{V1}/changes", params={"since": "0001-01-01"}, headers=admin).status_code == 200
    assert c.get(f"{V1}/changes", params={"since": _week_ago(), "team_id": 0}, headers=admin).status_code == 422


def test_changes_never_show_a_private_record_and_filter_by_team(api):
    c = api.client
    hidden_kr = c.post(
        f"{V1}/objectives/{api.ids['team_only_objective']}/key-results",
        json={"title": "Walvis", "kind": "increase", "baseline": 0, "target": 10},
        headers=api.headers("owner"),
    ).json()["id"]
    assert (
        c.post(f"{V1}/key-results/{hidden_kr}/check-ins", json={"value": 4}, headers=api.headers("owner")).status_code
        == 201
    )
    since = {"since": _week_ago()}
    theirs = c.get(f"{V1}/changes", params=since, headers=api.headers("other")).json()["items"]
    assert hidden_kr not in {i["key_result_id"] for i in theirs}
    assert api.ids["team_only_objective"] not in {i["objective_id"] for i in theirs}
    assert "Walvis" not in str(theirs)
    mine = c.get(f"{V1}/changes", params=since, headers=api.headers("owner")).json()["items"]
    assert hidden_kr in {i["key_result_id"] for i in mine}
    team = c.get(f"{V1}/changes", params={**since, "team_id": api.ids["other_team"]}, headers=api.headers("admin"))
    assert team.json()["items"] and {i["team_id"] for i in team.json()["items"]} == {api.ids["other_team"]}


def test_team_rollup_keeps_the_cycle_filter_and_hides_private_objectives(api):
    c = api.client
    answer = c.get(f"{V1}/rollup/teams", params={"cycle_id": api.ids["cycle"]}, headers=api.headers("other"))
    assert answer.status_code == 200
    items = {item["team_id"]: item for item in answer.json()["items"]}
    assert set(items) == {api.ids["owner_team"], api.ids["other_team"]}
    support = items[api.ids["owner_team"]]
    assert [o["id"] for o in support["objectives"]] == [api.ids["objective"]]  # not the team-only one
    assert support["objective_count"] == 1 and sum(support["statuses"].values()) == 1
    objective = c.get(f"{V1}/objectives/{api.ids['objective']}", headers=api.headers("other")).json()
    assert support["average_score"] == objective["score"]  # one objective: its stored score
    owner_view = c.get(f"{V1}/rollup/teams", params={"cycle_id": api.ids["cycle"]}, headers=api.headers("owner"))
    assert {item["team_id"]: item["objective_count"] for item in owner_view.json()["items"]}[api.ids["owner_team"]] == 2
    closed = c.get(f"{V1}/rollup/teams", params={"cycle_id": api.ids["closed_cycle"]}, headers=api.headers("admin"))
    assert sum(item["objective_count"] for item in closed.json()["items"]) == 2
    assert c.get(f"{V1}/rollup/teams", params={"cycle_id": "x"}, headers=api.headers("admin")).status_code == 422
