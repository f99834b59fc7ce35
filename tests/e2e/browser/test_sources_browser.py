"""The data-source panel in Chromium, as an owner of the KPI would use it: configure a push source (token shown
once), try an HTTP JSON source against a loopback server, see the last runs; Dutch and English, desktop and 390 px.
Screenshots in tests/artifacts/integrations/."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from koers.services import sources
from koers.web.session import SESSION_COOKIE
from tests.loopback import loopback_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "integrations"

KEY = "browser secret key of at least 32 characters"  # KOERS_SECRET_KEY: at least 32 characters


@pytest.mark.parametrize(("lang", "width"), [("nl", 1280), ("en", 1280), ("nl", 390), ("en", 390)])
def test_an_owner_configures_and_tries_a_source_on_the_kpi_page(browser: Any, site: Any, lang: str, width: int) -> None:
    api, base = site
    api.koers.settings = replace(api.koers.settings, secret_key=KEY, allow_private_networks=True)
    kpi = api.ids["kpi"]
    with api.koers.uow() as uow:
        uow.users.set_fields(api.ids["owner_user"], locale=lang)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=f"{lang}-NL")
    context.add_cookies([{"name": SESSION_COOKIE, "value": api.sessions["owner"][0], "url": base}])
    tab = context.new_page()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        with loopback_server(
            lambda m, p, b: (200, {"Content-Type": "application/json"}, b'{"data": {"nps": 71.5}}')
        ) as (
            bi,
            seen,
        ):
            tab.goto(f"{base}/kpis/{kpi}")
            tab.click(f"a[href='/kpis/{kpi}/source']")
            assert tab.url.endswith(f"/kpis/{kpi}/source")
            tab.select_option("#f-kind", "http_json")
            tab.fill("#f-url", f"{bi}/nps")
            tab.fill("#f-selector", "$.data.nps")
            tab.fill("#f-headers", "Authorization: Bearer geheim")
            tab.fill("#f-every", "15m")
            with tab.expect_navigation():
                tab.click("button[formaction$='/dry-run']")
            problem = tab.locator("p.problem").all_inner_texts()
            assert not problem, problem
            notice = tab.locator("p.notice[role=status]").inner_text()
            assert ("71,5" if lang == "nl" else "71.5") in notice
            assert seen.requests and seen.requests[0][2]["Authorization"] == "Bearer geheim"
            with tab.expect_navigation():
                tab.click("form.source-form button:not([formaction])")
            assert tab.url.endswith("/source?saved=1")
            assert "geheim" not in tab.content() and "***" in tab.input_value("#f-headers")
            sources.sync_sources(api.koers.uow, datetime.now(UTC), api.koers.settings)
            tab.reload()
            assert tab.locator("table.runs tbody tr").count() == 1
            tab.screenshot(path=str(ARTIFACTS / f"source-panel-{lang}-{width}.png"), full_page=True)
            tab.goto(f"{base}/kpis/{kpi}")
            assert "nps" in tab.locator(".provenance").inner_text()
            tab.screenshot(path=str(ARTIFACTS / f"kpi-page-provenance-{lang}-{width}.png"), full_page=True)
        # push: the token is shown once, on the answer to saving
        tab.goto(f"{base}/key-results/{api.ids['key_result']}/source")
        tab.select_option("#f-kind", "push")
        with tab.expect_navigation():
            tab.click("form.source-form button:not([formaction])")
        token = tab.locator("code.secret").inner_text()
        assert len(token) >= 43
        tab.screenshot(path=str(ARTIFACTS / f"push-token-{lang}-{width}.png"), full_page=True)
        tab.goto(f"{base}/key-results/{api.ids['key_result']}/source")
        assert token not in tab.content()
    finally:
        context.close()
