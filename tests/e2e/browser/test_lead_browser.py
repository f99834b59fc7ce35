"""A team lead in Chromium: the login language, a KPI made from the key-result form without leaving it, and next
quarter's objective with three key results, a KPI and an initiative (clicks and page loads counted)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.api_support import OWNING_TEAM_MEMBER, PASSWORD

LEAD = Path(__file__).resolve().parents[2] / "artifacts" / "lead"
SIZES = {"desktop": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
WORDS = {
    "nl": {"new_kpi": "Nieuwe KPI…", "create": "KPI aanmaken en koppelen", "save": "Opslaan", "log_in": "Inloggen"},
    "en": {"new_kpi": "New KPI…", "create": "Create KPI and link it", "save": "Save", "log_in": "Log in"},
}


class Person:
    """A browser tab whose clicks and page loads are counted, as a person would count them."""

    def __init__(self, tab: Any) -> None:
        self.tab, self.clicks, self.loads = tab, 0, 0
        tab.on("load", lambda _page: self._loaded())

    def _loaded(self) -> None:
        self.loads += 1

    def click(self, selector: str) -> None:
        self.clicks += 1
        self.tab.click(selector)
        self.tab.wait_for_load_state()

    def shoot(self, name: str) -> None:
        LEAD.mkdir(parents=True, exist_ok=True)
        self.tab.screenshot(path=str(LEAD / f"{name}.png"), full_page=True)


def _tab(browser: Any, size: str) -> Any:
    return browser.new_context(viewport=SIZES[size], locale="nl-NL").new_page()


def _log_in(person: Person, base: str, lang: str, next_path: str = "/week") -> None:
    person.tab.goto(f"{base}/login?next={next_path}")
    person.loads = 1
    if lang == "en":
        person.click("a.lang[lang=en]")
    person.tab.fill("#email", OWNING_TEAM_MEMBER)
    person.tab.fill("#password", PASSWORD)
    person.click(f"button:has-text('{WORDS[lang]['log_in']}')")


@pytest.mark.parametrize("size", ["desktop", "390"])
def test_the_language_picked_on_the_login_page_stays_after_logging_in(browser, site, size):
    _api, base = site
    person = Person(_tab(browser, size))
    person.tab.goto(f"{base}/login")
    person.click("a.lang[lang=en]")
    assert person.tab.locator("html").get_attribute("lang") == "en"
    person.shoot(f"login-en-{size}")
    person.tab.fill("#email", OWNING_TEAM_MEMBER)
    person.tab.fill("#password", PASSWORD)
    person.click("button:has-text('Log in')")
    person.tab.wait_for_url(f"{base}/week")
    assert person.tab.locator("html").get_attribute("lang") == "en"
    assert person.tab.locator("nav.main").inner_text().startswith("My week")
    person.shoot(f"after-login-en-{size}")
    person.tab.context.close()


@pytest.mark.parametrize("size", ["desktop", "390"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_kpi_is_made_and_linked_from_the_key_result_form_without_leaving_it(browser, site, lang, size):
    api, base = site
    words = WORDS[lang]
    person = Person(_tab(browser, size))
    new = f"/objectives/{api.ids['objective']}/key-results/new"
    _log_in(person, base, lang, new)
    person.tab.wait_for_url(f"{base}{new}")
    person.tab.fill("#f-title", "Repeat orders from 20% to 30%" if lang == "en" else "Herhaalaankopen van 20% naar 30%")
    person.tab.fill("#f-baseline", "20")
    person.tab.fill("#f-target", "30")
    loads = person.loads
    person.click(f"summary:has-text('{words['new_kpi']}')")
    person.tab.fill("#f-kpi_name", "Repeat orders")
    person.tab.fill("#f-kpi_unit", "%")
    person.tab.fill("#f-kpi_green_at", "20")  # red above green while higher is better: refused, kept, explained
    person.tab.fill("#f-kpi_red_at", "30")
    person.click(f"button:has-text('{words['create']}')")
    person.tab.wait_for_selector("#f-kpi_red_at[aria-invalid=true], #f-kpi_green_at[aria-invalid=true]")
    assert person.tab.input_value("#f-kpi_name") == "Repeat orders" and person.tab.input_value("#f-title")
    person.shoot(f"kpi-inline-error-{lang}-{size}")
    person.tab.fill("#f-kpi_green_at", "30")
    person.tab.fill("#f-kpi_red_at", "20")
    person.click(f"button:has-text('{words['create']}')")
    person.tab.wait_for_selector("#kpi-link .notice")
    assert person.loads == loads, "making the KPI must not load another page"
    with api.koers.uow(read_only=True) as uow:
        made = next(k for k in uow.kpis.list() if k.name == "Repeat orders")
    assert person.tab.input_value("#f-kpi_id") == str(made.id)
    assert person.tab.input_value("#f-title")  # what was typed above is still there
    person.shoot(f"kpi-inline-linked-{lang}-{size}")
    person.click(f".actions button[value='']:has-text('{words['save']}')")
    person.tab.wait_for_url(f"{base}/objectives/{api.ids['objective']}")
    with api.koers.uow(read_only=True) as uow:
        assert made.id in {kr.kpi_id for kr in uow.key_results.list(objective_id=api.ids["objective"])}
    person.tab.context.close()


def _objective(person: Person, base: str, cycle: str, title: str) -> str:
    person.click("nav.main a[href='/organisation']")
    person.click("a[href^='/objectives/new']")
    person.tab.fill("#f-title", title)
    person.tab.select_option("#f-cycle_id", label=cycle)
    person.click("button[value=key_result]")
    return person.tab.url


KEY_RESULTS = (
    ("Herhaalaankopen van 20% naar 30%", "20", "30"),
    ("Klanttevredenheid van 7 naar 8", "7", "8"),
    ("Retouren van 12% naar 8%", "12", "8"),
)


def _key_results(person: Person, with_kpi_inline: bool) -> None:
    for n, (title, baseline, target) in enumerate(KEY_RESULTS):
        person.tab.fill("#f-title", title)
        if n == 2:
            person.tab.select_option("#f-kind", "decrease")
        person.tab.fill("#f-baseline", baseline)
        person.tab.fill("#f-target", target)
        if n == 0:
            if with_kpi_inline:
                person.click("summary:has-text('Nieuwe KPI…')")
                person.tab.fill("#f-kpi_name", "Herhaalaankopen")
                person.tab.fill("#f-kpi_unit", "%")
                person.tab.fill("#f-kpi_green_at", "30")
                person.tab.fill("#f-kpi_red_at", "20")
                person.click("button:has-text('KPI aanmaken en koppelen')")
                person.tab.wait_for_selector("#kpi-link .notice")
            else:
                person.tab.select_option("#f-kpi_id", label="Herhaalaankopen")
        last = n == len(KEY_RESULTS) - 1
        person.click("button[value='']" if last else "button[value=another]")
        if not last:
            assert "Opgeslagen:" in person.tab.locator("p.notice").inner_text()


def _initiative(person: Person) -> None:
    person.click("a[href^='/initiatives/new']")
    person.tab.fill("#f-title", "Nabelactie na eerste aankoop")  # it belongs to the objective it was opened from
    person.click("button:has-text('Opslaan')")


def test_a_lead_writes_next_quarters_objective_with_three_key_results_a_kpi_and_an_initiative(browser, site, capsys):
    """Before: the KPI had to be made on its own page first (KPIs → New KPI → save → back). After: from the form."""
    api, base = site
    with api.koers.uow() as uow:
        from koers.services import organisation as org
        from tests.builders import TODAY

        org.create_cycle(uow, "Volgend kwartaal", TODAY.replace(day=1), TODAY.replace(day=28), status="planning")
    counts = {}
    for way in ("before", "after"):
        person = Person(_tab(browser, "desktop"))
        _log_in(person, base, "nl")
        person.tab.wait_for_url(f"{base}/week")
        if way == "before":  # the KPI first, on its own page
            person.click("nav.main a[href='/kpis']")
            person.click("a[href='/kpis/new']")
            person.tab.fill("#f-name", "Herhaalaankopen")
            person.tab.fill("#f-unit", "%")
            person.tab.fill("#f-green_at", "30")
            person.tab.fill("#f-red_at", "20")
            person.click("button:has-text('Opslaan')")
        _objective(person, base, "Volgend kwartaal", f"Klanten komen vaker terug ({way})")
        _key_results(person, with_kpi_inline=way == "after")
        objective_id = int(re.search(r"/objectives/(\d+)$", person.tab.url).group(1))
        _initiative(person)
        with api.koers.uow(read_only=True) as uow:
            assert len(uow.key_results.list(objective_id=objective_id)) == 3
            assert [i.title for i in uow.initiatives.list(objective_id=objective_id)] == [
                "Nabelactie na eerste aankoop"
            ]
        person.shoot(f"lead-objective-{way}")
        counts[way] = (person.clicks, person.loads)
        person.tab.context.close()
    with capsys.disabled():
        print(f"\nlead objective + 3 KRs + KPI + initiative (clicks, page loads): {counts}")
    assert counts["after"][0] <= counts["before"][0] and counts["after"][1] < counts["before"][1]


@pytest.mark.parametrize("size", ["desktop", "390"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_coach_flags_show_on_the_goal_and_on_the_findings_page(browser, site, lang, size):
    api, base = site
    from koers.domain import model
    from koers.services import objectives as goals

    with api.koers.uow() as uow:
        made = goals.create_objective(
            uow, model.Objective("Workshops organiseren voor klanten", api.ids["cycle"], team_id=api.ids["owner_team"])
        )
    person = Person(_tab(browser, size))
    _log_in(person, base, lang, "/findings")
    person.tab.wait_for_url(f"{base}/findings")
    assert "Workshops organiseren voor klanten" in person.tab.locator("main").inner_text()
    person.shoot(f"findings-{lang}-{size}")
    person.tab.goto(f"{base}/objectives/{made.id}")
    person.click("#flag-objective summary")
    assert person.tab.locator("#flag-objective li").count() == 1
    person.shoot(f"objective-flag-{lang}-{size}")
    person.tab.context.close()
