"""What needs attention, calibration and guardrails over HTTP: the answers' shapes, privacy and the PATCH field."""

from __future__ import annotations

V1 = "/api/v1"


def test_attention_lists_reasons_and_only_what_the_caller_may_see(api):
    c, owner, other = api.client, api.headers("owner"), api.headers("other")
    cycle = api.ids["cycle"]
    hidden = c.post(
        f"{V1}/objectives",
        json={"title": "Alleen ons team", "cycle_id": cycle, "team_id": api.ids["owner_team"], "visibility": "team"},
        headers=owner,
    ).json()
    kr = c.post(
        f"{V1}/objectives/{hidden['id']}/key-results",
        json={"title": "Verborgen", "kind": "increase", "baseline": 0, "target": 10},
        headers=owner,
    ).json()
    mine = c.get(f"{V1}/attention", headers=owner)
    assert mine.status_code == 200
    items = {item["key_result_id"]: item for item in mine.json()["items"]}
    assert set(items[kr["id"]]) == {"key_result_id", "objective_id", "reasons"}
    assert items[kr["id"]]["objective_id"] == hidden["id"] and "no_recent_check_in" in items[kr["id"]]["reasons"]
    theirs = c.get(f"{V1}/attention", headers=other).json()["items"]
    assert kr["id"] not in {item["key_result_id"] for item in theirs}
    seen_by_other = [
        item for item in mine.json()["items"]
        if c.get(f"{V1}/objectives/{item['objective_id']}", headers=other).status_code == 200
    ]  # fmt: skip
    assert len(seen_by_other) < len(mine.json()["items"])
    assert theirs == seen_by_other  # exactly what they may see: the count gives nothing away either
    team_only = c.get(f"{V1}/attention", params={"team_id": api.ids["owner_team"]}, headers=other).json()["items"]
    assert kr["id"] not in {item["key_result_id"] for item in team_only}
    assert c.get(f"{V1}/attention", params={"team_id": 0}, headers=owner).status_code == 422


def test_calibration_answers_the_documented_shape(api):
    answer = api.client.get(f"{V1}/calibration", headers=api.headers("admin"))
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"brier", "check_ins", "owners"}
    assert all(set(owner) == {"owner_id", "brier", "check_ins"} for owner in body["owners"])
    # builders' closed quarter: three key results, three on-track check-ins each; two ended successfully
    # (aspirational at 100: (0.9 − 1)² = 0.01), one committed at 50 ((0.9 − 0)² = 0.81): (6 · 0.01 + 3 · 0.81) / 9
    assert body["check_ins"] == 9
    assert abs(body["brier"] - (6 * 0.01 + 3 * 0.81) / 9) < 1e-9
    outsider = api.client.get(f"{V1}/calibration", params={"owner_id": 999999}, headers=api.headers("other")).json()
    assert outsider == {"brier": None, "check_ins": 0, "owners": []}


def test_guardrails_are_set_with_patch_and_shown_on_the_key_result(api):
    c, owner, other = api.client, api.headers("owner"), api.headers("other")
    kr, kpi = api.ids["key_result"], api.ids["kpi"]
    changed = c.patch(f"{V1}/key-results/{kr}", json={"guardrail_kpi_ids": [kpi]}, headers=owner)
    assert changed.status_code == 200, changed.text
    assert changed.json()["guardrail_kpi_ids"] == [kpi]
    assert c.get(f"{V1}/key-results/{kr}", headers=other).json()["guardrail_kpi_ids"] == [kpi]
    assert c.patch(f"{V1}/key-results/{kr}", json={"guardrail_kpi_ids": [kpi]}, headers=other).status_code == 403
    assert c.patch(f"{V1}/key-results/{kr}", json={"guardrail_kpi_ids": [999999]}, headers=owner).status_code == 404
    assert c.patch(f"{V1}/key-results/{kr}", json={"guardrail_kpi_ids": None}, headers=owner).status_code == 422
    cleared = c.patch(f"{V1}/key-results/{kr}", json={"guardrail_kpi_ids": []}, headers=owner)
    assert cleared.json()["guardrail_kpi_ids"] == []
