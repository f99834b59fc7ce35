"""The cycle report from the cycles page in a real browser: the links read well in Dutch and English and on a phone,
the HTML report opens in the browser and a PDF downloads."""

from __future__ import annotations

from typing import Any

from koers.services.demo import DEMO_ADMIN_PASSWORD
from tests.e2e.browser.conftest import ARTIFACTS, log_in, shoot

ADMIN = "sanne.dekker@onderdelen.example"


def _fits(tab: Any) -> bool:
    """No horizontal scrolling: the page is no wider than the viewport."""
    return bool(tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_the_cycles_page_offers_each_cycles_report(page, demo_site):
    _api, base = demo_site
    log_in(page, base, ADMIN, DEMO_ADMIN_PASSWORD)
    page.goto(f"{base}/cycles")
    first = page.locator("section.cycle").first
    report = first.locator(".cycle-report")
    assert report.locator("h3").inner_text().startswith("Rapport van ")
    assert report.locator(".report-links a").all_inner_texts() == ["Webpagina (HTML)", "PDF", "Excel (XLSX)", "CSV"]
    report.scroll_into_view_if_needed()
    shoot(page, "cycle-report-links-nl")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _fits(page)
    shoot(page, "cycle-report-links-390-nl")
    page.click("button:has-text('English')")
    page.wait_for_load_state()
    assert page.locator("section.cycle .cycle-report h3").first.inner_text().startswith("Report of ")
    assert _fits(page)
    shoot(page, "cycle-report-links-390-en")
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "cycle-report-links-en")

    with page.expect_download() as pdf:
        page.locator("section.cycle").first.locator(".report-links a", has_text="PDF").click()
    saved = ARTIFACTS / "cycle-report-download.pdf"
    pdf.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF") and pdf.value.suggested_filename.endswith(".pdf")
    saved.unlink()

    first = page.locator("section.cycle").first
    first.locator(".report-form select[name=format]").select_option("html")
    first.locator(".report-form button").click()
    page.wait_for_load_state()
    assert "/report?" in page.url and "team_id=" in page.url
    assert page.locator("h1").count() >= 1
    shoot(page, "cycle-report-team-html-en")

    page.goto(f"{base}/cycles")
    quarter = page.locator("section.cycle", has=page.locator("h2", has_text="2026-Q4"))
    quarter.locator(".report-links a").first.click()
    page.wait_for_load_state()
    assert page.locator("svg").count() >= 1  # charts, inline
    shoot(page, "cycle-report-html-en")
