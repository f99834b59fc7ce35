"""The XSS corpus in a real browser: no payload runs on any page."""

from __future__ import annotations

from tests.e2e.test_web_security import plant_payloads
from tests.e2e.web_pages import pages


def test_payloads_stay_inert_in_a_real_browser(browser, sqlite_url):
    from tests.e2e.api_support import ADMIN, OWNING_TEAM_MEMBER, PASSWORD, live_server, make_api
    from tests.e2e.browser.conftest import log_in

    api = make_api(sqlite_url)
    ids = plant_payloads(api)
    dialogs: list[str] = []
    with live_server(api) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for email in (ADMIN, OWNING_TEAM_MEMBER):
            tab.context.clear_cookies()
            log_in(tab, base, email, PASSWORD)
            for url in pages(api.client.app, ids):
                tab.goto(f"{base}{url}")
                tab.wait_for_load_state("networkidle")
                clickable = tab.locator("#xss-click")
                if clickable.count():
                    clickable.first.click()
                assert tab.evaluate("window.__xss === undefined"), f"a payload ran on {url} for {email}"
        context.close()
    assert dialogs == []
    api.koers.engine.dispose()
