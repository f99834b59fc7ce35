"""A team lead's loop on the web: the login language, "save and add another", a KPI made from the key-result form,
and the coach's flags kept on goals (on the goal, on /findings, in the API and in the cycle report)."""

from __future__ import annotations

import re

from koers.web.session import LANGUAGE_COOKIE, LOGIN_CSRF_COOKIE
from tests.e2e.api_support import OWNING_TEAM_MEMBER, PASSWORD, Api
from tests.e2e.test_web_pages import get, post, text_of

HTMX = {"hx-request": "true"}


def _log_in(api: Api, language: str | None) -> str:
    """Log in as the owner on a fresh browser that picked `language` on the login page; the next page's text."""
    api.client.cookies.clear()
    if language:
        chosen = api.client.get(f"/language/{language}?next=/login")
        assert chosen.status_code == 303 and chosen.cookies.get(LANGUAGE_COOKIE) == language
    page = api.client.get("/login")
    token = page.cookies.get(LOGIN_CSRF_COOKIE) or api.client.cookies.get(LOGIN_CSRF_COOKIE)
    form = {"email": OWNING_TEAM_MEMBER, "password": PASSWORD, "csrf_token": token, "next": "/organisation"}
    answer = api.client.post("/login", data=form)
    assert answer.status_code == 303, answer.text
    return text_of(api.client.get("/organisation").text)


def test_the_language_chosen_on_the_login_page_survives_the_login(sqlite_api):
    api = sqlite_api
    assert "Log in to Koers" in text_of(api.client.get("/language/en?next=/login", follow_redirects=True).text)
    page = _log_in(api, "en")
    assert "All open cycles" in page and "Alle open cycli" not in page
    with api.koers.uow(read_only=True) as uow:
        assert uow.users.get(api.ids["owner_user"]).locale == "en"  # kept: the next login, anywhere, too
    assert "All open cycles" in _log_in(api, None)


def test_switching_language_when_logged_in_is_remembered_for_the_login_page(sqlite_api):
    api = sqlite_api
    answer = post(api, "owner", "/language", {"lang": "en", "next": "/week", "csrf_token": api.csrf("owner")})
    assert answer.status_code == 303 and answer.cookies.get(LANGUAGE_COOKIE) == "en"
    page = _log_in(api, "nl")  # then someone picks Dutch on the login page: that wins
    assert "Alle open cycli" in page


def test_save_and_add_another_says_what_was_saved_in_english(sqlite_api):
    api = sqlite_api
    with api.koers.uow() as uow:
        uow.users.set_fields(api.ids["owner_user"], locale="en")
    new = f"/objectives/{api.ids['objective']}/key-results/new"
    form = {"title": "Repeat orders from 20% to 30%", "kind": "increase", "unit": "%", "baseline": "20"}
    form |= {"target": "30", "weight": "1", "owner_id": "", "kpi_id": "", "then": "another"}
    answer = post(api, "owner", new, form | {"csrf_token": api.csrf("owner")})
    assert answer.status_code == 303 and re.fullmatch(rf"{new}\?saved=\d+", answer.headers["location"])
    page = get(api, "owner", answer.headers["location"])
    assert "Saved: ‘Repeat orders from 20% to 30%’. Add the next one." in text_of(page.text)
    assert 'role="status"' in page.text
    # Another objective's key result, an unknown id, or a number past any id: nothing is claimed, nothing fails.
    for saved in (str(api.ids["other_objective"] + 1000), "x", "99999999999999999999"):
        assert "Saved:" not in get(api, "owner", f"{new}?saved={saved}").text


def _kpi_form(api: Api, **fields: str) -> dict[str, str]:
    form = {"kpi_objective_id": str(api.ids["objective"]), "kpi_name": "Repeat orders", "kpi_unit": "%"}
    form |= {"kpi_direction": "higher_is_better", "kpi_target": "30", "kpi_green_at": "30", "kpi_red_at": "20"}
    form |= {"kpi_target_low": "", "kpi_target_high": "", "kpi_id": "", "csrf_token": api.csrf("owner")}
    return form | fields


def test_a_kpi_made_from_the_key_result_form_is_created_by_the_kpi_service_and_chosen(sqlite_api):
    api = sqlite_api
    form_page = get(api, "owner", f"/objectives/{api.ids['objective']}/key-results/new")
    assert 'hx-post="/key-results/kpi"' in form_page.text and 'name="kpi_name"' in form_page.text
    api.client.cookies.clear()
    answer = post(api, "owner", "/key-results/kpi", _kpi_form(api))
    assert answer.status_code == 200, answer.text
    with api.koers.uow(read_only=True) as uow:
        made = next(k for k in uow.kpis.list() if k.name == "Repeat orders")
    assert (made.team_id, made.owner_id, made.green_at, made.red_at) == (
        api.ids["owner_team"],
        api.ids["owner"],
        30,
        20,
    )
    assert f'<option value="{made.id}" selected>Repeat orders</option>' in answer.text
    assert "KPI ‘Repeat orders’ aangemaakt en gekoppeld." in text_of(answer.text)
    # The key result saved with it follows the new KPI.
    new = f"/objectives/{api.ids['objective']}/key-results/new"
    kr = {"title": "Herhaalaankopen van 20% naar 30%", "kind": "increase", "unit": "%", "baseline": "20"}
    kr |= {"target": "30", "weight": "1", "owner_id": "", "kpi_id": str(made.id), "csrf_token": api.csrf("owner")}
    assert post(api, "owner", new, kr).status_code == 303
    with api.koers.uow(read_only=True) as uow:
        assert [
            k.kpi_id for k in uow.key_results.list(objective_id=api.ids["objective"]) if k.title == kr["title"]
        ] == [made.id]


