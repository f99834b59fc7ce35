"""An admin in a real browser (issue 15): closing a quarter through its confirmation step, grades set by hand, picking
teams with checkboxes (with and without JavaScript, 200 teams, 390 px wide), what adding confirms, and /api/docs
without any network beyond 127.0.0.1. Screenshots go to tests/artifacts/admin/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from koers.services import organisation as org
from tests import builders as b
from tests.e2e.api_support import ADMIN, OWNING_TEAM_MEMBER, PASSWORD, Api
from tests.e2e.browser.conftest import log_in

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "admin"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}


def shoot(tab: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _english(tab: Any) -> None:
    tab.click("button:has-text('English')")
    tab.wait_for_load_state()


def _no_sideways_scroll(tab: Any, what: str) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} scrolls sideways at 390 px ({width} px)"


def _quiet_key_result(api: Api) -> int:
    """A key result of the active quarter whose newest value is 20 days old: the close step must count it."""
    with api.koers.uow() as uow:
        kr = b.key_result(uow, api.ids["objective"], "increase", title="Answer within a day")
        uow.key_results.set_fields(kr.id, current_at=datetime.now(UTC) - timedelta(days=20))
        return kr.id or 0


def test_an_admin_closes_a_quarter_through_the_confirmation_step(page, site):
    api, base = site
    _quiet_key_result(api)
    quarter = api.ids["cycle"]
    with api.koers.uow(read_only=True) as uow:
        cycle = uow.cycles.get(quarter)
    days_left = (cycle.end_date - datetime.now(UTC).date()).days
    log_in(page, base, ADMIN, PASSWORD)
    page.goto(f"{base}/cycles")
    page.locator(f"#cycle-{quarter} summary").click()
    page.click(f"a:has-text('{cycle.name} afsluiten…')")
    page.wait_for_url(f"{base}/cycles/{quarter}/close")
    warnings = page.locator("ul.warnings").inner_text()
    if days_left > 0:
        assert f"Er {'is' if days_left == 1 else 'zijn'} nog {days_left} dag" in warnings
    assert "1 kernresultaat is al 14 dagen of langer niet bijgewerkt." in warnings
    page.click("summary:has-text('Toon ze')")
    assert page.locator("details.quiet").inner_text().count("Answer within a day") == 1
    assert page.locator("table.grades tbody tr").count() >= 1  # the grades closing would give
    shoot(page, "close-confirm-nl-desktop")
    page.click("a:has-text('Annuleren')")  # nothing happens on the way back
    with api.koers.uow(read_only=True) as uow:
        assert uow.cycles.get(quarter).status == "active"
    page.goto(f"{base}/cycles/{quarter}/close")
    page.click(f"button:has-text('{cycle.name} nu afsluiten')")
    page.wait_for_url(re.compile(rf".*/cycles\?closed={quarter}.*"))
    assert f"Cyclus {cycle.name} is afgesloten" in page.locator("p.notice").inner_text()
    shoot(page, "closed-quarter-nl-desktop")
    with api.koers.uow(read_only=True) as uow:
        assert uow.cycles.get(quarter).status == "closed"

    # a cycle still being planned: the step says why, and there is no button to press
    with api.koers.uow() as uow:
        planned = org.create_cycle(
            uow, "2031-Q1", datetime(2031, 1, 1).date(), datetime(2031, 3, 31).date(), "planning"
        )
    _english(page)
    page.goto(f"{base}/cycles/{planned.id}/close")
    alert = page.locator("[role=alert]").inner_text()
    assert "Cycle 2031-Q1 is still being planned: make it active before you close it" in alert
    assert page.locator("button:has-text('Close 2031-Q1 now')").count() == 0
    shoot(page, "close-planning-refused-en-desktop")


def test_the_close_step_in_english_and_at_phone_width_without_javascript(browser, site):
    api, base = site
    _quiet_key_result(api)
    context = browser.new_context(**PHONE, locale="en-GB", java_script_enabled=False)
    tab = context.new_page()
    try:
        log_in(tab, base, ADMIN, PASSWORD)
        _english(tab)
        tab.goto(f"{base}/cycles/{api.ids['cycle']}/close")
        text = tab.locator("ul.warnings").inner_text()
        assert "1 key result has had no check-in for 14 days or more." in text
        _no_sideways_scroll(tab, "the close step")
        shoot(tab, "close-confirm-en-390")
        tab.click("button:has-text('now')")  # a plain form post: no JavaScript needed
        tab.wait_for_load_state()
        assert "/cycles?closed=" in tab.url
        shoot(tab, "closed-quarter-en-390")
    finally:
        context.close()


def test_a_team_lead_sets_a_grade_by_hand_beside_the_computed_one(page, site):
    api, base = site
    closed = api.ids["too_easy_objective"]  # team Support's, graded 1.0; Olivia leads Support
    log_in(page, base, OWNING_TEAM_MEMBER, PASSWORD)
    page.goto(f"{base}/objectives/{closed}")
    page.click("a:has-text('Eindscore met de hand zetten')")
    page.wait_for_url(f"{base}/objectives/{closed}/grade")
    page.fill("#f-grade", "0,8")
    page.click("button:has-text('Eindscore opslaan')")
    page.wait_for_load_state()
    assert page.locator("#err-note").is_visible()  # a grade needs a note; what was typed stays
    assert page.locator("#f-grade").input_value() == "0,8"
    shoot(page, "grade-form-error-nl-desktop")
    page.fill("#f-note", "De enquête is in september niet verstuurd; 1,0 is te mooi.")
    page.click("button:has-text('Eindscore opslaan')")
    page.wait_for_url(re.compile(rf".*/objectives/{closed}\?grade_saved=1.*"))
    assert "De eindscore is opgeslagen." in page.locator("#grade").inner_text()
    summary = page.locator("section.summary").inner_text()
    assert "Eindscore 0,8" in summary and "met de hand gezet; berekend 1" in summary
    assert "De enquête is in september niet verstuurd" in page.locator("#grade").inner_text()
    shoot(page, "grade-override-nl-desktop")
    page.goto(f"{base}/cycles")
    row = page.locator(f"#cycle-{api.ids['closed_cycle']} tr", has_text="Answer questions sooner")
    assert "0,8" in row.inner_text() and "berekend 1,0" in row.inner_text()
    _english(page)
    page.goto(f"{base}/objectives/{closed}")
    assert "set by hand; computed 1" in page.locator("section.summary").inner_text()
    shoot(page, "grade-override-en-desktop")


def _many_teams(api: Api, count: int) -> None:
    with api.koers.uow() as uow:
        for number in range(1, count + 1):
            b.team(uow, f"Regio {number:03d}")


def test_picking_teams_from_200_with_the_filter_at_phone_width(browser, site):
    api, base = site
    _many_teams(api, 200)
    for locale, lang in (("nl-NL", "nl"), ("en-GB", "en")):
        context = browser.new_context(**PHONE, locale=locale)
        tab = context.new_page()
        try:
            log_in(tab, base, ADMIN, PASSWORD)
            if lang == "en":
                _english(tab)
            tab.goto(f"{base}/admin/users")
            picker = tab.locator("fieldset.team-picker")
            assert picker.locator("input[type=checkbox]").count() == 203  # 200 + Company, Support, Delivery
            tab.fill("#filter-team_ids", "regio 13")
            visible = picker.locator("li[data-name]:visible")
            assert visible.count() == 10  # Regio 130–139 ("Regio 013" does not contain it)
            picker.locator("label:has-text('Regio 137') input").check()
            tab.fill("#filter-team_ids", "deliv")
            picker.locator("label:has-text('Delivery') input").check()
            # a chosen team stays in sight whatever the filter says
            assert picker.locator("li[data-name]:visible").count() == 2
            assert picker.locator("[data-count]").inner_text() in ("2 gekozen", "2 chosen")
            _no_sideways_scroll(tab, "the users page")
            shoot(tab, f"team-picker-{lang}-390")
            tab.fill("#f-email", f"nina.{lang}@example.org")
            tab.fill("#f-name", f"Nina {lang}")
            tab.fill("#f-password", "correct horse battery")
            tab.press("#filter-team_ids", "Enter")  # Enter in the filter does not send the form
            assert tab.url.endswith("/admin/users")
            tab.click("button:has-text('Gebruiker toevoegen'), button:has-text('Add user')")
            tab.wait_for_load_state()
            notice = tab.locator("p.notice").inner_text()
            if lang == "nl":
                assert "Nina nl (nina.nl@example.org) is toegevoegd. Teams: Delivery, Regio 137." in notice
            else:
                assert "Nina en (nina.en@example.org) was added. Teams: Delivery, Regio 137." in notice
            _no_sideways_scroll(tab, "the users page after adding")
            shoot(tab, f"user-added-{lang}-390")
        finally:
            context.close()


def test_picking_teams_and_adding_a_team_without_javascript(browser, site):
    api, base = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL", java_script_enabled=False)
    tab = context.new_page()
    try:
        log_in(tab, base, ADMIN, PASSWORD)
        tab.goto(f"{base}/admin/users/{api.ids['other_user']}")
        assert not tab.locator("#filter-team_ids").is_visible()  # the filter needs JavaScript; the boxes do not
        tab.locator("label:has-text('Support') input").check()
        tab.locator("label:has-text('Delivery') input").uncheck()
        tab.click("button:has-text('Opslaan')")
        tab.wait_for_load_state()
        with api.koers.uow(read_only=True) as uow:
            assert uow.users.get(api.ids["other_user"]).team_ids == [api.ids["owner_team"]]
        tab.goto(f"{base}/admin/teams")
        tab.fill("#f-name", "Retouren")
        tab.select_option("#f-lead_id", label="Oscar Other")
        tab.click("button:has-text('Team toevoegen')")
        tab.wait_for_load_state()
        assert "Team Retouren is toegevoegd. Teamleider: Oscar Other." in tab.locator("p.notice").inner_text()
        shoot(tab, "team-added-nl-desktop")
    finally:
        context.close()


def test_the_api_docs_load_with_no_network_beyond_loopback(page, site):
    _api, base = site
    refused: list[str] = []

    def only_loopback(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", only_loopback)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    answer = page.goto(f"{base}/api/docs")
    assert answer is not None and "script-src 'self'" in answer.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary", timeout=15_000)
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert len(operations) >= 40, operations
    assert "/api/v1/cycles/{record_id}/close" in [o.replace("\u200b", "") for o in operations]
    assert "/api/v1/objectives/{record_id}/grade" in [o.replace("\u200b", "") for o in operations]
    assert refused == [], f"the docs reached beyond 127.0.0.1: {refused}"
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    shoot(page, "api-docs-offline")
