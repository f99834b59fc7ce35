"""What needs attention, calibration and ambition in a real browser: Dutch and English, laptop and phone width."""

from __future__ import annotations

from typing import Any

from koers.services.demo import DEMO_ADMIN_PASSWORD
from tests.e2e.browser.conftest import log_in, shoot

TEAM_LEAD = "youssef.elamrani@onderdelen.example"  # leads Klantenservice in the demo


def _fits(tab: Any) -> bool:
    """No horizontal scrolling: the page is no wider than the viewport."""
    return bool(tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _english(tab: Any) -> None:
    tab.click("button:has-text('English')")
    tab.wait_for_load_state()


def test_a_team_lead_sees_what_needs_attention_first_in_my_week(page, demo_site):
    _api, base = demo_site
    log_in(page, base, TEAM_LEAD, DEMO_ADMIN_PASSWORD)
    first = page.locator("main section").first
    assert first.locator("h2").inner_text() == "Vraagt aandacht in Klantenservice"
    shoot(page, "attention-week-nl")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _fits(page)
    shoot(page, "attention-week-390-nl")
    _english(page)
    assert page.locator("main section").first.locator("h2").inner_text() == "Needs attention in Klantenservice"
    shoot(page, "attention-week-390-en")


def test_the_attention_calibration_and_ambition_pages(page, demo_site):
    _api, base = demo_site
    log_in(page, base, "sanne.dekker@onderdelen.example", DEMO_ADMIN_PASSWORD)
    page.goto(f"{base}/attention")
    assert page.locator("h1").inner_text() == "Vraagt aandacht"
    assert page.locator("h2", has_text="Hele organisatie").count() == 1
    badges = page.locator(".attention-list .badge").all_inner_texts()
    assert badges and not any("_" in text for text in badges)  # translated words, never codes
    shoot(page, "attention-page-nl")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _fits(page)
    shoot(page, "attention-page-390-nl")

    page.goto(f"{base}/calibration")
    assert page.locator("h1").inner_text() == "Kalibratie van inschattingen"
    assert page.locator("figure.chart svg").count() == 1
    assert _fits(page)
    shoot(page, "calibration-390-nl")
    page.goto(f"{base}/ambition")
    assert page.locator("h1").inner_text() == "Ambitie over de cycli"
    assert _fits(page)
    shoot(page, "ambition-390-nl")

    page.set_viewport_size({"width": 1280, "height": 900})
    _english(page)
    page.goto(f"{base}/calibration")
    assert page.locator("h1").inner_text() == "Confidence calibration"
    shoot(page, "calibration-en")
    page.goto(f"{base}/ambition")
    shoot(page, "ambition-en")
    page.goto(f"{base}/attention")
    shoot(page, "attention-page-en")


def test_a_team_lead_names_a_guardrail_kpi(page, demo_site):
    api, base = demo_site
    log_in(page, base, TEAM_LEAD, DEMO_ADMIN_PASSWORD)
    kr = api.ids["key_result"]
    page.goto(f"{base}/objectives/{api.ids['objective']}")
    page.click(f"#kr-{kr} a:has-text('Vangrails')")
    assert page.locator("h1").inner_text() == "Vangrails"
    box = page.locator("input[name=kpi_id]").first
    box.check()
    page.set_viewport_size({"width": 390, "height": 844})
    assert _fits(page)
    shoot(page, "guardrails-390-nl")
    page.click("button:has-text('Vangrails opslaan')")
    page.wait_for_url(f"{base}/objectives/{api.ids['objective']}#kr-{kr}")
    page.goto(f"{base}/key-results/{kr}/guardrails")
    assert page.locator("input[name=kpi_id]").first.is_checked()
