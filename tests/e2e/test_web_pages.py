"""The read pages as a person sees them: organisation tree, objective, KPI board and KPI, cycles."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from koers.domain import model
from koers.services import objectives as goals
from tests.e2e.api_support import Api

STRATEGIC = "Become the shop customers come back to"  # builders.organisation's titles
OBJECTIVE = "Keep customers longer"
KEY_RESULTS = ("Cancellations from 10% to 5%", "Satisfaction from 70 to 80", "Checkout time to 3–4 minutes")


def get(api: Api, caller: str, url: str, **headers: str):
    api.client.cookies.clear()
    for name, value in api.cookies(caller).items():
        api.client.cookies.set(name, value)
    return api.client.get(url, headers=headers)


def post(api: Api, caller: str, url: str, data: dict[str, str]):
    api.client.cookies.clear()
    for name, value in api.cookies(caller).items():
        api.client.cookies.set(name, value)
    return api.client.post(url, data=data)


def text_of(html: str) -> str:
    """The page's visible text on one line (tags dropped, entities kept as the browser shows them)."""
    import html as entities

    return re.sub(r"\s+", " ", entities.unescape(re.sub(r"<[^>]+>", " ", html)))


def check_in(api: Api, kr_id: int, value: str, note: str = "") -> None:
    data = {"value": value, "confidence": "on_track", "note": note, "csrf_token": api.csrf("owner")}
    response = post(api, "owner", f"/week/key-results/{kr_id}/check-in", data)
    assert response.status_code == 303, response.text


def objective_key_results(api: Api) -> list[int]:
    """The decrease (10 → 5 %), increase (70 → 80) and range (9.5 → 3–4 min) key results of `ids["objective"]`."""
    return [api.ids["key_result"], api.ids["increase_key_result"], api.ids["range_key_result"]]


