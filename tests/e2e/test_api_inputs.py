"""Inputs that once answered 500, or were silently misread: each now gets a 4xx (issue 9, items 10 and 13)."""

from __future__ import annotations

import base64
import copy
from datetime import date
from typing import Any

import pytest

from koers.domain.errors import ValidationError
from koers.domain.fields import MAX_ID
from koers.services.document import parse_document
from koers.services.transfer import export_document

V1 = "/api/v1"
HUGE = 99999999999999999999


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _assert_refused(response: Any, status: int = 422) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("expires_at", ["2030-01-01T00:00:00", "2030-01-01", "9999-12-31T23:59:59-14:00"])
def test_a_token_expiry_without_a_time_zone_or_past_the_dates_is_refused(sqlite_api: Any, expires_at: str) -> None:
    c, owner = sqlite_api.client, sqlite_api.headers("owner")
    _assert_refused(c.post(f"{V1}/tokens", json={"name": "script", "expires_at": expires_at}, headers=owner))
    fine = c.post(f"{V1}/tokens", json={"name": "script", "expires_at": "2030-01-01T00:00:00Z"}, headers=owner)
    assert fine.status_code == 201


def test_a_cursor_past_the_id_range_is_refused_on_both_databases(api: Any) -> None:
    c, admin = api.client, api.headers("admin")
    lists = [
        f"{V1}/objectives",
        f"{V1}/key-results",
        f"{V1}/users",
        f"{V1}/audit",
        f"{V1}/key-results/{api.ids['key_result']}/check-ins",
        f"{V1}/kpis/{api.ids['kpi']}/measurements",
    ]
    for url in lists:
        for number in (HUGE, MAX_ID + 1, 10**400, 0):
            response = c.get(url, params={"cursor": _cursor(f"after:{number}")}, headers=admin)
            _assert_refused(response)
            assert response.json()["errors"][0]["loc"] == ["query", "cursor"]
        assert c.get(url, params={"cursor": _cursor(f"after:{MAX_ID}")}, headers=admin).status_code == 200


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1899-12-31T12:00:00Z"])
def test_a_measurement_at_the_edge_of_time_is_refused(sqlite_api: Any, at: str) -> None:
    url = f"{V1}/kpis/{sqlite_api.ids['kpi']}/measurements"
    _assert_refused(sqlite_api.client.post(url, json={"value": 1, "at": at}, headers=sqlite_api.headers("admin")))


def test_a_cycle_at_the_edges_of_the_dates_takes_key_results_and_check_ins(api: Any) -> None:
    """Dates are limited to 1900–2200; pace and elapsed time at those edges compute, and every page shows them."""
    c, admin = api.client, api.headers("admin")
    for start, end in (("1900-01-01", "2200-12-31"), ("2200-12-30", "2200-12-31"), ("1900-01-01", "1900-01-02")):
        cycle = c.post(
            f"{V1}/cycles", json={"name": f"Rand {start} {end}", "start_date": start, "end_date": end}, headers=admin
        )
        assert cycle.status_code == 201, cycle.text
        objective = c.post(
            f"{V1}/objectives",
            json={
                "title": f"Doel aan de rand {start} {end}",
                "cycle_id": cycle.json()["id"],
                "team_id": api.ids["owner_team"],
            },
            headers=admin,
        )
        assert objective.status_code == 201, objective.text
        kr = c.post(
            f"{V1}/objectives/{objective.json()['id']}/key-results",
            json={"title": "Rand bereikt", "baseline": 0, "target": 10},
            headers=admin,
        )
        assert kr.status_code == 201, kr.text
        check_in = c.post(f"{V1}/key-results/{kr.json()['id']}/check-ins", json={"value": 4}, headers=admin)
        assert check_in.status_code == 201, check_in.text
        assert c.get(f"{V1}/objectives/{objective.json()['id']}", headers=admin).status_code == 200
        api.client.cookies.clear()
        for page in (f"/objectives/{objective.json()['id']}", "/week", "/cycles", "/organisation", "/admin/cycles"):
            api.client.cookies.clear()
            assert c.get(page, cookies=api.cookies("admin")).status_code == 200, page
    far = c.post(
        f"{V1}/cycles", json={"name": "Ver", "start_date": "2026-01-01", "end_date": "9999-12-31"}, headers=admin
    )
    _assert_refused(far)


def test_the_same_idempotency_key_with_another_body_is_refused(sqlite_api: Any) -> None:
    c, owner = sqlite_api.client, sqlite_api.headers("owner")
    url = f"{V1}/key-results/{sqlite_api.ids['key_result']}/check-ins"
    key = {"Idempotency-Key": "dinsdag-1"}
    first = c.post(url, json={"value": 8, "note": "eerste"}, headers=owner | key)
    assert first.status_code == 201
    other = c.post(url, json={"value": 9, "note": "eerste"}, headers=owner | key)
    _assert_refused(other)
    assert "different request body" in other.json()["detail"]
    assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    same = c.post(url, json={"note": "eerste", "value": 8.0}, headers=owner | key)  # the same values: a retry
    assert same.status_code == 201 and same.json() == first.json() and same.headers["idempotent-replayed"] == "true"
    history = c.get(url, params={"limit": 500}, headers=owner).json()["items"]
    assert [item["value"] for item in history].count(9) == 0
    measurement = f"{V1}/kpis/{sqlite_api.ids['kpi']}/measurements"
    key = {"Idempotency-Key": "dinsdag-2"}
    assert c.post(measurement, json={"value": 3}, headers=owner | key).status_code == 201
    _assert_refused(c.post(measurement, json={"value": 4}, headers=owner | key))


def test_true_is_no_number_at_the_api(sqlite_api: Any) -> None:
    c, admin = sqlite_api.client, sqlite_api.headers("admin")
    kr, kpi, objective = sqlite_api.ids["key_result"], sqlite_api.ids["kpi"], sqlite_api.ids["objective"]
    for flag in (True, False):
        _assert_refused(c.post(f"{V1}/key-results/{kr}/check-ins", json={"value": flag}, headers=admin))
        _assert_refused(c.post(f"{V1}/kpis/{kpi}/measurements", json={"value": flag}, headers=admin))
        _assert_refused(c.patch(f"{V1}/key-results/{kr}", json={"target": flag}, headers=admin))
        new_kr = {"title": "Vlag", "baseline": 0, "target": 10, "weight": flag}
        _assert_refused(c.post(f"{V1}/objectives/{objective}/key-results", json=new_kr, headers=admin))
        _assert_refused(c.patch(f"{V1}/objectives/{objective}", json={"parent_id": flag}, headers=admin))
    assert c.post(f"{V1}/key-results/{kr}/check-ins", json={"value": 1}, headers=admin).status_code == 201


def test_true_is_no_number_in_an_import(sqlite_api: Any) -> None:
    with sqlite_api.koers.uow(read_only=True) as uow:
        exported = export_document(uow, date.today())
    parse_document(copy.deepcopy(exported))  # as exported, it reads back
    objective = next(o for o in exported["objectives"] if o["key_results"] and o["key_results"][0]["check_ins"])
    places = [
        lambda d: d["objectives"][exported["objectives"].index(objective)]["key_results"][0]["check_ins"][0],
        lambda d: d["objectives"][exported["objectives"].index(objective)]["key_results"][0],
    ]
    for place, name in zip(places, ("value", "target"), strict=True):
        for flag in (True, False):
            document = copy.deepcopy(exported)
            place(document)[name] = flag
            with pytest.raises(ValidationError) as refused:
                parse_document(document)
            assert name in refused.value.message and "true or false" in refused.value.message
