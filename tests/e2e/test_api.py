"""The HTTP API as its users meet it: the seed scenario, privacy, paging, conflicts, tokens, the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from koers.services.login import LoginThrottle
from tests.e2e.api_support import OTHER_TEAM_MEMBER, OWNING_TEAM_MEMBER, PASSWORD, make_api

V1 = "/api/v1"


def test_seed_scenario_over_http(api):
    owner, other = api.headers("owner"), api.headers("other")
    c = api.client
    objective = c.post(
        f"{V1}/objectives",
        json={
            "title": "Klanten behouden",
            "cycle_id": api.ids["cycle"],
            "team_id": api.ids["owner_team"],
            "type": "committed",
        },
        headers=owner,
    )
    assert objective.status_code == 201, objective.text
    kr = c.post(
        f"{V1}/objectives/{objective.json()['id']}/key-results",
        json={"title": "Churn reduceren van 10% naar 5%", "kind": "decrease", "baseline": 10, "target": 5, "unit": "%"},
        headers=owner,
    )
    assert kr.status_code == 201, kr.text
    check_in = c.post(
        f"{V1}/key-results/{kr.json()['id']}/check-ins", json={"value": 7.5, "note": "eerste week"}, headers=owner
    )
    assert check_in.status_code == 201
    answer = check_in.json()
    assert (answer["key_result_id"], answer["value"], answer["note"]) == (kr.json()["id"], 7.5, "eerste week")
    assert answer["key_result"] == {
        "id": kr.json()["id"], "current": 7.5, "progress": 0.5, "score": 50.0, "confidence": None
    }  # fmt: skip
    assert answer["objectives"] == [
        {"id": objective.json()["id"], "title": "Klanten behouden", "score_before": 0.0, "score": 50.0}
    ]
    assert c.get(f"{V1}/key-results/{kr.json()['id']}", headers=owner).json()["score"] == 50.0
    assert c.get(f"{V1}/objectives/{objective.json()['id']}", headers=other).json()["score"] == 50.0
    refused = c.post(f"{V1}/key-results/{kr.json()['id']}/check-ins", json={"value": 5}, headers=other)
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert (
        c.patch(f"{V1}/objectives/{objective.json()['id']}", json={"title": "Anders"}, headers=other).status_code == 403
    )


def test_team_objectives_do_not_exist_for_outsiders(api):
    owner, other, admin = api.headers("owner"), api.headers("other"), api.headers("admin")
    c = api.client
    cycle_id = c.get(f"{V1}/objectives/{api.ids['objective']}", headers=owner).json()["cycle_id"]
    hidden = c.post(
        f"{V1}/objectives",
        json={
            "title": "Reorganisatie klantenservice",
            "cycle_id": cycle_id,
            "team_id": api.ids["owner_team"],
            "visibility": "team",
        },
        headers=owner,
    ).json()
    kr = c.post(
        f"{V1}/objectives/{hidden['id']}/key-results",
        json={"title": "Bezetting van 60% naar 90%", "baseline": 60, "target": 90},
        headers=owner,
    ).json()
    c.post(f"{V1}/initiatives", json={"title": "Roosters herzien", "key_result_id": kr["id"]}, headers=owner)
    c.post(f"{V1}/key-results/{kr['id']}/check-ins", json={"value": 70}, headers=owner)
    for path in (f"objectives/{hidden['id']}", f"key-results/{kr['id']}", f"key-results/{kr['id']}/check-ins"):
        response = c.get(f"{V1}/{path}", headers=other)
        assert response.status_code == 404, path
        assert "does not exist" in response.json()["detail"]
        assert c.get(f"{V1}/{path}", headers=owner).status_code == 200
        assert c.get(f"{V1}/{path}", headers=admin).status_code == 200
    assert c.post(f"{V1}/key-results/{kr['id']}/check-ins", json={"value": 80}, headers=other).status_code == 404
    for collection in ("objectives", "key-results", "initiatives"):
        seen_by_other = str(c.get(f"{V1}/{collection}?limit=500", headers=other).json()["items"])
        assert (
            "Reorganisatie" not in seen_by_other
            and "Bezetting" not in seen_by_other
            and "Roosters" not in seen_by_other
        )
        assert ("Reorganisatie" in str(c.get(f"{V1}/{collection}?limit=500", headers=owner).json()["items"])) == (
            collection == "objectives"
        )


def test_lists_page_with_an_opaque_cursor_and_filter_by_field(sqlite_api):
    c, admin = sqlite_api.client, sqlite_api.headers("admin")
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = c.get(f"{V1}/key-results", params=params, headers=admin).json()
        seen += [kr["id"] for kr in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = c.get(f"{V1}/key-results", params={"limit": 500}, headers=admin).json()
    assert seen == [kr["id"] for kr in everything["items"]] and everything["next_cursor"] is None
    kinds = {
        kr["kind"] for kr in c.get(f"{V1}/key-results", params={"kind": "decrease"}, headers=admin).json()["items"]
    }
    assert kinds == {"decrease"}
    tactical = c.get(
        f"{V1}/objectives", params={"level": "tactical", "team_id": sqlite_api.ids["owner_team"]}, headers=admin
    ).json()["items"]
    assert tactical and all(o["level"] == "tactical" and o["team_id"] == sqlite_api.ids["owner_team"] for o in tactical)
    bad = c.get(f"{V1}/objectives", params={"cursor": "not-ours"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "cursor"]
    assert c.get(f"{V1}/objectives", params={"level": "heel hoog"}, headers=admin).status_code == 422


def test_a_stale_version_gets_409_and_the_record_stays(sqlite_api):
    c, owner = sqlite_api.client, sqlite_api.headers("owner")
    url = f"{V1}/objectives/{sqlite_api.ids['objective']}"
    version = c.get(url, headers=owner).json()["version"]
    assert (
        c.patch(url, json={"description": "Eerste", "version": version}, headers=owner).json()["version"] == version + 1
    )
    stale = c.patch(url, json={"description": "Tweede", "version": version}, headers=owner)
    assert stale.status_code == 409 and stale.headers["content-type"] == "application/problem+json"
    assert c.get(url, headers=owner).json()["description"] == "Eerste"


def test_unknown_fields_are_refused_not_assigned(sqlite_api):
    c, owner = sqlite_api.client, sqlite_api.headers("owner")
    url = f"{V1}/key-results/{sqlite_api.ids['key_result']}"
    response = c.patch(url, json={"score": 100, "current": 5}, headers=owner)
    assert response.status_code == 422
    assert {tuple(e["loc"]) for e in response.json()["errors"]} == {("body", "score"), ("body", "current")}
    me = c.patch(f"{V1}/users/{sqlite_api.ids['owner_user']}", json={"role": "admin"}, headers=owner)
    assert me.status_code == 422 and "role" in me.json()["detail"]


def test_idempotency_key_records_a_retried_check_in_once(sqlite_api):
    c, owner = sqlite_api.client, sqlite_api.headers("owner")
    url = f"{V1}/key-results/{sqlite_api.ids['key_result']}/check-ins"
    first = c.post(url, json={"value": 8}, headers=owner | {"Idempotency-Key": "maandag-1"})
    again = c.post(url, json={"value": 8}, headers=owner | {"Idempotency-Key": "maandag-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    history = c.get(url, params={"limit": 500}, headers=owner).json()["items"]
    assert sum(1 for item in history if item["id"] == first.json()["id"]) == 1
    assert history[0]["id"] == first.json()["id"] and len([h for h in history if h["value"] == 8]) == 1
    elsewhere = c.post(f"{V1}/kpis/1/measurements", json={"value": 8}, headers=owner | {"Idempotency-Key": "maandag-1"})
    assert elsewhere.status_code == 409


def test_validation_errors_name_the_field(sqlite_api):
    c, owner = sqlite_api.client, sqlite_api.headers("owner")
    objective = sqlite_api.ids["objective"]
    same = c.post(
        f"{V1}/objectives/{objective}/key-results",
        json={"title": "NPS", "kind": "increase", "baseline": 70, "target": 70},
        headers=owner,
    )
    assert same.status_code == 422 and same.json()["errors"][0]["loc"] == ["body", "target"]
    word = c.post(f"{V1}/key-results/{sqlite_api.ids['key_result']}/check-ins", json={"value": "zeven"}, headers=owner)
    assert word.status_code == 422 and word.json()["errors"][0]["loc"] == ["body", "value"]
    assert c.get(f"{V1}/nowhere", headers=owner).headers["content-type"] == "application/problem+json"


def test_tokens_are_shown_once_revocable_and_expire(sqlite_api):
    c, owner = sqlite_api.client, sqlite_api.headers("owner")
    created = c.post(f"{V1}/tokens", json={"name": "script"}, headers=owner).json()
    token = created["token"]
    assert token.startswith("koers_") and len(token) >= 6 + 43  # 256 random bits, url-safe
    assert "token" not in str(c.get(f"{V1}/tokens", headers=owner).json()).replace("api_token", "")
    mine = {"Authorization": f"Bearer {token}"}
    assert c.get(f"{V1}/objectives", headers=mine).status_code == 200
    assert c.delete(f"{V1}/tokens/{created['id']}", headers=owner).status_code == 200
    assert c.get(f"{V1}/objectives", headers=mine).status_code == 401
    soon = datetime.now(UTC) + timedelta(seconds=1)
    assert (
        c.post(
            f"{V1}/tokens", json={"expires_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()}, headers=owner
        ).status_code
        == 422
    )
    short = c.post(f"{V1}/tokens", json={"expires_at": soon.isoformat()}, headers=owner).json()["token"]
    import time

    time.sleep(1.2)
    assert c.get(f"{V1}/objectives", headers={"Authorization": f"Bearer {short}"}).status_code == 401
    with sqlite_api.koers.uow(read_only=True) as uow:
        stored = uow.connection.exec_driver_sql("SELECT token_hash FROM api_tokens").scalars().all()
    assert token not in stored and all(len(h) == 64 for h in stored)


def test_disabling_a_user_ends_their_tokens(sqlite_api):
    c = sqlite_api.client
    assert (
        c.delete(f"{V1}/users/{sqlite_api.ids['other_user']}", headers=sqlite_api.headers("admin")).json()["active"]
        is False
    )
    assert c.get(f"{V1}/objectives", headers=sqlite_api.headers("other")).status_code == 401
    login = c.post(f"{V1}/auth/login", json={"email": OTHER_TEAM_MEMBER, "password": PASSWORD})
    assert login.status_code == 401


def test_login_gives_a_token_and_is_rate_limited(sqlite_url):
    api = make_api(sqlite_url, throttle=LoginThrottle(limit=3, window=60))
    c = api.client
    good = c.post(f"{V1}/auth/login", json={"email": OWNING_TEAM_MEMBER, "password": PASSWORD})
    assert (
        good.status_code == 201
        and c.get(f"{V1}/objectives", headers={"Authorization": f"Bearer {good.json()['token']}"}).status_code == 200
    )
    for _ in range(3):
        assert c.post(f"{V1}/auth/login", json={"email": OWNING_TEAM_MEMBER, "password": "fout"}).status_code == 401
    blocked = c.post(f"{V1}/auth/login", json={"email": OWNING_TEAM_MEMBER, "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    api.koers.engine.dispose()


def test_every_change_is_in_the_audit_trail_with_before_and_after(sqlite_api):
    c, owner, admin = sqlite_api.client, sqlite_api.headers("owner"), sqlite_api.headers("admin")
    url = f"{V1}/objectives/{sqlite_api.ids['objective']}"
    c.patch(url, json={"description": "Nieuwe uitleg"}, headers=owner)
    entry = c.get(
        f"{V1}/audit", params={"entity": "objective", "entity_id": sqlite_api.ids["objective"]}, headers=admin
    ).json()["items"][0]
    assert entry["action"] == "update" and entry["actor_id"] == sqlite_api.ids["owner_user"]
    assert entry["before"]["description"] != "Nieuwe uitleg" and entry["after"]["description"] == "Nieuwe uitleg"
    assert datetime.fromisoformat(entry["at"]).utcoffset() == timedelta(0)
    c.post(f"{V1}/key-results/{sqlite_api.ids['key_result']}/check-ins", json={"value": 9}, headers=owner)
    latest = c.get(f"{V1}/audit", params={"limit": 1}, headers=admin).json()["items"][0]
    assert latest["action"] == "check_in" and latest["after"]["value"] == 9
    assert "password_hash" not in str(
        c.get(f"{V1}/audit", params={"entity": "user", "limit": 500}, headers=admin).json()
    )
    with pytest.raises(Exception, match="append-only"), sqlite_api.koers.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_log")


def test_health_and_openapi_need_no_token_and_the_rest_does(sqlite_api):
    c = sqlite_api.client
    assert c.get(f"{V1}/health").json()["status"] == "ok"
    document = c.get(f"{V1}/openapi.json").json()
    assert {
        "/api/v1/objectives",
        "/api/v1/key-results/{record_id}/check-ins",
        "/api/v1/cycles/{record_id}/close",
        "/api/v1/lint",
    } <= set(document["paths"])
    unauthorised = c.get(f"{V1}/objectives")
    assert unauthorised.status_code == 401 and unauthorised.headers["www-authenticate"] == "Bearer"
    assert c.get(f"{V1}/objectives", headers={"Authorization": "Bearer koers_not-a-token"}).status_code == 401


def test_security_headers_on_api_answers(sqlite_api):
    response = sqlite_api.client.get(f"{V1}/objectives", headers=sqlite_api.headers("owner"))
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "same-origin"


def test_closing_a_cycle_grades_its_objectives(sqlite_api):
    c, admin = sqlite_api.client, sqlite_api.headers("admin")
    cycle_id = c.get(f"{V1}/objectives/{sqlite_api.ids['objective']}", headers=admin).json()["cycle_id"]
    closed = c.post(f"{V1}/cycles/{cycle_id}/close", headers=admin).json()
    assert closed["cycle"]["status"] == "closed"
    graded = {g["objective_id"]: g for g in closed["grades"]}
    objective = c.get(f"{V1}/objectives/{sqlite_api.ids['objective']}", headers=admin).json()
    assert graded[objective["id"]]["grade"] == objective["grade"] == round(objective["score"] / 100, 2)
    again = c.post(f"{V1}/key-results/{sqlite_api.ids['key_result']}/check-ins", json={"value": 5}, headers=admin)
    assert again.status_code == 422 and "closed" in again.json()["detail"]