def test_an_inline_kpi_is_refused_as_the_kpi_editor_refuses_it_and_keeps_what_was_typed(sqlite_api):
    api = sqlite_api
    wrong = _kpi_form(api, kpi_green_at="10", kpi_red_at="20", kpi_target="7,5")  # red above green, higher better
    answer = post(api, "owner", "/key-results/kpi", wrong)
    assert answer.status_code == 422
    api.client.cookies.clear()
    for name, value in api.cookies("owner").items():
        api.client.cookies.set(name, value)
    swapped = api.client.post("/key-results/kpi", data=wrong, headers=HTMX)
    assert (
        swapped.status_code == 200
        and 'aria-invalid="true"' in swapped.text
        and '<details class="kpi-inline" open' in swapped.text
    )
    assert 'value="7,5"' in swapped.text and 'value="Repeat orders"' in swapped.text
    assert "Repeat orders" not in {k.name for k in _kpis(api)}
    nameless = post(api, "owner", "/key-results/kpi", _kpi_form(api, kpi_name=""))
    assert nameless.status_code == 422 and 'id="err-kpi_name"' in nameless.text
    # Someone who may not change the objective cannot make a KPI through it.
    other = post(api, "other", "/key-results/kpi", _kpi_form(api) | {"csrf_token": api.csrf("other")})
    assert other.status_code in (403, 404) and "Repeat orders" not in {k.name for k in _kpis(api)}


def _kpis(api: Api) -> list:
    with api.koers.uow(read_only=True) as uow:
        return uow.kpis.list()


def test_the_coach_flag_stays_on_the_goal_and_goes_when_the_text_changes(sqlite_api):
    api = sqlite_api
    form = {"title": "Workshops organiseren voor klanten", "description": "", "level": "tactical"}
    form |= {"type": "committed", "cycle_id": str(api.ids["cycle"]), "team_id": str(api.ids["owner_team"])}
    form |= {"owner_id": "", "parent_id": "", "visibility": "public", "csrf_token": api.csrf("owner")}
    created = post(api, "owner", "/objectives/new", form)
    objective_id = int(created.headers["location"].rsplit("/", 1)[1])
    page = get(api, "owner", f"/objectives/{objective_id}")
    assert 'class="coach-flag has-problem"' in page.text and "Coach: 1 probleem" in text_of(page.text)

    listed = text_of(get(api, "other", "/findings").text)  # everyone may look
    assert "Support" in listed and "Workshops organiseren voor klanten" in listed
    assert "Reorganise the support desk" not in listed  # team A's private objective: hidden from team B
    assert "Reorganise the support desk" in text_of(get(api, "owner", "/findings").text)

    found = api.client.get("/api/v1/coach/findings", headers=api.headers("other")).json()["items"]
    assert {(i["kind"], i["id"]) for i in found} >= {("objective", objective_id)}
    assert api.ids["team_only_objective"] not in {i["objective_id"] for i in found}
    mine = next(i for i in found if i["id"] == objective_id)
    assert (mine["team_id"], mine["lang"], [f["code"] for f in mine["findings"]]) == (
        api.ids["owner_team"], "nl", ["activity"]
    )  # fmt: skip
    report = get(api, "owner", f"/cycles/{api.ids['cycle']}/report?format=html")
    assert report.status_code == 200 and "Doelen met een vlag" in report.text

    edit = get(api, "owner", f"/objectives/{objective_id}/edit").text
    version = re.search(r'name="version" value="(\d+)"', edit).group(1)
    changed = form | {"title": "Klanten komen terug", "version": version}
    assert post(api, "owner", f"/objectives/{objective_id}/edit", changed).status_code == 303
    assert "coach-flag" not in get(api, "owner", f"/objectives/{objective_id}").text
    assert "Klanten komen terug" not in text_of(get(api, "owner", "/findings").text)


def test_the_coach_findings_resource_on_each_database(api):
    """Team A's private objective is flagged ("Reorganise" is work); team B's member does not learn of it."""
    own = api.client.get("/api/v1/coach/findings", headers=api.headers("owner")).json()["items"]
    other = api.client.get("/api/v1/coach/findings", headers=api.headers("other")).json()["items"]
    assert ("objective", api.ids["team_only_objective"]) in {(i["kind"], i["id"]) for i in own}
    assert api.ids["team_only_objective"] not in {i["objective_id"] for i in other}
    one_team = api.client.get(
        f"/api/v1/coach/findings?team_id={api.ids['other_team']}", headers=api.headers("admin")
    ).json()["items"]
    assert {i["team_id"] for i in one_team} <= {api.ids["other_team"]}
    closed = api.client.get(
        f"/api/v1/coach/findings?cycle_id={api.ids['closed_cycle']}", headers=api.headers("admin")
    ).json()["items"]
    assert {i["cycle_id"] for i in closed} <= {api.ids["closed_cycle"]}
    assert api.client.get("/api/v1/coach/findings?cycle_id=999999", headers=api.headers("admin")).status_code == 404
