"""The management team before a quarterly review, in a real browser: what changed, the teams, the alignment map,
KPI values entered on the web, and printing. Dutch and English, laptop and phone width; screenshots in
tests/artifacts/management/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from koers.services.demo import DEMO_ADMIN_PASSWORD
from tests.e2e.browser.conftest import log_in

DIRECTOR = "sanne.dekker@onderdelen.example"  # admin, the management team
TEAM_LEAD = "youssef.elamrani@onderdelen.example"  # Klantenservice
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "management"


def shoot(tab: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(tab: Any) -> bool:
    """No horizontal scrolling of the page itself."""
    return bool(tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _english(tab: Any) -> None:
    tab.click("button:has-text('English')")
    tab.wait_for_load_state()


def _phone(tab: Any) -> None:
    tab.set_viewport_size({"width": 390, "height": 844})


def test_what_changed_and_the_teams_in_both_languages_and_on_a_phone(page, demo_site):
    _api, base = demo_site
    log_in(page, base, DIRECTOR, DEMO_ADMIN_PASSWORD)
    page.click("nav.main a:has-text('Wat is er veranderd')")
    page.wait_for_url(f"{base}/changes")
    assert page.locator("h1").inner_text() == "Wat is er veranderd"
    assert page.locator("#since option[selected]").inner_text().endswith("(deze week)")
    shoot(page, "changes-nl")
    page.click("a:has-text('Vorige week')")
    assert "since=" in page.url
    assert page.locator("ul.check-ins > li").count() >= 1  # the demo checks in every week
    assert page.locator(".delta").count() >= 1
    shoot(page, "changes-previous-week-nl")
    _phone(page)
    assert _fits(page)
    shoot(page, "changes-390-nl")
    _english(page)
    assert page.locator("h1").inner_text() == "What changed"
    shoot(page, "changes-390-en")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/teams")
    assert page.locator("h1").inner_text() == "Teams"
    rows = page.locator("table.rollup tbody tr")
    assert rows.count() >= 3
    assert "Whole organisation" in rows.first.inner_text()
    shoot(page, "teams-en")
    _phone(page)
    assert _fits(page)
    shoot(page, "teams-390-en")
    _english_back = page.locator("button:has-text('Nederlands')")
    _english_back.click()
    page.wait_for_load_state()
    assert page.locator("th", has_text="Gemiddelde score").count() == 1
    shoot(page, "teams-390-nl")


def test_the_alignment_map_beside_the_list_links_each_objective(page, demo_site):
    _api, base = demo_site
    log_in(page, base, DIRECTOR, DEMO_ADMIN_PASSWORD)
    page.goto(f"{base}/organisation")
    nodes = page.locator("svg.alignment-map a.node")
    listed = page.locator("#tree > ul a.node-title")
    assert nodes.count() == listed.count() >= 3  # every objective of the list is on the map
    assert page.locator("svg.alignment-map").get_attribute("aria-labelledby") == "alignment-map-title"
    shoot(page, "map-nl")
    first = nodes.first.get_attribute("href")
    nodes.first.click()
    page.wait_for_url(f"{base}{first}")
    page.go_back()
    _phone(page)
    page.goto(f"{base}/organisation")
    assert _fits(page)  # the page does not scroll sideways; the map does, inside its frame
    box = page.locator("svg.alignment-map text").first.bounding_box()
    assert box is not None and box["height"] >= 11  # text drawn at its size, not shrunk to fit 390 px
    shoot(page, "map-390-nl")
    _english(page)
    assert page.locator("details.alignment-map-card summary").inner_text() == "Map"
    shoot(page, "map-390-en")


def test_a_kpi_value_is_entered_on_the_board_and_on_its_page(page, demo_site):
    _api, base = demo_site
    log_in(page, base, TEAM_LEAD, DEMO_ADMIN_PASSWORD)
    page.goto(f"{base}/kpis")
    card = page.locator("li.kpi-card", has=page.locator("form.kpi-entry")).first
    name = card.locator("h2").inner_text()
    card.locator("input[name=value]").fill("zeven")
    card.locator("button:has-text('Waarde opslaan')").click()
    page.wait_for_load_state()
    wrong = page.locator("li.kpi-card", has_text=name)
    assert wrong.locator("input[name=value]").input_value() == "zeven"  # what was typed stays
    assert wrong.locator(".field-error").count() == 1
    shoot(page, "kpi-board-error-nl")
    wrong.locator("input[name=value]").fill("6,5")
    wrong.locator("button:has-text('Waarde opslaan')").click()
    page.wait_for_load_state()
    saved = page.locator("li.kpi-card", has_text=name)
    assert "6,5" in saved.locator(".big").inner_text()
    assert saved.locator(".notice").count() == 1
    _phone(page)
    assert _fits(page)
    shoot(page, "kpi-board-390-nl")

    page.set_viewport_size({"width": 1280, "height": 900})
    saved.locator("h2 a").click()
    page.wait_for_load_state()
    page.fill("input[name=value]", "6.25")  # an English decimal point in Dutch: a grouping, refused or read?
    page.fill("input[name=note]", "na de actie")
    _english(page)
    page.fill("input[name=value]", "7.25")
    page.fill("input[name=note]", "after the campaign")
    page.click("button:has-text('Save value')")
    page.wait_for_load_state()
    assert "7.25" in page.locator(".summary .big").inner_text()
    assert page.locator(".summary .notice").count() == 1
    assert page.locator("svg.koers-chart").count() == 1
    shoot(page, "kpi-page-en")
    _phone(page)
    assert _fits(page)
    shoot(page, "kpi-page-390-en")


def test_printing_shows_the_content_not_the_menu_filters_and_buttons(page, demo_site):
    _api, base = demo_site
    log_in(page, base, DIRECTOR, DEMO_ADMIN_PASSWORD)
    for path, name in (
        ("/changes", "changes"),
        ("/teams", "teams"),
        ("/organisation", "organisation"),
        ("/kpis", "kpis"),
    ):
        page.goto(f"{base}{path}")
        page.emulate_media(media="print")
        assert not page.locator("nav.main").is_visible()
        assert not page.locator("header .tools").is_visible()
        for selector in ("form.filters", "form.kpi-entry", "button", "a.button"):
            shown = [e for e in page.locator(selector).all() if e.is_visible()]
            assert shown == [], f"{selector} prints on {path}"
        assert page.locator("h1").is_visible()
        shoot(page, f"print-{name}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(SHOTS / f"print-{name}.pdf"), format="A4")
        page.emulate_media(media="screen")
        assert page.locator("nav.main").is_visible()
