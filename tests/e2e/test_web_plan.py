"""The key result editor's planned pace and cadence (issue 10 item 1), in Dutch and in English: the shape, points
as lines `date value` (YYYY-MM-DD or dd-mm-jjjj, numbers in the reader's notation), errors next to their field."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from tests.e2e.test_web_editors import first_of, get, post, set_locale

FORM = {"title": "Orders per week omhoog", "kind": "increase", "unit": "", "weight": "1", "owner_id": "", "kpi_id": ""}


def _cycle(api: Any) -> Any:
    with api.koers.uow(read_only=True) as uow:
        return uow.cycles.get(uow.objectives.get(api.ids["objective"]).cycle_id)


def _made(api: Any, title: str) -> Any:
    return next(k for k in first_of(api, "key_results", objective_id=api.ids["objective"]) if k.title == title)


@pytest.mark.parametrize(
    ("locale", "first", "value", "stored", "bad_line"),
    [
        ("nl", "{d:%d-%m-%Y} 1.234,5", "40,5", 1234.5, "Regel 2: schrijf een datum en een waarde"),
        ("en", "{d:%Y-%m-%d} 1,234.5", "40.5", 1234.5, "Line 2: write a date and a value"),
    ],
)
def test_a_plan_through_points_is_typed_the_readers_way(sqlite_api, locale, first, value, stored, bad_line):
    api = sqlite_api
    set_locale(api, "owner", locale)
    cycle = _cycle(api)
    one, two = cycle.start_date + timedelta(days=10), cycle.start_date + timedelta(days=20)
    path = f"/objectives/{api.ids['objective']}/key-results/new"
    form = FORM | {"baseline": "0", "target": "5000", "plan_shape": "points", "cadence_days": "14"}
    lines = f"{first.format(d=one)}\n{two.isoformat()} {value}\n"
    made = post(api, "owner", path, form | {"plan_points": lines})
    assert made.status_code == 303, made.text
    kr = _made(api, FORM["title"])
    assert kr.plan == {
        "shape": "points",
        "points": [{"date": one.isoformat(), "value": stored}, {"date": two.isoformat(), "value": 40.5}],
    }
    assert kr.cadence_days == 14
    page = get(api, "owner", f"/key-results/{kr.id}/edit")
    assert page.status_code == 200
    assert f"{two.isoformat()} {value}</textarea>" in page.text  # shown back in the reader's notation
    assert '<option value="points" selected>' in page.text

    wrong = post(api, "owner", path, form | {"plan_points": f"{one.isoformat()} 1\nmorgen 40"})
    assert wrong.status_code == 422 and bad_line in wrong.text and 'id="err-plan_points"' in wrong.text


@pytest.mark.parametrize(
    ("locale", "message"),
    [("nl", "moet binnen de cyclus liggen"), ("en", "must lie inside the cycle")],
)
def test_a_plan_point_outside_the_cycle_is_refused_next_to_the_points(sqlite_api, locale, message):
    api = sqlite_api
    set_locale(api, "owner", locale)
    cycle = _cycle(api)
    late = cycle.end_date + timedelta(days=3)
    path = f"/objectives/{api.ids['objective']}/key-results/new"
    form = FORM | {"baseline": "0", "target": "10", "plan_shape": "points", "plan_points": f"{late.isoformat()} 4"}
    refused = post(api, "owner", path, form)
    assert refused.status_code == 422
    assert 'id="err-plan_points"' in refused.text and message in refused.text


def test_the_shape_and_cadence_change_on_edit_and_linear_is_no_plan(sqlite_api):
    api = sqlite_api
    set_locale(api, "owner", "en")
    kr_id = api.ids["key_result"]
    page = get(api, "owner", f"/key-results/{kr_id}/edit")
    assert 'name="plan_shape"' in page.text and "Planned pace" in page.text and "Back-loaded" in page.text
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    form = {"plan_shape": "back_loaded", "plan_points": "", "cadence_days": "3", "version": version.group(1)}
    assert post(api, "owner", f"/key-results/{kr_id}/edit", form).status_code == 303
    with api.koers.uow(read_only=True) as uow:
        kr = uow.key_results.get(kr_id)
    assert (kr.plan, kr.cadence_days) == ({"shape": "back_loaded"}, 3)
    set_locale(api, "owner", "nl")
    page = get(api, "owner", f"/key-results/{kr_id}/edit")
    assert "Gepland tempo" in page.text and "Vooral aan het eind" in page.text
    form = {"plan_shape": "linear", "cadence_days": "0", "version": str(kr.version)}
    refused = post(api, "owner", f"/key-results/{kr_id}/edit", form)
    assert refused.status_code == 422 and 'id="err-cadence_days"' in refused.text
    form["cadence_days"] = "7"
    assert post(api, "owner", f"/key-results/{kr_id}/edit", form).status_code == 303
    with api.koers.uow(read_only=True) as uow:
        kr = uow.key_results.get(kr_id)
    assert (kr.plan, kr.cadence_days) == (None, 7)
