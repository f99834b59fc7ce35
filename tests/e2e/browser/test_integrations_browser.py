"""Issue 11 in Chromium, in Dutch and English, at laptop width and 390 px: an admin adds a webhook and reads its
delivery log, a lead sets the team's reminder moment, and a person checks in through a one-click link (once).
Screenshots go to tests/artifacts/integrations/."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from koers.services import organisation as org
from koers.services import reminders, webhooks
from koers.web.session import LANGUAGE_COOKIE, SESSION_COOKIE
from tests import builders as b

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "integrations"
SIZES = {"desktop": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


def _tab(browser: Any, base: str, size: str, lang: str, session: str | None) -> Any:
    context = browser.new_context(viewport=SIZES[size], locale="nl-NL" if lang == "nl" else "en-GB")
    cookies = [{"name": LANGUAGE_COOKIE, "value": lang, "url": base}]
    if session:
        cookies.append({"name": SESSION_COOKIE, "value": session, "url": base})
    context.add_cookies(cookies)
    return context.new_page()


def _shoot(tab: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _as(api: Any, caller: str, lang: str) -> str:
    with api.koers.uow() as uow:
        user = uow.users.get(api.ids[f"{caller}_user"] if caller != "admin" else api.ids["admin"])
        user.locale = lang
        uow.users.update(user)
    return api.sessions[caller][0]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("size", ["desktop", "390"])
def test_an_admin_adds_a_webhook_and_reads_its_delivery_log(browser, site, lang, size):
    api, base = site
    api.koers.settings = replace(api.koers.settings, secret_key="k" * 40)
    tab = _tab(browser, base, size, lang, _as(api, "admin", lang))
    tab.goto(f"{base}/admin/webhooks")
    tab.fill("#f-url", "https://hooks.example.org/koers-check-ins")
    tab.select_option("#f-events", ["check_in.recorded", "key_result.status_changed"])
    tab.select_option("#f-format", "slack")
    tab.fill("#f-secret", "s3cret")
    tab.click("form.editor button")
    assert "/admin/webhooks/" in tab.url
    # a check-in makes a delivery; one failed attempt shows in the log
    with api.koers.uow(actor=None) as uow:
        from koers.services.check_ins import record_check_in

        record_check_in(uow, api.ids["key_result"], 7.5, "on_track", author_id=api.ids["owner"])
    webhooks.deliver_due(
        api.koers.uow, datetime.now(UTC) + timedelta(seconds=1), secret_key="k" * 40, send=lambda *a: 503
    )
    tab.reload()
    assert tab.locator("table.deliveries tbody tr").count() == 2
    assert "HTTP 503" in tab.inner_text("table.deliveries")
    _shoot(tab, f"webhook-log-{lang}-{size}")
    tab.goto(f"{base}/admin/webhooks")
    assert "s3cret" not in tab.content()
    _shoot(tab, f"webhooks-{lang}-{size}")
    tab.context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("size", ["desktop", "390"])
def test_a_lead_sets_the_reminder_moment_and_a_person_their_mail_choice(browser, site, lang, size):
    api, base = site
    tab = _tab(browser, base, size, lang, _as(api, "owner", lang))
    tab.goto(f"{base}/teams/{api.ids['owner_team']}/reminders")
    tab.select_option("#f-weekday", "3")
    tab.select_option("#f-hour", "16")
    tab.click("form.editor button")
    assert tab.locator(".notice").count() == 1
    _shoot(tab, f"team-reminders-{lang}-{size}")
    with api.koers.uow(read_only=True) as uow:
        assert reminders.team_reminder(uow, api.ids["owner_team"])["hour"] == 16
    tab.goto(f"{base}/profile/notifications")
    tab.select_option("#f-mail", "per_team")
    tab.fill("#f-slack_user_id", "U0OLIVIA")
    tab.click("form.editor button")
    _shoot(tab, f"mail-and-chat-{lang}-{size}")
    with api.koers.uow(read_only=True) as uow:
        assert reminders.preferences(uow, api.ids["owner"])["slack_user_id"] == "U0OLIVIA"
    tab.context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("size", ["desktop", "390"])
def test_a_one_click_link_records_a_check_in_once(browser, site, lang, size):
    api, base = site
    _as(api, "owner", lang)
    with api.koers.uow() as uow:
        started = date.today() - timedelta(days=40)
        cycle = org.create_cycle(uow, "Reminder cycle", started, started + timedelta(days=120))
        objective = b.objective(uow, cycle.id or 0, "Answer faster", team_id=api.ids["owner_team"])
        kr = b.key_result(
            uow, objective.id or 0, title="Answers within a day from 40% to 80%", baseline=40, target=80, unit="%",
            owner_id=api.ids["owner"],
        )  # fmt: skip
        token = reminders.create_link(uow, api.ids["owner"], kr.id or 0, datetime.now(UTC))
    tab = _tab(browser, base, size, lang, None)  # no login: the link is the credential
    tab.goto(f"{base}/c/{token}")
    _shoot(tab, f"one-click-form-{lang}-{size}")
    tab.fill("#f-value", "55")
    tab.select_option("#f-confidence", "on_track")
    tab.click("form.editor button")
    _shoot(tab, f"one-click-saved-{lang}-{size}")
    tab.goto(f"{base}/c/{token}")
    assert tab.locator("h1").inner_text() in ("Deze link is al gebruikt", "This link has been used")
    _shoot(tab, f"one-click-used-{lang}-{size}")
    with api.koers.uow(read_only=True) as uow:
        assert [c.value for c in uow.check_ins.list(key_result_id=kr.id)] == [55.0]
    tab.context.close()
