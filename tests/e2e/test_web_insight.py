"""The attention, calibration, ambition and guardrail pages through HTTP: what people read, in their language."""

from __future__ import annotations

from tests.e2e.test_web_pages import get, post, text_of


def test_guardrails_are_chosen_on_their_page_and_only_by_editors(sqlite_api):
    api = sqlite_api
    kr = api.ids["key_result"]
    with api.koers.uow() as uow:
        follows = uow.key_results.get(kr).kpi_id
        others = [k.id for k in uow.kpis.list() if k.id != follows]
    page = get(api, "owner", f"/key-results/{kr}/guardrails")
    assert page.status_code == 200
    assert f'value="{follows}"' not in page.text  # the KPI it follows is no guardrail of itself
    saved = post(
        api, "owner", f"/key-results/{kr}/guardrails", {"kpi_id": str(others[0]), "csrf_token": api.csrf("owner")}
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith(f"#kr-{kr}")
    with api.koers.uow(read_only=True) as uow:
        assert uow.insight.guardrails([kr]) == {kr: [others[0]]}
    assert f'value="{others[0]}" checked' in get(api, "owner", f"/key-results/{kr}/guardrails").text
    assert get(api, "other", f"/key-results/{kr}/guardrails").status_code == 403
    refused = post(api, "other", f"/key-results/{kr}/guardrails", {"kpi_id": "", "csrf_token": api.csrf("other")})
    assert refused.status_code == 403
    with api.koers.uow(read_only=True) as uow:
        assert uow.insight.guardrails([kr]) == {kr: [others[0]]}


def test_the_attention_page_shows_translated_reasons_per_team(sqlite_api):
    page = text_of(get(sqlite_api, "owner", "/attention").text)
    assert "Vraagt aandacht" in page and "Hele organisatie" in page
    assert "niet op koers" in page or "geen recente check-in" in page
    assert "no_recent_check_in" not in page and "off_track" not in page


def test_my_week_opens_with_the_attention_list_of_my_team(sqlite_api):
    html = get(sqlite_api, "owner", "/week").text
    first_heading = text_of(html[html.index("<h2") : html.index("</h2>")])
    assert first_heading.strip().startswith("Vraagt aandacht in")


def test_the_calibration_page_draws_predicted_against_achieved(sqlite_api):
    page = get(sqlite_api, "admin", f"/calibration?team_id={sqlite_api.ids['owner_team']}")
    assert page.status_code == 200 and "<svg" in page.text
    assert "Brier-score" in text_of(page.text)
