"""The pygal charts in a real browser: drawn styled under the pages' strict CSP, with no violation reported, in Dutch
and English, on a laptop and a phone."""

from __future__ import annotations

import re
from typing import Any

from koers.services.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.e2e.browser.conftest import log_in, shoot


def _watch(tab: Any) -> list[str]:
    """Console errors and CSP violations the page reports (a blocked inline style or script shows here)."""
    problems: list[str] = []
    tab.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    tab.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP ' + e.violatedDirective));"
    )
    return problems


def _chart_is_drawn(tab: Any, selector: str) -> None:
    chart = tab.locator(selector).first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 250 and box["height"] > 150, box
    # presentation attributes, not a <style>, give the lines their colour: the browser computes them under the CSP
    stroke = tab.evaluate(
        f"getComputedStyle(document.querySelector('{selector} g.values path')).stroke"  # the values' line
    )
    assert stroke == "rgb(11, 92, 173)", stroke
    assert tab.locator(f"{selector} g.axis.x text").count() >= 3  # dates on the x axis
    assert tab.locator(f"{selector} g.axis.y text").count() >= 2  # values on the y axis


def test_objective_and_kpi_charts_render_under_the_csp_in_both_languages(browser, demo_site):
    api, base = demo_site
    objective = api.ids["objective"]
    for language, width in (("nl", 1280), ("en", 1280), ("nl", 390), ("en", 390)):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL", is_mobile=width < 500)
        tab = context.new_page()
        problems = _watch(tab)
        try:
            log_in(tab, base, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
            if tab.locator("html").get_attribute("lang") != language:  # the choice is kept on the account
                tab.click("button:has-text('English')" if language == "en" else "button:has-text('Nederlands')")
                tab.wait_for_load_state()
            response = tab.goto(f"{base}/objectives/{objective}")
            assert "style-src 'self'" in response.headers["content-security-policy"]
            assert tab.locator("svg.koers-chart script, svg.koers-chart style").count() == 0
            _chart_is_drawn(tab, "svg.koers-chart")
            label = tab.locator("svg.koers-chart").first.get_attribute("aria-label")
            assert label.startswith("Verloop van" if language == "nl" else "History of"), label
            desc = tab.locator("svg.koers-chart desc").first.text_content() or ""
            assert re.search(r"streefwaarde|target", desc), desc
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"the objective page scrolls sideways by {overflow}px at {width}px"
            shoot(tab, f"chart-objective-{language}-{width}")

            kpi = tab.locator("a[href^='/kpis/']").first.get_attribute("href")
            tab.goto(f"{base}{kpi}")
            _chart_is_drawn(tab, "svg.koers-chart")
            shoot(tab, f"chart-kpi-{language}-{width}")
            assert problems == [], problems
        finally:
            context.close()
