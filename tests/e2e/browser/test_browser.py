"""What a person does in a real browser: log in, check in, switch language, use a phone."""

from __future__ import annotations

import re

from koers.services.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.e2e.api_support import ADMIN, OWNING_TEAM_MEMBER, PASSWORD
from tests.e2e.browser.conftest import log_in, shoot


def test_log_in_and_out(page, site):
    _api, base = site
    page.goto(f"{base}/week")
    assert "/login" in page.url
    page.fill("#email", OWNING_TEAM_MEMBER)
    page.fill("#password", "verkeerd wachtwoord")
    page.click("button:has-text('Inloggen')")
    assert page.locator("[role=alert]").inner_text() == "Verkeerd e-mailadres of wachtwoord."
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Inloggen')")
    page.wait_for_url(f"{base}/week")
    assert page.locator("h1").inner_text() == "Mijn week"
    cookie = next(c for c in page.context.cookies() if c["name"] == "koers_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.click("button:has-text('Uitloggen')")
    page.wait_for_url(re.compile(r".*/login.*"))
    page.goto(f"{base}/week")
    assert "/login" in page.url


def test_check_in_updates_the_score_in_place(page, site):
    api, base = site
    log_in(page, base, OWNING_TEAM_MEMBER, PASSWORD)
    item = page.locator(f"#kr-{api.ids['key_result']}")
    before = item.locator("[data-score]").inner_text()
    item.locator("input[name=value]").fill("7,5")
    item.locator("select[name=confidence]").select_option("at_risk")
    item.locator("input[name=note]").fill("Funnel vereenvoudigd")
    url_before = page.url
    item.locator("button:has-text('Check-in opslaan')").click()
    updated = page.locator(f"#kr-{api.ids['key_result']} [data-score]")
    updated.filter(has_text="50,0").wait_for()
    assert before != "50,0" and updated.inner_text() == "50,0"
    assert page.url == url_before  # updated in place by htmx, no page load
    assert "Opgeslagen" in page.locator(f"#kr-{api.ids['key_result']} [role=status]").inner_text()
    shoot(page, "week-after-check-in")


def test_a_wrong_value_shows_an_inline_error_and_keeps_the_page(page, site):
    api, base = site
    log_in(page, base, OWNING_TEAM_MEMBER, PASSWORD)
    item = page.locator(f"#kr-{api.ids['key_result']}")
    item.locator("input[name=value]").fill("zeven")
    item.locator("button:has-text('Check-in opslaan')").click()
    error = page.locator(f"#kr-{api.ids['key_result']} [role=alert]")
    error.wait_for()
    assert "moet een getal zijn" in error.inner_text()


def test_switch_language_on_any_page(page, site):
    _api, base = site
    log_in(page, base, OWNING_TEAM_MEMBER, PASSWORD)
    assert page.locator("html").get_attribute("lang") == "nl"
    page.click("button:has-text('English')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "My week"
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("button:has-text('Nederlands')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Mijn week"


def test_phone_width_has_no_horizontal_scrolling(browser, site):
    _api, base = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="nl-NL")
    tab = context.new_page()
    try:
        log_in(tab, base, OWNING_TEAM_MEMBER, PASSWORD)
        for path in ("/week",):
            tab.goto(f"{base}{path}")
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"
            shoot(tab, f"phone{path.replace('/', '-')}")
    finally:
        context.close()


def test_pages_run_no_inline_script_and_report_no_csp_violations(page, site):
    _api, base = site
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    log_in(page, base, OWNING_TEAM_MEMBER, PASSWORD)
    page.goto(f"{base}/week")
    assert page.evaluate("typeof htmx") == "object"  # the vendored htmx loaded under the CSP
    assert problems == []


def test_create_an_objective_with_two_key_results(page, site):
    api, base = site
    log_in(page, base, OWNING_TEAM_MEMBER, PASSWORD)
    page.goto(f"{base}/objectives/new")
    page.fill("#f-title", "Klanten sneller helpen aan de telefoon")
    page.select_option("#f-team_id", str(api.ids["owner_team"]))
    page.click("button[name=then][value=key_result]")
    page.wait_for_url(re.compile(r".*/objectives/\d+/key-results/new"))
    objective_id = re.search(r"/objectives/(\d+)/", page.url).group(1)
    page.fill("#f-title", "Wachttijd aan de telefoon van 6 naar 2 minuten")
    page.select_option("#f-kind", "decrease")
    page.fill("#f-baseline", "6")
    page.fill("#f-target", "2")
    page.click("button[name=then][value=another]")
    page.wait_for_url(re.compile(rf".*/objectives/{objective_id}/key-results/new"))
    page.fill("#f-title", "Klanttevredenheid van 7,2 naar 8,5")
    page.select_option("#f-kind", "increase")
    page.fill("#f-baseline", "7,2")
    page.fill("#f-target", "8,5")
    page.click("button[name=then][value='']")
    page.wait_for_url(f"{base}/objectives/{objective_id}")
    body = page.locator("main").inner_text()
    assert "Wachttijd aan de telefoon van 6 naar 2 minuten" in body and "Klanttevredenheid van 7,2 naar 8,5" in body
    assert "8,5" in body  # the target, written the Dutch way
    shoot(page, "objective-created")


def test_a_newcomer_finds_the_demos_churn_objective_within_two_clicks(page, demo_site):
    _api, base = demo_site
    log_in(page, base, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)  # the demo's public account
    page.click("nav.main a:has-text('Organisatie')")  # click 1
    page.click("a:has-text('Klanten behouden: churn halveren')")  # click 2
    body = page.locator("main").inner_text()
    for text in (
        "Churn reduceren van 10% naar 5%",
        "NPS omhoog van 70 naar 80",
        "Gemiddelde aankooptijd naar 3 à 4 minuten",
        "Churn",
        "NPS",
        "Aankooptijd",
    ):
        assert text in body
    shoot(page, "seed-objective")


def test_every_page_fits_a_phone(browser, site):
    from tests.e2e.web_pages import pages

    api, base = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="nl-NL")
    tab = context.new_page()
    try:
        log_in(tab, base, ADMIN, PASSWORD)
        for url in pages(api.client.app, api.ids):
            tab.goto(f"{base}{url}")
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at 390px"
        shoot(tab, "phone-objective")
    finally:
        context.close()
