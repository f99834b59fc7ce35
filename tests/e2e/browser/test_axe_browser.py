"""Every page against the standard checker: axe-core's WCAG 2.2 AA rules in Chromium, in Dutch and in English.

The pages come from the app's own route list (tests.e2e.web_pages), filled in with the records of a populated
organisation, so a page added later is checked without touching this test. An admin opens every page; a team member
opens every page a member may open (their own week, their own tokens...). axe-core is vendored for the tests only
(tests/e2e/browser/vendor, with its licence), checked against its recorded hash, and injected as an init script (the
pages' Content-Security-Policy allows no inline script, and an init script is not subject to it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from koers.services import reminders, webhooks
from koers.services.check_ins import record_check_in
from koers.web.session import SESSION_COOKIE
from tests.e2e.api_support import Api, live_server, make_api
from tests.e2e.test_web_queries import _ids
from tests.e2e.web_pages import RECORD_OF_PREFIX, fill, pages, web_routes

VENDOR = Path(__file__).with_name("vendor")
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # axe-core 4.14.1, see vendor/README
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN = "async (tags) => JSON.stringify((await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations)"
REPORT = Path(__file__).resolve().parents[2] / "artifacts" / "dutch" / "axe.json"


def axe_source() -> str:
    source = (VENDOR / "axe.min.js").read_bytes()
    assert hashlib.sha256(source).hexdigest() == AXE_SHA256, "vendor/axe.min.js is not the recorded axe-core 4.14.1"
    return source.decode()


def record_pages(api: Api) -> list[str]:
    """The pages web_pages.NOT_PAGES leaves out, about records made here: a webhook with a failed delivery in its log
    (builders.organisation has none) and a one-click check-in link (/c/{token}: its token is a secret, made through
    services.reminders; opening the form does not use it up)."""
    with api.koers.uow(read_only=True) as uow:
        admin = uow.users.get(api.ids["admin"])
    with api.koers.uow(actor=admin) as uow:
        hook = webhooks.create_webhook(uow, "https://hooks.example.org/koers", ["check_in.recorded"], format="slack")
    with api.koers.uow() as uow:
        record_check_in(uow, api.ids["key_result"], 7.5, "on_track", author_id=api.ids["owner_user"])
        token = reminders.create_link(uow, api.ids["owner_user"], api.ids["key_result"], datetime.now(UTC))
    # no scheduler runs in the tests: the delivery is attempted here, against no receiver (nothing leaves the host)
    webhooks.deliver_due(api.koers.uow, datetime.now(UTC) + timedelta(seconds=1), secret_key="", send=lambda *a: 503)
    return [f"/admin/webhooks/{hook.id}", f"/c/{token}"]


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, str, list[str]]]:
    """builders.organisation on a real server, with check-ins so that scores, charts and histories show, and the
    pages about records it has none of."""
    api = make_api(f"sqlite:///{tmp_path_factory.mktemp('axe') / 'koers.db'}")
    with live_server(api) as base:
        yield api, base, record_pages(api)
    api.client.close()
    api.koers.engine.dispose()


def violations_on(
    browser: Any, api: Api, base: str, caller: str, lang: str, width: int, extra: list[str]
) -> dict[str, list[str]]:
    """url -> the violated rules (rule id, impact, target, a short summary) on every page the caller may open."""
    user = {"admin": api.ids["admin"], "owner": api.ids["owner_user"]}[caller]
    with api.koers.uow() as uow:
        uow.users.set_fields(user, locale=lang)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=f"{lang}-NL")
    context.add_init_script(script=axe_source())
    context.add_cookies([{"name": SESSION_COOKIE, "value": api.sessions[caller][0], "url": base}])
    tab = context.new_page()
    found: dict[str, list[str]] = {}
    opened = 0
    # pages about a kind of record the path filler does not know (it puts in id 1): listed, not failed, here
    unknown_records = {
        fill(path, {})
        for path in web_routes(api.client.app, "GET")
        if any(
            segment.startswith("{") and (i == 0 or path.strip("/").split("/")[i - 1] not in RECORD_OF_PREFIX)
            for i, segment in enumerate(path.strip("/").split("/"))
        )
    }
    try:
        for url in pages(api.client.app, _ids(api)) + extra:
            response = tab.goto(f"{base}{url}")
            status = response.status if response else 0
            if caller != "admin" and status in (403, 404):
                continue  # not a member's page (an admin page, another team's record): the admin round covers it
            if status == 404 and url in unknown_records:
                found.setdefault(url, []).append("not checked: no record of this kind in builders.organisation")
                continue
            if status != 200:
                found.setdefault(url, []).append(f"status {status}: the page did not open")
                continue
            opened += 1
            for violation in json.loads(tab.evaluate(RUN, TAGS)):
                for node in violation["nodes"]:
                    summary = node.get("failureSummary", "").splitlines()[-1].strip()
                    target = " ".join(str(t) for t in node["target"])
                    found.setdefault(url, []).append(f"{violation['id']} ({violation['impact']}) {target}: {summary}")
        if caller == "owner":
            assert opened >= 10, "a member opens most pages"
    finally:
        context.close()
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_passes_axe_wcag22_aa_for_an_admin_and_a_member(browser, populated, lang):
    api, base, extra = populated
    report: dict[str, dict[str, list[str]]] = {}
    for caller, width in (("admin", 1280), ("owner", 1280), ("admin", 390)):
        report[f"{caller} {width}px"] = violations_on(browser, api, base, caller, lang, width, extra)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.with_name(f"axe-{lang}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    failing = {
        who: {url: v for url, v in found.items() if not v[0].startswith("not checked")} for who, found in report.items()
    }
    assert {who: found for who, found in failing.items() if found} == {}
