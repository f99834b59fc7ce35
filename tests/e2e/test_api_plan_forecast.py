"""Issue 10 items 1 and 2 over HTTP: a key result's planned pace (`plan`, `expected_score`, the status against it)
and its Theil–Sen forecast, with the objective's `forecast_score`; export and import carry the plan."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from koers.domain import model
from koers.domain.errors import ValidationError
from koers.services.check_ins import record_check_in
from koers.services.transfer import export_document, import_document
from tests import builders as b

V1 = "/api/v1"


def _cycle(api: Any, name: str, days_before: int, days_after: int) -> model.Cycle:
    with api.koers.uow() as uow:
        return b.cycle(uow, name, days_before=days_before, days_after=days_after)


def _objective(api: Any, cycle_id: int, kind: str = "committed", visibility: str = "public") -> int:
    answer = api.client.post(
        f"{V1}/objectives",
        json={
            "title": f"Plan {kind}",
            "cycle_id": cycle_id,
            "team_id": api.ids["owner_team"],
            "type": kind,
            "visibility": visibility,
        },
        headers=api.headers("owner"),
    )
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def _key_result(api: Any, objective_id: int, **fields: Any) -> dict[str, Any]:
    body = {"title": "Omzet", "kind": "increase", "baseline": 0, "target": 100, **fields}
    answer = api.client.post(f"{V1}/objectives/{objective_id}/key-results", json=body, headers=api.headers("owner"))
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_expected_score_follows_the_plan_and_the_status_compares_against_it(api):
    # A cycle of 100 days and today is day 50: f = 50 / 100 = 0.5.
    cycle = _cycle(api, "Plan 100", days_before=50, days_after=50)
    committed = _objective(api, cycle.id or 0)
    back_loaded = _key_result(api, committed, plan={"shape": "back_loaded"})
    # back_loaded: planned = b + (t − b)·f² = 0 + 100 × 0.25 = 25 → progress 0.25 → expected 25.0
    assert (back_loaded["plan"], back_loaded["expected_score"]) == ({"shape": "back_loaded"}, 25.0)
    linear = _key_result(api, committed)  # no plan: linear, planned = 0 + 100 × 0.5 = 50
    assert (linear["plan"], linear["expected_score"], linear["cadence_days"]) == ({"shape": "linear"}, 50.0, 7)
    s_curve = _key_result(api, committed, plan={"shape": "s_curve"})  # 3f² − 2f³ = 0.75 − 0.25 = 0.5 → 50.0
    assert s_curve["expected_score"] == 50.0
    aspirational = _key_result(api, _objective(api, cycle.id or 0, "aspirational"), plan={"shape": "back_loaded"})
    assert aspirational["expected_score"] == 17.5  # 25 × 0.7
    # Points: piecewise linear through (day 0, 0), (day 40, 80), (day 100, 100): at day 50, 80 + 20 × 10/60 = 83.33…
    start = cycle.start_date
    points = {"shape": "points", "points": [{"date": (start + timedelta(days=40)).isoformat(), "value": 80}]}
    assert _key_result(api, committed, plan=points)["expected_score"] == 83.3

    # A value of 23 scores 23: ≥ 0.9 × 25 = 22.5 on the back-loaded plan (on track), but < 0.6 × 50 = 30 on the
    # linear one (off track).
    for kr in (back_loaded, linear):
        answer = api.client.post(
            f"{V1}/key-results/{kr['id']}/check-ins", json={"value": 23}, headers=api.headers("owner")
        )
        assert answer.status_code == 201, answer.text
    statuses = {kr["id"]: kr["status"] for kr in api.client.get(f"{V1}/key-results?objective_id={committed}", headers=api.headers("owner")).json()["items"]}  # fmt: skip
    assert (statuses[back_loaded["id"]], statuses[linear["id"]]) == ("on_track", "off_track")
    single = api.client.get(f"{V1}/key-results/{back_loaded['id']}", headers=api.headers("owner")).json()
    assert (single["expected_score"], single["status"], single["plan"]) == (25.0, "on_track", {"shape": "back_loaded"})


def test_patch_takes_a_plan_and_a_cadence_and_refuses_what_does_not_fit_the_cycle(api):
    cycle = _cycle(api, "Plan patch", days_before=10, days_after=80)
    kr = _key_result(api, _objective(api, cycle.id or 0))
    url, owner = f"{V1}/key-results/{kr['id']}", api.headers("owner")
    inside = (cycle.start_date + timedelta(days=45)).isoformat()
    changed = api.client.patch(
        url,
        json={"plan": {"shape": "points", "points": [{"date": inside, "value": 60}]}, "cadence_days": 14},
        headers=owner,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["plan"] == {"shape": "points", "points": [{"date": inside, "value": 60.0}]}
    assert changed.json()["cadence_days"] == 14
    assert api.client.get(url, headers=owner).json()["cadence_days"] == 14
    after_end = (cycle.end_date + timedelta(days=1)).isoformat()
    for body in (
        {"plan": {"shape": "zigzag"}},
        {"plan": {"shape": "points", "points": [{"date": after_end, "value": 60}]}},  # outside the cycle
        {"plan": {"shape": "points", "points": []}},
        {"plan": {"shape": "linear", "colour": "red"}},
        {"plan": "back_loaded"},
        {"cadence_days": 0},
        {"cadence_days": 367},
    ):
        refused = api.client.patch(url, json=body, headers=owner)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        name = next(iter(body))
        assert (
            any(name in error["loc"] for error in refused.json().get("errors", []))
            or refused.json().get("field") == name
        ), refused.text
    back_to_linear = api.client.patch(url, json={"plan": None}, headers=owner)
    assert back_to_linear.status_code == 200 and back_to_linear.json()["plan"] == {"shape": "linear"}


def _check_in_on(api: Any, kr_id: int, cycle: model.Cycle, day: int, value: float) -> None:
    at = datetime.combine(cycle.start_date, time(), tzinfo=UTC) + timedelta(days=day)
    with api.koers.uow() as uow:
        record_check_in(uow, kr_id, value, created_at=at)


def test_forecast_is_a_theil_sen_line_projected_to_the_cycles_end(api):
    # A 90-day cycle that started 40 days ago (its end is day 90).
    cycle = _cycle(api, "Plan forecast", days_before=40, days_after=50)
    objective_id = _objective(api, cycle.id or 0)
    kr = _key_result(api, objective_id, baseline=0, target=200)
    url, owner = f"{V1}/key-results/{kr['id']}/forecast", api.headers("owner")
    assert api.client.get(url, headers=owner).json() == {
        "value": None, "score": None, "low": None, "high": None, "points": 0, "method": "theil_sen"
    }  # fmt: skip
    _check_in_on(api, kr["id"], cycle, 0, 10)
    one = api.client.get(url, headers=owner).json()
    assert (one["value"], one["points"]) == (None, 1)  # fewer than two values: no line
    for day, value in ((10, 20), (20, 35), (29, 39)):
        _check_in_on(api, kr["id"], cycle, day, value)
    # Pairwise slopes: (20−10)/10 = 1, (35−10)/20 = 1.25, (39−10)/29 = 1, (35−20)/10 = 1.5, (39−20)/19 = 1,
    # (39−35)/9 = 0.444…; sorted 0.444, 1, 1, 1, 1.25, 1.5 → median 1 per day.
    # Intercept: median of 10 − 0, 20 − 10, 35 − 20, 39 − 29 = 10, 10, 15, 10 → 10. At day 90: 10 + 1 × 90 = 100.
    # Score: (100 − 0) / (200 − 0) = 0.5 → 50.0.
    # Low: the 10th percentile of the 6 slopes lies at (6 − 1) × 0.1 = 0.5: 0.444 + (1 − 0.444) × 0.5 = 0.7222;
    #   intercept median(10, 20 − 7.222, 35 − 14.444, 39 − 20.944) = median(10, 12.78, 20.56, 18.06) = 15.417;
    #   15.417 + 0.7222 × 90 = 80.417.
    # High: at 5 × 0.9 = 4.5: 1.25 + (1.5 − 1.25) × 0.5 = 1.375; intercept median(10, 6.25, 7.5, −0.875) = 6.875;
    #   6.875 + 1.375 × 90 = 130.625.
    answer = api.client.get(url, headers=owner)
    assert answer.status_code == 200
    forecast = answer.json()
    assert set(forecast) == {"value", "score", "low", "high", "points", "method"}
    assert (forecast["value"], forecast["score"], forecast["points"], forecast["method"]) == (
        100.0,
        50.0,
        4,
        "theil_sen",
    )
    assert round(forecast["low"], 3) == 80.417 and round(forecast["high"], 3) == 130.625

    # The objective's forecast_score: the weighted mean of its key results' forecast scores, the current score
    # where there is none. A second key result (weight 3) with one check-in of 30 (score 30, no forecast):
    # (50 × 1 + 30 × 3) / 4 = 35.0. Today's score / elapsed would say (… / (40/90)) instead.
    second = _key_result(api, objective_id, weight=3)
    _check_in_on(api, second["id"], cycle, 5, 30)
    objective = api.client.get(f"{V1}/objectives/{objective_id}", headers=owner).json()
    assert objective["forecast_score"] == 35.0
    listed = api.client.get(f"{V1}/objectives?cycle_id={cycle.id}", headers=owner).json()["items"]
    assert [o["forecast_score"] for o in listed if o["id"] == objective_id] == [35.0]


def test_forecast_uses_the_linked_kpis_measurements_in_the_cycle(api):
    cycle = _cycle(api, "Plan KPI", days_before=40, days_after=50)
    start = datetime.combine(cycle.start_date, time(), tzinfo=UTC)
    with api.koers.uow() as uow:
        kpi = b.kpi(uow, "Klanten", direction="higher_is_better", green_at=100, red_at=10)
        b.measurement(uow, kpi.id, 999, at=start - timedelta(days=3))  # before the cycle: left out
        for day, value in ((0, 10), (10, 20), (20, 35)):
            b.measurement(uow, kpi.id, value, at=start + timedelta(days=day))
    kr = _key_result(api, _objective(api, cycle.id or 0), baseline=0, target=200, kpi_id=kpi.id)
    _check_in_on(api, kr["id"], cycle, 29, 39)  # with the three measurements: the example above
    forecast = api.client.get(f"{V1}/key-results/{kr['id']}/forecast", headers=api.headers("owner")).json()
    assert (forecast["value"], forecast["points"]) == (100.0, 4)


def test_outsiders_get_404_for_the_forecast_of_a_team_key_result(api):
    cycle = _cycle(api, "Plan private", days_before=10, days_after=80)
    kr = _key_result(api, _objective(api, cycle.id or 0, visibility="team"))
    url = f"{V1}/key-results/{kr['id']}/forecast"
    assert api.client.get(url, headers=api.headers("other")).status_code == 404
    assert api.client.get(url, headers=api.headers("owner")).status_code == 200
    assert api.client.get(f"{V1}/key-results/999999/forecast", headers=api.headers("owner")).status_code == 404


def _admin(api: Any) -> model.User:
    with api.koers.uow() as uow:
        return uow.users.by_email("admin@example.org")


def _plans(document: dict[str, Any]) -> list[tuple[str, str, int]]:
    return sorted(
        (r["title"], str(r["plan"]), r["cadence_days"]) for o in document["objectives"] for r in o["key_results"]
    )


def test_export_and_import_carry_the_plan_and_the_cadence(api):
    cycle = _cycle(api, "Plan export", days_before=10, days_after=80)
    inside = (cycle.start_date + timedelta(days=30)).isoformat()
    plan = {"shape": "points", "points": [{"date": inside, "value": 40.5}]}
    kr = _key_result(api, _objective(api, cycle.id or 0), title="Gepland", plan=plan, cadence_days=3)
    _key_result(api, _objective(api, cycle.id or 0), title="Achteraan", plan={"shape": "back_loaded"})
    admin = _admin(api)
    with api.koers.uow(actor=admin) as uow:
        document = export_document(uow, b.TODAY)
    exported = [r for o in document["objectives"] for r in o["key_results"] if r["id"] == kr["id"]]
    assert [(r["plan"], r["cadence_days"]) for r in exported] == [(plan, 3)]
    # Read back into the same database (append: every objective again), then exported once more: each key result
    # is there twice, with the same plan and cadence.
    with api.koers.uow(actor=admin) as uow:
        import_document(uow, document, append=True)
    with api.koers.uow(actor=admin) as uow:
        again = export_document(uow, b.TODAY)
    assert _plans(again) == sorted(_plans(document) * 2)
    assert ("Gepland", str(plan), 3) in _plans(again) and ("Achteraan", str({"shape": "back_loaded"}), 7) in _plans(
        again
    )


def test_import_refuses_a_plan_outside_its_cycle(api):
    cycle = _cycle(api, "Plan refuse", days_before=10, days_after=80)
    kr = _key_result(api, _objective(api, cycle.id or 0))
    admin = _admin(api)
    with api.koers.uow(actor=admin) as uow:
        document = export_document(uow, b.TODAY)
    late = (cycle.end_date + timedelta(days=5)).isoformat()
    for o in document["objectives"]:
        for r in o["key_results"]:
            if r["id"] == kr["id"]:
                r["plan"] = {"shape": "points", "points": [{"date": late, "value": 1}]}
    with pytest.raises(ValidationError) as refused, api.koers.uow(actor=admin) as uow:
        import_document(uow, document, append=True)
    assert refused.value.code == "document.at" and refused.value.field == "plan"


def test_a_closed_cycles_forecast_ignores_measurements_recorded_after_it_closed(koers_app):
    from koers.services.forecasts import key_result_forecast
    from koers.services.organisation import close_cycle

    with koers_app.uow() as uow:
        cycle = b.cycle(uow, "Plan closed", days_before=40, days_after=50)
        start = datetime.combine(cycle.start_date, time(), tzinfo=UTC)
        kpi = b.kpi(uow, "Leads", direction="higher_is_better", green_at=100, red_at=10)
        kr = b.key_result(uow, b.objective(uow, cycle.id).id, baseline=0, target=200, kpi_id=kpi.id)
        for day, value in ((0, 10), (10, 20)):
            b.measurement(uow, kpi.id, value, at=start + timedelta(days=day))
        close_cycle(uow, cycle.id or 0)
        # Measured on day 20 but recorded after the close: the closed cycle does not count it.
        b.measurement(uow, kpi.id, 35, at=start + timedelta(days=20))
    with koers_app.uow(read_only=True) as uow:
        forecast = key_result_forecast(uow, kr.id or 0)
    # Two values: slope (20 − 10) / 10 = 1, intercept median(10, 10) = 10 → 10 + 90 = 100 at day 90.
    assert (forecast["points"], forecast["value"]) == (2, 100.0)
