"""The what-if, the retrospective and the close flow in a real browser, in Dutch and English and at phone width."""

from __future__ import annotations

from typing import Any

from tests.e2e.api_support import ADMIN, OWNING_TEAM_MEMBER, PASSWORD
from tests.e2e.browser.conftest import log_in, shoot


def _english(tab: Any) -> None:
    tab.click("button:has-text('English')")
    tab.wait_for_load_state()


def _what_if(tab: Any, kr_id: int, value: str, button: str) -> Any:
    """Open the key result's what-if, try a value and wait for the answer swapped in by htmx."""
    box = tab.locator(f"#what-if-{kr_id}")
    box.locator("summary").click()
    box.locator("input[name=value]").fill(value)
    url = tab.url
    box.locator(f"button:has-text('{button}')").click()
    answer = tab.locator(f"#what-if-{kr_id} [role=status]")
    answer.wait_for()
    assert tab.url == url  # in place, no page load
    return answer


def test_what_if_and_retrospective_on_the_objective_page(page, site):
    api, base = site
    log_in(page, base, OWNING_TEAM_MEMBER, PASSWORD)
    page.goto(f"{base}/objectives/{api.ids['objective']}")
    # Cancellations 10 → 5 %, now 8.6 (its KPI): (10 − 8.6)/5 = 0.28 → 28,0; at 6: (10 − 6)/5 = 0.8 → 80,0
    answer = _what_if(page, api.ids["key_result"], "6", "Toon de scores")
    text = answer.inner_text()
    assert "Dit kernresultaat" in text and "28,0 → 80,0" in text and "Er is niets opgeslagen" in text
    page.locator(f"#what-if-{api.ids['key_result']}").scroll_into_view_if_needed()
    shoot(page, "whatif-objective-nl")

    page.goto(f"{base}/objectives/{api.ids['too_easy_objective']}")  # in the closed quarter
    page.fill("#retrospective-text", "De lat lag te laag: volgende cyclus mikken we hoger.")
    page.click("button:has-text('Lessen opslaan')")
    page.wait_for_load_state()
    assert page.locator("#retrospective-text").input_value().startswith("De lat lag te laag")
    shoot(page, "retrospective-closed-nl")

    _english(page)
    page.goto(f"{base}/objectives/{api.ids['objective']}")
    answer = _what_if(page, api.ids["key_result"], "6.5", "Show the scores")
    assert "This key result" in answer.inner_text() and "28.0 → 70.0" in answer.inner_text()
    shoot(page, "whatif-objective-en")
    page.goto(f"{base}/objectives/{api.ids['too_easy_objective']}")
    assert page.locator("h2:has-text('What we learned')").is_visible()
    shoot(page, "retrospective-closed-en")


def test_the_close_flow_shows_grades_and_offers_carry_over(page, site):
    api, base = site
    log_in(page, base, ADMIN, PASSWORD)
    page.goto(f"{base}/cycles")
    closed = page.locator(f"#cycle-{api.ids['closed_cycle']}")
    assert closed.locator("button:has-text('Meenemen naar')").count() == 1  # only the unfinished objective
    quarter = page.locator(f"#cycle-{api.ids['cycle']}")
    quarter.locator("summary:has-text('Cyclus afsluiten')").click()
    assert quarter.locator("h3:has-text('Als je nu afsluit')").is_visible()
    shoot(page, "close-flow-nl")
    closed.locator("button:has-text('Meenemen naar')").click()
    page.wait_for_load_state()
    assert "meegenomen uit" in page.locator("p.meta").first.inner_text()
    shoot(page, "carried-over-copy-nl")
    _english(page)
    page.goto(f"{base}/cycles")
    page.locator(f"#cycle-{api.ids['cycle']} summary").click()
    assert page.locator(f"#cycle-{api.ids['closed_cycle']} a:has-text('carried over')").count() == 1
    shoot(page, "close-flow-en")


def test_the_close_flow_and_what_if_at_phone_width(browser, site):
    api, base = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="nl-NL")
    tab = context.new_page()
    try:
        log_in(tab, base, ADMIN, PASSWORD)
        tab.goto(f"{base}/objectives/{api.ids['objective']}")
        _what_if(tab, api.ids["key_result"], "6", "Toon de scores")
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the objective page scrolls sideways ({width}px)"
        shoot(tab, "phone-whatif-objective")
        tab.goto(f"{base}/cycles")
        tab.locator(f"#cycle-{api.ids['cycle']} summary").click()
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the cycles page scrolls sideways ({width}px)"
        shoot(tab, "phone-close-flow")
    finally:
        context.close()