class Nesting(HTMLParser):
    """For every objective link: the objective links of the list items it sits in (its ancestors in the tree)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[list[str]] = []
        self.ancestors: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "li":
            self.stack.append([])
        elif tag == "a" and href.startswith("/objectives/") and self.stack:
            self.ancestors[href] = [links[0] for links in self.stack[:-1] if links]
            self.stack[-1].append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self.stack:
            self.stack.pop()


def test_an_objective_shows_its_key_results_explanation_and_timeline_in_dutch(sqlite_api):
    api = sqlite_api
    churn, nps, buy_time = objective_key_results(api)
    check_in(api, churn, "7,5", "Belactie bij opzeggers werkt")
    check_in(api, nps, "75")
    check_in(api, buy_time, "6,75")

    response = get(api, "owner", f"/objectives/{api.ids['objective']}")
    assert response.status_code == 200
    page = text_of(response.text)
    assert OBJECTIVE in page
    for title in KEY_RESULTS:
        assert title in page
    # every key result and the objective score 50,0 (SPEC §4), with Dutch numbers
    assert page.count("50,0") >= 4
    assert "7,5%" in page and "6,75 min" in page
    assert "Beginwaarde 10%" in page and "Streefwaarde 5%" in page and "Streefwaarde 3–4 min" in page
    # the explanation: rule, filled-in numbers, which value was used
    assert "Hoe wordt deze score berekend?" in page
    assert "p = (b − v) / (b − t)" in page
    assert "p = (10 − 7,5) / (10 − 5) = 0,5" in page
    assert "beginwaarde boven de bandbreedte: p = (b − v) / (b − hi)" in page
    assert "p = (9,5 − 6,75) / (9,5 − 4) = 0,5" in page
    assert "Gebruikte waarde: 7,5%, uit de check-in van" in page
    assert "(50 × 1 + 50 × 1 + 50 × 1) / 3 = 50,0" in page
    # the timeline: newest first, with note, confidence and author
    timeline = page[page.index("Check-ins") :]
    assert "Belactie bij opzeggers werkt" in timeline and "Olivia Owner" in timeline and "op koers" in timeline
    assert timeline.index("6,75 min") < timeline.index("7,5%")
    # initiatives, linked KPIs, history charts with a text alternative
    assert "Analyse the sales funnel" in page and "bezig" in page
    assert "Gekoppelde KPI's" in page and 'href="/kpis/' in response.text
    assert response.text.count('class="chart koers-chart"') == 3
    assert "Verloop van Cancellations from 10% to 5%" in response.text
    assert "volgens plan" in response.text and ">Plan</text>" in response.text  # the plan line, in words and legend


def test_edit_links_only_for_people_who_may_edit(sqlite_api):
    api = sqlite_api
    url = f"/objectives/{api.ids['objective']}"
    edit = f'href="/objectives/{api.ids["objective"]}/edit"'
    owner, other = get(api, "owner", url), get(api, "other", url)
    assert edit in owner.text and f'href="/initiatives/new?objective_id={api.ids["objective"]}"' in owner.text
    assert "/key-results/new" in owner.text and "/edit" in owner.text
    assert other.status_code == 200 and edit not in other.text and "/key-results/new" not in other.text


def test_the_organisation_tree_nests_a_team_objective_under_the_strategic_one(sqlite_api):
    api = sqlite_api
    response = get(api, "other", "/organisation")
    assert response.status_code == 200
    tree = Nesting()
    tree.feed(response.text)
    with api.koers.uow(read_only=True) as uow:
        seed = uow.objectives.get(api.ids["objective"])
    assert tree.ancestors[f"/objectives/{seed.id}"] == [f"/objectives/{seed.parent_id}"]
    assert tree.ancestors[f"/objectives/{seed.parent_id}"] == []
    page = text_of(response.text)
    assert STRATEGIC in page and "strategisch" in page
    assert re.search(
        r'<span class="badge s-(on_track|at_risk|off_track)">(op koers|loopt risico|niet op koers)</span>',
        response.text,
    )
    assert '<svg class="meter"' in response.text and "Score " in response.text
    # the filter form: labelled selects, open cycles by default
    assert '<label for="cycle_id">' in response.text and '<label for="team_id">' in response.text


def test_filtering_by_team_keeps_the_strategic_parent_as_context(sqlite_api):
    api = sqlite_api
    with api.koers.uow(read_only=True) as uow:
        seed = uow.objectives.get(api.ids["objective"])
    url = f"/organisation?cycle_id={seed.cycle_id}&team_id={api.ids['owner_team']}"
    page = text_of(get(api, "other", url).text)
    assert OBJECTIVE in page
    assert "Deliver orders faster" in text_of(get(api, "other", "/organisation").text)
    assert "Deliver orders faster" not in page  # the other team's objective
    assert STRATEGIC in page and "getoond als context" in page
    # htmx asks for the tree only
    partial = get(api, "other", url, **{"HX-Request": "true", "HX-Target": "tree"})
    assert partial.status_code == 200 and "<html" not in partial.text and 'id="tree"' in partial.text


def test_a_team_only_objective_is_hidden_from_outsiders(sqlite_api):
    api = sqlite_api
    with api.koers.uow() as uow:
        seed = uow.objectives.get(api.ids["objective"])
        secret = goals.create_objective(
            uow,
            model.Objective(
                "Geheim: reorganisatie klantenservice",
                seed.cycle_id,
                team_id=api.ids["owner_team"],
                parent_id=seed.parent_id,
                visibility="team",
            ),
        )
    assert "Geheim: reorganisatie" not in get(api, "other", "/organisation").text
    assert "Geheim: reorganisatie" in get(api, "owner", "/organisation").text
    hidden = get(api, "other", f"/objectives/{secret.id}")
    assert hidden.status_code == 404 and "Geheim" not in hidden.text
    assert "Pagina niet gevonden" in hidden.text
    assert get(api, "owner", f"/objectives/{secret.id}").status_code == 200
    assert get(api, "other", "/objectives/999999").status_code == 404
    assert get(api, "other", "/kpis/999999").status_code == 404


def test_the_kpi_board_shows_every_kpi_with_its_status_and_trend(sqlite_api):
    api = sqlite_api
    response = get(api, "other", "/kpis")
    assert response.status_code == 200
    page = text_of(response.text)
    for name in ("Cancellations", "Satisfaction", "Checkout time"):
        assert name in page
    statuses = re.findall(r'<span class="badge s-(green|amber|red)">(groen|oranje|rood)</span>', response.text)
    assert len(statuses) == 3 and all({"green": "groen", "amber": "oranje", "red": "rood"}[c] == w for c, w in statuses)
    assert response.text.count('<svg class="spark"') == 3
    assert 'aria-label="Verloop van Cancellations over de laatste metingen: van ' in response.text
    assert "groen tot en met 5%, rood boven 9%" in page  # cancellations: lower is better
    assert "groen vanaf 80, rood onder 70" in page  # satisfaction: higher is better
    assert "Support" in page  # the KPI's team


def test_a_kpi_page_shows_its_measurements_and_the_key_results_that_follow_it(sqlite_api):
    api = sqlite_api
    response = get(api, "other", f"/kpis/{api.ids['kpi']}")
    assert response.status_code == 200
    page = text_of(response.text)
    assert '<th scope="col">Datum</th>' in response.text and '<th scope="col">Bron</th>' in response.text
    assert "import" in page and 'class="chart koers-chart"' in response.text
    assert KEY_RESULTS[0] in page and OBJECTIVE in page
    assert re.search(r"<td class=\"num\">\d+,\d%</td>", response.text)


def test_closing_a_cycle_as_admin_shows_the_grades(sqlite_api):
    api = sqlite_api
    churn, nps, buy_time = objective_key_results(api)
    check_in(api, churn, "7,5")
    check_in(api, nps, "75")
    check_in(api, buy_time, "6,75")
    with api.koers.uow(read_only=True) as uow:
        cycle = uow.cycles.get(api.ids["cycle"])
    confirm_url = f"/cycles/{cycle.id}/close"
    before = get(api, "admin", "/cycles")
    assert f'href="{confirm_url}"' in before.text  # admins get a link to the confirmation step
    assert f'href="{confirm_url}"' not in get(api, "owner", "/cycles").text
    assert get(api, "owner", confirm_url).status_code == 403

    confirm = get(api, "admin", confirm_url)  # the confirmation step: the grades closing would give, and the form
    assert confirm.status_code == 200
    form = confirm.text[confirm.text.index(f'action="{confirm_url}"') :]
    form = form[: form.index("</form>")]
    assert 'name="confirm" value="yes"' in form
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None and token.group(1) == api.csrf("admin")
    assert OBJECTIVE in text_of(confirm.text) and "0,5 oranje" in text_of(confirm.text)
    with api.koers.uow(read_only=True) as uow:
        assert uow.cycles.get(cycle.id).status == "active"  # seeing the step closes nothing

    response = post(api, "admin", confirm_url, {"csrf_token": token.group(1), "confirm": "yes"})
    assert response.status_code == 303 and response.headers["location"].startswith("/cycles")
    after = get(api, "admin", response.headers["location"])
    page = text_of(after.text)
    assert f"Cyclus {cycle.name} is afgesloten" in page
    section = after.text[after.text.index(f'id="cycle-{cycle.id}"') :]
    section = text_of(section[: section.index("</section>")])
    assert OBJECTIVE in section and "0,5 oranje" in section
    assert f'href="{confirm_url}"' not in after.text and f'action="{confirm_url}"' not in after.text
    again = get(api, "admin", confirm_url)  # a closed cycle's step gives the reason, not the form
    assert f'action="{confirm_url}"' not in again.text and "is al afgesloten" in text_of(again.text)


def test_a_closed_quarter_flags_goals_that_were_not_ambitious_enough(sqlite_api):
    html = get(sqlite_api, "owner", "/cycles").text
    section = html[html.index(f'id="cycle-{sqlite_api.ids["closed_cycle"]}"') :]
    page = text_of(section[: section.index("</section>")])
    assert "niet ambitieus genoeg" in page and "Niet ambitieus genoeg: deze teams" in page
    assert "Answer questions sooner" in page and "1,0 groen" in page  # aspirational, fully reached
    assert "Find products sooner" in page and "0,5 oranje" in page


def test_only_admins_close_cycles_and_only_with_the_form_token(sqlite_api):
    api = sqlite_api
    cycle_id = api.ids["cycle"]
    url = f"/cycles/{cycle_id}/close"

    def status() -> str:
        with api.koers.uow(read_only=True) as uow:
            return uow.cycles.get(cycle_id).status

    # a member is refused, with or without the confirmation (no redirect to a step they may not see)
    for extra in ({"confirm": "yes"}, {}):
        member = post(api, "owner", url, {"csrf_token": api.csrf("owner")} | extra)
        assert member.status_code == 403 and "Dit mag je niet doen." in member.text
    # a forged or missing form token is refused before anything else: never a close, never the redirect
    for extra in ({"confirm": "yes"}, {}):
        forged = post(api, "admin", url, {"csrf_token": "not-the-token"} | extra)
        assert forged.status_code == 403 and "location" not in forged.headers
        assert "Formulier verlopen" in forged.text  # the token's refusal, not the admin rule's
        missing = post(api, "admin", url, extra)
        assert missing.status_code == 403 and "location" not in missing.headers
        assert "Formulier verlopen" in missing.text
    assert status() == "active"
    # the right token without the confirmation only leads to the confirmation step
    unconfirmed = post(api, "admin", url, {"csrf_token": api.csrf("admin")})
    assert (unconfirmed.status_code, unconfirmed.headers["location"]) == (303, url)
    assert status() == "active"
    closed = post(api, "admin", url, {"csrf_token": api.csrf("admin"), "confirm": "yes"})
    assert closed.status_code == 303 and closed.headers["location"].startswith(f"/cycles?closed={cycle_id}")
    assert status() == "closed"
    twice = post(api, "admin", url, {"csrf_token": api.csrf("admin"), "confirm": "yes"})
    assert twice.status_code == 422 and "Deze cyclus is al afgesloten." in twice.text


def test_pages_are_in_english_for_people_who_chose_english(sqlite_api):
    api = sqlite_api
    churn = objective_key_results(api)[0]
    check_in(api, churn, "7,5")
    with api.koers.uow() as uow:
        uow.users.set_fields(api.ids["owner_user"], locale="en")
    page = text_of(get(api, "owner", f"/objectives/{api.ids['objective']}").text)
    assert "How is this score computed?" in page and "Key results" in page and "Baseline 10%" in page
    assert "p = (10 − 7.5) / (10 − 5) = 0.5" in page and "7.5%" in page
    assert "Hoe wordt" not in page
    assert "All open cycles" in text_of(get(api, "owner", "/organisation").text)
    assert "green up to 5%, red above 9%" in text_of(get(api, "owner", "/kpis").text)
    assert "Average score" in text_of(get(api, "owner", "/cycles").text)


def test_what_people_typed_is_shown_as_text_not_markup(sqlite_api):
    api = sqlite_api
    with api.koers.uow() as uow:
        seed = uow.objectives.get(api.ids["objective"])
        evil = goals.create_objective(
            uow, model.Objective('<script>alert("x")</script>', seed.cycle_id, team_id=api.ids["owner_team"])
        )
    for url in (f"/objectives/{evil.id}", "/organisation"):
        html = get(api, "owner", url).text
        assert '<script>alert("x")' not in html and "&lt;script&gt;" in html


def test_anonymous_visitors_are_sent_to_the_login_page(sqlite_api):
    api = sqlite_api
    for url in ("/organisation", f"/objectives/{api.ids['objective']}", "/kpis", f"/kpis/{api.ids['kpi']}", "/cycles"):
        response = get(api, "anonymous", url)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


def test_someone_without_key_results_is_shown_where_to_look(sqlite_api):
    sqlite_api.client.cookies.clear()
    page = sqlite_api.client.get("/week", cookies=sqlite_api.cookies("admin"))
    assert page.status_code == 200 and 'href="/organisation"' in page.text
    assert "Er zijn nog geen kernresultaten van jou of je teams." in page.text


def test_the_week_check_in_fragment_shows_the_score_the_check_in_left(sqlite_api):
    api = sqlite_api
    kr_id = api.ids["key_result"]
    with api.koers.uow(read_only=True) as uow:
        kr = uow.key_results.get(kr_id)
    assert kr.kind == "decrease" and (kr.baseline, kr.target) == (10, 5)  # 7,5 is halfway
    api.client.cookies.clear()
    for name, value in api.cookies("owner").items():
        api.client.cookies.set(name, value)
    data = {"value": "7,5", "confidence": "on_track", "note": "", "csrf_token": api.csrf("owner")}
    answer = api.client.post(f"/week/key-results/{kr_id}/check-in", data=data, headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "<html" not in answer.text
    assert '<span class="score" data-score>50,0</span>' in answer.text
    assert "Opgeslagen: de score is nu 50,0." in answer.text
