"""No web answer names a record its viewer may not see (issue 9, item 1 and its class).

Every web route that takes an id, in its path or in its query or form, GET and POST, plain and as an htmx request,
is asked for generated ids: team A's private objective, its key results and initiatives, the ids around them, and
ids that do not exist. A member of another team never finds a private title in any answer, error pages and
fragments included; team A's member and an admin find them where the page shows them. The route list comes from
the app itself, so a new route is covered the day it is added.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest

from tests import builders
from tests.builders import MARKER
from tests.e2e.api_support import Api
from tests.e2e.web_pages import web_routes

# The organisation's own team-only records count as private too.
PRIVATE_TITLES = (MARKER, "Reorganise the support desk", "First-contact resolution", "Response time from 20")
ID_FIELDS = ("objective_id", "key_result_id", "parent_id", "team_id", "owner_id", "kpi_id", "lead_id", "cycle_id")
NOT_ROUTES = {"/login", "/logout", "/language", "/language/{lang}", "/"}


def _private(api: Api) -> dict[str, int]:
    built = builders.Organisation(**{f.name: api.ids[f.name] for f in fields(builders.Organisation)})
    with api.koers.uow() as uow:
        return builders.private_records(uow, built)


def _generated_ids(private: dict[str, int], api: Api) -> list[int]:
    ids = set(private.values()) | {api.ids["team_only_objective"]}
    ids |= {i + step for i in ids for step in (-1, 1)}
    return [*sorted(ids - {0}), max(ids) + 10_000]


def _requests(api: Api, ids: list[int]) -> list[tuple[str, str, dict[str, Any], dict[str, str]]]:
    """(method, url, form, headers) for every web route that takes an id, for each generated id."""
    app = api.client.app
    asked = []
    for method in ("GET", "POST"):
        for path in web_routes(app, method):
            if path in NOT_ROUTES:
                continue
            for record in ids:
                url = "/".join(str(record) if part.startswith("{") else part for part in path.split("/"))
                query = "&".join(f"{name}={record}" for name in ID_FIELDS)
                form = {name: str(record) for name in ID_FIELDS} | {"title": "Meeliften", "name": "Meeliften"}
                form |= {"status": "planned", "kind": "increase", "value": "1", "version": "1"}
                for htmx in ({}, {"HX-Request": "true"}):
                    if method == "GET":
                        asked.append((method, f"{url}?{query}", {}, htmx))
                        continue
                    for kind in ("o", "k"):  # an initiative moves an objective or a key result
                        asked.append((method, url, form | {"belongs_to": f"{kind}:{record}"}, htmx))
    return asked


def _ask(api: Api, caller: str, method: str, url: str, form: dict[str, Any], headers: dict[str, str]) -> Any:
    api.client.cookies.clear()
    if method == "GET":
        return api.client.get(url, headers=headers, cookies=api.cookies(caller))
    data = form | {"csrf_token": api.csrf(caller)}
    return api.client.post(url, data=data, headers=headers, cookies=api.cookies(caller))


def test_a_member_of_another_team_finds_no_private_title_in_any_answer(sqlite_api):
    api = sqlite_api
    private = _private(api)
    requests = _requests(api, _generated_ids(private, api))
    assert any("/initiatives/new" in url for _m, url, _f, _h in requests)
    assert len({url.split("?")[0] for _m, url, _f, _h in requests}) >= 40
    leaks = []
    for method, url, form, headers in requests:
        answer = _ask(api, "other", method, url, form, headers)
        assert answer.status_code < 500, f"{method} {url}: {answer.status_code}"
        said = answer.text + " ".join(answer.headers.values())  # bodies, redirects and htmx headers
        named = [title for title in PRIVATE_TITLES if title in said]
        if named:
            leaks.append(f"{method} {url} {form.get('belongs_to', '')} {headers}: {answer.status_code} names {named}")
    assert not leaks, "\n".join(leaks[:20])


@pytest.mark.parametrize("caller", ["owner", "admin"])
def test_team_members_and_admins_see_the_private_records_where_pages_show_them(sqlite_api, caller):
    api = sqlite_api
    private = _private(api)
    shown = {
        f"/objectives/{private['objective']}": f"Geheim doel {MARKER}",
        f"/objectives/{private['objective']}/edit": f"Geheim doel {MARKER}",
        f"/objectives/{private['public_child']}": f"Geheim doel {MARKER}",  # its parent, named
        f"/key-results/{private['key_result']}/edit": f"Geheim resultaat {MARKER} een",
        f"/initiatives/{private['initiative']}/edit": f"Geheim initiatief {MARKER} doel",
        f"/initiatives/{private['key_result_initiative']}/edit": f"Geheim initiatief {MARKER} resultaat",
        f"/initiatives/new?key_result_id={private['key_result']}": f"Geheim resultaat {MARKER} een",
        f"/objectives/{api.ids['strategic']}": f"Geheim doel {MARKER}",  # an aligned child
    }
    for url, title in shown.items():
        answer = _ask(api, caller, "GET", url, {}, {})
        assert answer.status_code == 200 and title in answer.text, f"{caller} {url}: {answer.status_code}"
    form = {"title": "", "status": "planned", "owner_id": "", "due_date": ""}
    again = _ask(api, caller, "POST", "/initiatives/new", form | {"belongs_to": f"k:{private['key_result']}"}, {})
    assert again.status_code == 422 and f"Geheim resultaat {MARKER} een" in again.text  # the form comes back whole


@pytest.mark.parametrize("caller", ["owner", "admin"])
def test_no_route_with_an_id_fails_for_team_members_and_admins(sqlite_api, caller):
    api = sqlite_api
    requests = _requests(api, _generated_ids(_private(api), api))
    for method, url, form, headers in requests:
        answer = _ask(api, caller, method, url, form, headers)
        assert answer.status_code < 500, f"{caller} {method} {url}: {answer.status_code}"


def test_a_parents_formula_counts_the_aligned_objectives_a_viewer_may_not_see_without_showing_them(sqlite_api):
    api = sqlite_api
    private = _private(api)
    with api.koers.uow() as uow:
        builders.check_in(uow, private["key_result"], 7, author_id=api.ids["owner_user"])
        strategic = uow.objectives.get(api.ids["strategic"])
        hidden = [uow.objectives.get(i) for i in (private["objective"], api.ids["team_only_objective"])]
    assert all(o.score is not None for o in hidden) and strategic.score is not None
    url = f"/objectives/{api.ids['strategic']}"
    outsider = _ask(api, "other", "GET", url, {}, {}).text
    formula = outsider[outsider.index('id="explanation"') :].split("</section>")[0]
    assert "+ 2 doelstellingen die je niet kunt zien) / 4 = " in formula, formula
    assert not any(title in outsider for title in PRIVATE_TITLES)
    for o in hidden:  # neither their scores nor their titles
        assert f"{o.score:.1f}".replace(".", ",") not in formula and f"{o.score:g}".replace(".", ",") not in formula
    shown_score = f"{strategic.score:.1f}".replace(".", ",")
    assert f"= {shown_score}" in formula  # the stored score, the same as everyone sees
    member = _ask(api, "owner", "GET", url, {}, {}).text
    member_formula = member[member.index('id="explanation"') :].split("</section>")[0]
    assert "niet kunt zien" not in member_formula and f"= {shown_score}" in member_formula
    for o in hidden:
        assert f"{o.score:g}".replace(".", ",") in member_formula
