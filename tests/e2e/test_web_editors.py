"""The editing and admin pages as people use them: forms that keep what was typed, errors next to their field in
the reader's language, the quality coach as you type, admins managing people, and everyone's own API tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts

from koers.web.routes import admin, editors
from tests.e2e.api_support import PASSWORD, Api


def _as(api: Api, caller: str) -> None:
    api.client.cookies.clear()
    for name, value in api.cookies(caller).items():
        api.client.cookies.set(name, value)


def get(api: Api, caller: str, path: str) -> Any:
    _as(api, caller)
    return api.client.get(path)


def post(api: Api, caller: str, path: str, data: dict[str, Any], csrf: bool = True, **kwargs: Any) -> Any:
    _as(api, caller)
    form = {**data, "csrf_token": api.csrf(caller)} if csrf else data
    return api.client.post(path, data=form, **kwargs)


def field_value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', html
    )
    assert found, f"no field {name}"
    return found.group(1)


def first_of(api: Api, what: str, **filters: Any) -> Any:
    with api.koers.uow(read_only=True) as uow:
        return getattr(uow, what).list(**filters)


def set_locale(api: Api, email_caller: str, locale: str) -> None:
    ids = {"owner": api.ids["owner_user"], "other": api.ids["other_user"]}
    with api.koers.uow() as uow:
        uow.users.set_fields(ids[email_caller], locale=locale)


def test_creating_an_objective_with_two_key_results_through_the_forms(sqlite_api):
    api = sqlite_api
    page = get(api, "owner", "/objectives/new")
    assert page.status_code == 200
    assert 'name="csrf_token"' in page.text and '<label for="f-title">' in page.text
    with api.koers.uow(read_only=True) as uow:
        cycle = uow.cycles.get(api.ids["cycle"])  # the active quarter
    form = {
        "title": "Klanten vinden sneller wat ze zoeken",
        "description": "Zoeken in de webshop",
        "level": "tactical",
        "type": "aspirational",
        "cycle_id": str(cycle.id),
        "team_id": str(api.ids["owner_team"]),
        "owner_id": str(api.ids["owner_user"]),
        "parent_id": "",
        "visibility": "public",
        "then": "key_result",
    }
    assert f'<option value="{cycle.id}" selected>' in page.text  # the current quarter, chosen for you
    created = post(api, "owner", "/objectives/new", form)
    assert created.status_code == 303
    new_kr_page = created.headers["location"]
    objective_id = int(re.fullmatch(r"/objectives/(\d+)/key-results/new\?saved=0", new_kr_page).group(1))
    shown = get(api, "owner", new_kr_page)
    assert shown.status_code == 200 and "Opgeslagen: ‘Klanten vinden sneller wat ze zoeken’" in shown.text

    first = {"title": "Zoektijd van 90 naar 30 seconden", "kind": "decrease", "unit": "s", "baseline": "90"}
    first |= {"target": "30", "target_low": "", "target_high": "", "weight": "1", "owner_id": "", "kpi_id": ""}
    answer = post(api, "owner", new_kr_page, first | {"then": "another"})
    assert answer.status_code == 303
    assert re.fullmatch(r"/objectives/\d+/key-results/new\?saved=\d+", answer.headers["location"])
    again = get(api, "owner", answer.headers["location"])
    assert "Opgeslagen: ‘Zoektijd van 90 naar 30 seconden’. Voeg de volgende toe." in again.text
    second = first | {"title": "Conversie na zoeken van 2,5% naar 7,5%", "kind": "increase", "unit": "%"}
    second |= {"baseline": "2,5", "target": "7.5", "weight": "1,5"}
    answer = post(api, "owner", new_kr_page, second)
    assert (answer.status_code, answer.headers["location"]) == (303, f"/objectives/{objective_id}")

    with api.koers.uow(read_only=True) as uow:
        objective = uow.objectives.get(objective_id)
        key_results = uow.key_results.list(objective_id=objective_id)
    assert (objective.title, objective.type, objective.team_id) == (
        form["title"],
        "aspirational",
        api.ids["owner_team"],
    )
    assert [(kr.kind, kr.baseline, kr.target, kr.weight) for kr in key_results] == [
        ("decrease", 90, 30, 1),
        ("increase", 2.5, 7.5, 1.5),
    ]


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("nl", "Bij een stijging moet de streefwaarde boven de beginwaarde liggen (beginwaarde 70, streefwaarde 70)."),
        ("en", "An increase needs a target above its baseline (baseline 70, target 70)."),
    ],
)
def test_a_target_equal_to_the_baseline_shows_the_error_at_the_target_and_keeps_the_title(sqlite_api, locale, message):
    api = sqlite_api
    set_locale(api, "owner", locale)
    typed = {"title": "NPS omhoog <b>flink</b>", "kind": "increase", "unit": "", "baseline": "70", "target": "70"}
    typed |= {"weight": "1", "owner_id": "", "kpi_id": ""}
    answer = post(api, "owner", f"/objectives/{api.ids['objective']}/key-results/new", typed)
    assert answer.status_code == 422
    assert f'<p class="field-error" id="err-target">{message}</p>' in answer.text  # next to the field
    summary = re.search(r'<div class="problem" role="alert">.*?</div>', answer.text, re.S).group(0)  # announced
    assert f'<a href="#f-target">{message}</a>' in summary
    target = re.search(r'<input id="f-target"[^>]*>', answer.text).group(0)
    assert 'aria-invalid="true"' in target and "err-target" in target and 'value="70"' in target
    assert 'value="NPS omhoog &lt;b&gt;flink&lt;/b&gt;"' in answer.text  # kept, and escaped
    assert len(first_of(api, "key_results", objective_id=api.ids["objective"])) == 3


def test_numbers_that_are_not_numbers_are_all_named_at_once(sqlite_api):
    api = sqlite_api
    typed = {"title": "Wachttijd omlaag", "kind": "decrease", "baseline": "veel", "target": "7,5,0", "weight": "1"}
    answer = post(api, "owner", f"/objectives/{api.ids['objective']}/key-results/new", typed)
    assert answer.status_code == 422
    assert "Beginwaarde moet een getal zijn" in answer.text and "Streefwaarde moet een getal zijn" in answer.text
    assert 'value="veel"' in answer.text


def test_a_stale_version_shows_the_conflict_message_and_keeps_the_typing(sqlite_api):
    api = sqlite_api
    path = f"/objectives/{api.ids['objective']}/edit"
    page = get(api, "owner", path)
    version = field_value(page.text, "version")
    assert (
        post(api, "admin", path, {"description": "Intussen door de beheerder", "version": version}).status_code == 303
    )

    mine = {"title": "Klanten behouden: churn naar 5%", "description": "Mijn versie", "version": version}
    answer = post(api, "owner", path, mine)
    assert answer.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw en probeer het nog eens." in answer.text
    assert 'value="Klanten behouden: churn naar 5%"' in answer.text and "Mijn versie" in answer.text
    assert f'<a href="{path}">' in answer.text
    with api.koers.uow(read_only=True) as uow:
        assert uow.objectives.get(api.ids["objective"]).description == "Intussen door de beheerder"


@pytest.mark.parametrize(
    ("text", "lang", "words"),
    [
        ("Meer leads genereren", "nl", ["Niet meetbaar", "Kan beter", "Probleem"]),
        ("Improve employee engagement", "en", ["Not measurable", "Needs work", "Problem"]),
    ],
)
def test_the_coach_flags_a_title_in_the_language_of_the_text(sqlite_api, text, lang, words):
    api = sqlite_api
    _as(api, "owner")
    answer = api.client.post(
        "/coach?kind=key_result",
        data={"title": text, "kind": "increase"},
        headers={"HX-Request": "true", "X-CSRF-Token": api.csrf("owner")},
    )
    assert answer.status_code == 200
    assert f'lang="{lang}"' in answer.text and "<html" not in answer.text
    assert all(word in answer.text for word in words), answer.text
    same = post(api, "owner", "/coach", {"text": text, "kind": "key_result"})
    assert same.text == answer.text


def test_the_coach_speaks_on_the_page_as_you_type_and_after_a_failed_save(sqlite_api):
    api = sqlite_api
    page = get(api, "owner", f"/objectives/{api.ids['objective']}/key-results/new")
    title = re.search(r'<input id="f-title"[^>]*>', page.text).group(0)
    assert 'hx-post="/coach?kind=key_result"' in title and 'hx-target="#coach-title"' in title
    assert "input changed delay:400ms" in title
    assert '<div id="coach-title" class="coach" aria-live="polite">' in page.text
    typed = {"title": "Meer leads genereren", "kind": "increase", "baseline": "10", "target": "5", "weight": "1"}
    failed = post(api, "owner", f"/objectives/{api.ids['objective']}/key-results/new", typed)
    assert failed.status_code == 422 and "Niet meetbaar" in failed.text
    saved = post(api, "owner", f"/objectives/{api.ids['objective']}/key-results/new", typed | {"target": "50"})
    assert saved.status_code == 303  # the coach advises; it never blocks a save


def test_a_member_cannot_open_the_admin_pages_but_manages_their_own_tokens(sqlite_api):
    api = sqlite_api
    for path in ("/admin", "/admin/users", f"/admin/users/{api.ids['owner_user']}", "/admin/teams", "/admin/cycles"):
        answer = get(api, "owner", path)
        assert answer.status_code == 403, path
        assert "Niet toegestaan" in answer.text
    assert get(api, "owner", "/admin/tokens").status_code == 200
    assert post(api, "owner", "/admin/teams", {"name": "Eigen team"}).status_code == 403
    assert not [t for t in first_of(api, "teams") if t.name == "Eigen team"]


def test_a_member_cannot_edit_another_teams_objective(sqlite_api):
    api = sqlite_api
    path = f"/objectives/{api.ids['objective']}/edit"
    assert get(api, "other", path).status_code == 403
    answer = post(api, "other", path, {"title": "Overgenomen door Logistiek"})
    assert answer.status_code == 403
    assert "Dit mag je niet doen." in answer.text and 'value="Overgenomen door Logistiek"' in answer.text
    with api.koers.uow(read_only=True) as uow:
        assert uow.objectives.get(api.ids["objective"]).title == "Keep customers longer"


def _post_routes() -> list[str]:
    return sorted(
        route.path
        for router in (editors.router, admin.router)
        for route in iter_route_contexts(router.routes)
        if "POST" in (route.methods or ())
    )


def test_every_form_post_refuses_a_request_without_the_csrf_token(sqlite_api):
    api = sqlite_api
    ids = {
        "objective_id": api.ids["objective"],
        "kr_id": api.ids["key_result"],
        "kpi_id": api.ids["kpi"],
        "initiative_id": api.ids["initiative"],
        "user_id": api.ids["other_user"],
        "team_id": api.ids["other_team"],
        "cycle_id": api.ids["cycle"],
        "token_id": 1,
    }
    routes = _post_routes()
    assert len(routes) >= 20
    for path in routes:
        url = re.sub(r"{(\w+):int}", lambda m: str(ids[m.group(1)]), path)
        for headers in ({}, {"X-CSRF-Token": "not-the-token"}):
            answer = post(
                api, "admin", url, {"title": "Zonder token", "name": "Zonder token"}, csrf=False, headers=headers
            )
            assert answer.status_code == 403, (url, headers)
            assert "Formulier verlopen" in answer.text
    assert not [o for o in first_of(api, "objectives") if o.title == "Zonder token"]


def test_an_admin_adds_a_user_with_a_team_and_the_user_can_log_in(sqlite_api):
    api = sqlite_api
    team = api.ids["owner_team"]
    with api.koers.uow(read_only=True) as uow:
        team_name = uow.teams.get(team).name
    page = get(api, "admin", "/admin/users")
    # teams are checkboxes now; the empty hidden team_ids is what the form sends when no box is ticked
    assert page.status_code == 200 and '<select id="f-team_ids"' not in page.text
    assert f'<input type="checkbox" name="team_ids" value="{team}">' in page.text
    assert '<input type="hidden" name="team_ids" value="">' in page.text
    new = {"email": "Noor.Bakker@Onderdelen.example", "name": "Noor Bakker", "role": "member", "locale": "en"}
    ticked = {"team_ids": ["", str(team)]}  # as a browser sends it: the hidden empty value and the ticked box
    short = post(api, "admin", "/admin/users", new | ticked | {"password": "kort"})
    assert short.status_code == 422 and "Een wachtwoord heeft minstens 8 tekens nodig." in short.text
    assert 'value="Noor Bakker"' in short.text and 'value="kort"' not in short.text
    assert f'<input type="checkbox" name="team_ids" value="{team}" checked>' in short.text  # the tick is kept
    added = post(api, "admin", "/admin/users", new | ticked | {"password": PASSWORD})
    with api.koers.uow(read_only=True) as uow:
        person = uow.users.by_email("noor.bakker@onderdelen.example")
    assert person is not None and person.team_ids == [team] and person.locale == "en"
    location = f"/admin/users?added={person.id}#person-{person.id}"
    assert (added.status_code, added.headers["location"]) == (303, location)
    listed = " ".join(re.sub(r"<[^>]+>", " ", get(api, "admin", location).text).split())
    assert f"Noor Bakker (noor.bakker@onderdelen.example) is toegevoegd. Teams: {team_name}." in listed
    edit = get(api, "admin", f"/admin/users/{person.id}").text
    assert f'<input type="checkbox" name="team_ids" value="{team}" checked>' in edit
    again = post(api, "admin", "/admin/users", new | {"password": PASSWORD})
    assert again.status_code == 409 and "Die naam of dat e-mailadres is al in gebruik." in again.text

    with api.koers.uow(read_only=True) as uow:
        person = uow.users.by_email("noor.bakker@onderdelen.example")
    assert person is not None and person.team_ids == [api.ids["owner_team"]] and person.locale == "en"

    api.client.cookies.clear()
    login = api.client.get("/login")
    token = field_value(login.text, "csrf_token")
    answer = api.client.post(
        "/login", data={"email": "noor.bakker@onderdelen.example", "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 303
    assert api.client.get("/week").status_code == 200


def test_an_admin_changes_memberships_and_disables_a_user(sqlite_api):
    api = sqlite_api
    path = f"/admin/users/{api.ids['other_user']}"
    version = field_value(get(api, "admin", path).text, "version")
    teams = [str(api.ids["other_team"]), str(api.ids["owner_team"])]
    changed = post(
        api,
        "admin",
        path,
        {"name": "Priya R.", "role": "member", "locale": "nl", "team_ids": teams, "version": version},
    )
    assert changed.status_code == 303
    with api.koers.uow(read_only=True) as uow:
        assert sorted(uow.users.get(api.ids["other_user"]).team_ids) == sorted(int(t) for t in teams)
    assert post(api, "admin", f"{path}/disable", {}).status_code == 303
    assert get(api, "other", "/week").status_code == 303  # their session ended


def test_teams_and_cycles_are_managed_with_inline_errors(sqlite_api):
    api = sqlite_api
    added = post(api, "admin", "/admin/teams", {"name": "Inkoop", "parent_id": "", "lead_id": ""})
    assert added.status_code == 303
    tree = get(api, "admin", "/admin/teams").text
    assert "Inkoop" in tree and 'class="plain team-tree"' in tree
    team_id = next(t.id for t in first_of(api, "teams") if t.name == "Inkoop")
    page = get(api, "admin", f"/admin/teams/{team_id}")
    moved = {
        "name": "Inkoop & Retouren",
        "parent_id": str(api.ids["other_team"]),
        "lead_id": "",
        "version": field_value(page.text, "version"),
    }
    assert post(api, "admin", f"/admin/teams/{team_id}", moved).status_code == 303
    loop = post(api, "admin", f"/admin/teams/{api.ids['other_team']}", {"name": "Delivery", "parent_id": str(team_id)})
    assert loop.status_code == 422 and "Een team kan niet onder een van zijn eigen subteams vallen." in loop.text

    wrong = post(
        api,
        "admin",
        "/admin/cycles",
        {"name": "2031-Q1", "start_date": "2031-03-31", "end_date": "2031-01-01", "status": "planning"},
    )
    assert wrong.status_code == 422
    assert 'id="err-end_date">De einddatum moet na de begindatum liggen.' in wrong.text
    assert 'value="2031-Q1"' in wrong.text
    right = post(
        api,
        "admin",
        "/admin/cycles",
        {"name": "2031-Q1", "start_date": "2031-01-01", "end_date": "2031-03-31", "status": "planning"},
    )
    assert right.status_code == 303 and "2031-Q1" in get(api, "admin", "/admin/cycles").text


def test_a_token_is_shown_once_and_revoking_it_stops_it(sqlite_api):
    api = sqlite_api
    created = post(api, "owner", "/admin/tokens", {"name": "weekrapport", "expires": ""})
    assert created.status_code == 200
    secret = re.search(r'id="new-token"[^>]*value="(koers_[^"]+)"', created.text).group(1)
    listed = get(api, "owner", "/admin/tokens").text
    assert "weekrapport" in listed and secret not in listed
    bearer = {"Authorization": f"Bearer {secret}"}
    api.client.cookies.clear()
    assert api.client.get("/api/v1/teams", headers=bearer).status_code == 200
    token_id = re.search(r'action="/admin/tokens/(\d+)/revoke"', listed).group(1)
    assert post(api, "other", f"/admin/tokens/{token_id}/revoke", {}).status_code == 404  # not theirs
    assert post(api, "owner", f"/admin/tokens/{token_id}/revoke", {}).status_code == 303
    api.client.cookies.clear()
    assert api.client.get("/api/v1/teams", headers=bearer).status_code == 401
    assert "ingetrokken" in get(api, "owner", "/admin/tokens").text


def test_kpis_and_initiatives_are_created_through_their_forms(sqlite_api):
    api = sqlite_api
    kpi = {
        "name": "Wachttijd",
        "description": "",
        "unit": "min",
        "direction": "in_range",
        "target": "",
        "green_at": "1",
    }
    kpi |= {"target_low": "2", "target_high": "", "red_at": "", "team_id": str(api.ids["owner_team"]), "owner_id": ""}
    missing = post(api, "owner", "/kpis/new", kpi)
    assert missing.status_code == 422
    assert (
        'id="err-target_low">Een KPI binnen een bandbreedte heeft een laagste en een hoogste waarde nodig.'
        in missing.text
    )
    made = post(api, "owner", "/kpis/new", kpi | {"target_high": "4"})
    assert made.status_code == 303 and re.fullmatch(r"/kpis/\d+", made.headers["location"])

    kr = api.ids["key_result"]
    page = get(api, "owner", f"/initiatives/new?key_result_id={kr}")
    assert page.status_code == 200 and f'<option value="k:{kr}" selected>' in page.text
    work = {"title": "Terugbelactie voor opzeggers", "status": "planned", "owner_id": "", "due_date": "2099-12-31"}
    answer = post(api, "owner", "/initiatives/new", work | {"belongs_to": f"k:{kr}"})
    assert (answer.status_code, answer.headers["location"]) == (303, f"/objectives/{api.ids['objective']}")
    dutch = post(api, "owner", "/initiatives/new", work | {"belongs_to": f"k:{kr}", "due_date": "30-11-2099"})
    assert dutch.status_code == 303  # dd-mm-jjjj, as a Dutch reader types it
    saved = first_of(api, "initiatives", key_result_id=kr)
    assert [w.due_date.isoformat() for w in saved] == ["2099-12-31", "2099-11-30"]
    bad_date = post(api, "owner", "/initiatives/new", work | {"belongs_to": f"k:{kr}", "due_date": "31-13-2099"})
    assert bad_date.status_code == 422 and "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 31-12-2026." in bad_date.text


@pytest.mark.parametrize(
    ("locale", "typed", "stored", "refused", "example"),
    [
        ("en", {"baseline": "1,234", "target": "2,000.5"}, (1234, 2000.5), "1.234,5", "write it as 1234.5 or 1,234.5"),
        (
            "nl",
            {"baseline": "1.234,5", "target": "2.000"},
            (1234.5, 2000),
            "1,234.5",
            "schrijf het als 1234,5 of 1.234,5",
        ),
    ],
)
def test_numbers_are_read_the_way_the_viewer_writes_them(sqlite_api, locale, typed, stored, refused, example):
    api = sqlite_api
    set_locale(api, "owner", locale)
    path = f"/objectives/{api.ids['objective']}/key-results/new"
    form = {"title": "Orders per week omhoog", "kind": "increase", "unit": "", "weight": "1"}
    form |= {"owner_id": "", "kpi_id": ""}
    wrong = post(api, "owner", path, form | typed | {"baseline": refused})
    assert wrong.status_code == 422 and example in wrong.text  # the other language's grouping: an example, no guess
    made = post(api, "owner", path, form | typed)
    assert made.status_code == 303
    kr = next(k for k in first_of(api, "key_results", objective_id=api.ids["objective"]) if k.title == form["title"])
    assert (kr.baseline, kr.target) == stored


def test_an_error_from_the_services_is_worded_by_its_code_with_numbers_in_the_viewers_notation(sqlite_api):
    api = sqlite_api
    form = {"title": "Levertijd binnen de band", "kind": "range", "unit": "d", "baseline": "9", "weight": "1"}
    form |= {"target_low": "7,5", "target_high": "2", "owner_id": "", "kpi_id": ""}
    answer = post(api, "owner", f"/objectives/{api.ids['objective']}/key-results/new", form)
    assert answer.status_code == 422
    assert "De laagste waarde van de bandbreedte (7,5) mag niet boven de hoogste (2) liggen." in answer.text
