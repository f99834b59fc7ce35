"""A team member's weekly loop on the web (issue 15), in Dutch and in English: the check-in form reads what people
type and says what it expects, keeps what was typed after an error, starts at the last confidence; pace and
confidence show side by side, each named; maintain and range key results say at a glance why they score what they
do; after a check-in My week shows the objective's new score; API tokens live under the profile."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from koers.domain import model
from koers.services import objectives as goals
from koers.services.check_ins import record_check_in
from tests.e2e.api_support import Api
from tests.e2e.test_web_pages import get, text_of

HTMX = {"HX-Request": "true"}


def as_reader(api: Api, caller: str, locale: str) -> None:
    with api.koers.uow() as uow:
        uow.users.set_fields(api.ids[caller], locale=locale)


def check_in(api: Api, caller: str, kr_id: int, htmx: bool = True, **fields: str):
    data = {"confidence": "", "note": "", **fields, "csrf_token": api.csrf(caller)}
    api.client.cookies.clear()
    for name, value in api.cookies(caller).items():
        api.client.cookies.set(name, value)
    return api.client.post(f"/week/key-results/{kr_id}/check-in", data=data, headers=HTMX if htmx else {})


def item_of(html: str, kr_id: int) -> str:
    """The My week item of one key result (its <li>)."""
    found = re.search(rf'<li id="kr-{kr_id}" class="week-item">.*?</li>', html, re.S)
    assert found, f"no item for key result {kr_id}"
    return found.group(0)


def selected_confidence(html: str, kr_id: int) -> str:
    select = re.search(rf'<select id="confidence-{kr_id}" name="confidence">(.*?)</select>', html, re.S)
    assert select
    chosen = re.findall(r'<option value="(\w*)" selected>', select.group(1))
    assert len(chosen) == 1, chosen
    return chosen[0]


def other_krs(api: Api) -> dict[str, int]:
    with api.koers.uow(read_only=True) as uow:
        return {kr.kind: kr.id or 0 for kr in uow.key_results.list(objective_id=api.ids["other_objective"])}


@pytest.mark.parametrize(
    ("locale", "typed", "hint"),
    [("nl", "7,5%", "Een getal in %, zoals 23,5"), ("en", "7.5 %", "A number in %, like 23.5")],
)
def test_a_check_in_typed_with_its_unit_saves_and_says_what_the_objective_scores_now(api, locale, typed, hint):

    as_reader(api, "owner", locale)
    kr = api.ids["key_result"]  # decrease, 10 → 5 %
    page = get(api, "owner", "/week").text
    assert hint in text_of(item_of(page, kr))
    with api.koers.uow(read_only=True) as uow:
        before = uow.objectives.get(api.ids["objective"]).score
    answer = check_in(api, "owner", kr, value=typed, confidence="at_risk", note="Belactie")
    assert answer.status_code == 200
    with api.koers.uow(read_only=True) as uow:
        after = uow.objectives.get(api.ids["objective"]).score
        assert uow.key_results.get(kr).current == 7.5
    shown = text_of(answer.text)
    arrow = "Keep customers longer: {} → {} ({}{})".format(
        *(f"{x:.1f}".replace(".", "," if locale == "nl" else ".") for x in (before, after)),
        "+" if after > before else "",
        f"{after - before:.1f}".replace(".", "," if locale == "nl" else "."),
    )
    assert arrow in shown, shown
    assert ("Opgeslagen" if locale == "nl" else "Saved") in shown


def test_without_javascript_the_check_in_redirects_to_my_week_which_shows_the_change(sqlite_api):
    api = sqlite_api
    kr = api.ids["key_result"]
    answer = check_in(api, "owner", kr, htmx=False, value="7,5%", confidence="on_track")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"/week?changed={api.ids['objective']}:")
    page = text_of(get(api, "owner", answer.headers["location"].split("#")[0]).text)
    assert "Check-in opgeslagen." in page and "Keep customers longer: " in page and " → " in page
    # the strategic objective above it moved too, and the owner may see it
    assert "Become the shop customers come back to: " in page


def test_the_changes_in_the_address_show_only_what_the_reader_may_see(sqlite_api):
    api = sqlite_api
    hidden = api.ids["team_only_objective"]
    page = text_of(get(api, "other", f"/week?changed={hidden}:10.0:90.0,{api.ids['other_objective']}:x:y").text)
    assert "Reorganise the support desk" not in page and "Check-in opgeslagen" not in page


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("nl", "moet een getal zijn"),
        ("en", "must be a number"),
    ],
)
def test_after_an_error_the_form_keeps_the_value_the_confidence_and_the_note(sqlite_api, locale, expected):
    api = sqlite_api
    as_reader(api, "owner", locale)
    kr = api.ids["key_result"]
    answer = check_in(api, "owner", kr, value="zeven", confidence="off_track", note="Belactie loopt nog")
    assert answer.status_code == 200  # htmx swaps in a 2xx answer only
    item = item_of(answer.text, kr)
    assert expected in text_of(item)
    assert 'value="zeven"' in item and 'aria-invalid="true"' in item
    assert selected_confidence(item, kr) == "off_track"
    assert 'value="Belactie loopt nog"' in item
    # without JavaScript: the whole page again, the form as typed
    page = check_in(api, "owner", kr, htmx=False, value="zeven", confidence="at_risk", note="nog een keer")
    assert page.status_code == 422
    item = item_of(page.text, kr)
    assert 'value="zeven"' in item and selected_confidence(item, kr) == "at_risk" and 'value="nog een keer"' in item


@pytest.mark.parametrize(
    ("locale", "expected"), [("nl", "Dit kernresultaat telt in %, niet in €."), ("en", "counts in %, not in €.")]
)
def test_a_value_in_another_unit_is_refused_naming_the_unit(sqlite_api, locale, expected):
    api = sqlite_api
    as_reader(api, "owner", locale)
    answer = check_in(api, "owner", api.ids["key_result"], value="€ 7", confidence="on_track")
    assert expected in text_of(item_of(answer.text, api.ids["key_result"]))


@pytest.mark.parametrize(
    ("locale", "word", "hint", "now"),
    [("nl", "klaar", "klaar of niet klaar", "Nu: klaar"), ("en", "Done", "done or not done", "Now: done")],
)
def test_a_milestone_is_checked_in_as_a_word(sqlite_api, locale, word, hint, now):
    api = sqlite_api
    as_reader(api, "other", locale)
    milestone = other_krs(api)["milestone"]
    assert hint in text_of(item_of(get(api, "other", "/week").text, milestone))
    answer = check_in(api, "other", milestone, value=word)
    assert answer.status_code == 200 and now in text_of(answer.text)
    with api.koers.uow(read_only=True) as uow:
        assert uow.key_results.get(milestone).current == 1.0
    back = check_in(api, "other", milestone, value="niet klaar" if locale == "nl" else "not done")
    assert ("Nu: niet klaar" if locale == "nl" else "Now: not done") in text_of(back.text)


def test_confidence_starts_at_the_last_one_given(sqlite_api):
    api = sqlite_api
    kr = api.ids["key_result"]
    with api.koers.uow() as uow:
        uow.users.set_fields(api.ids["owner_user"], locale="nl")
    page = get(api, "owner", "/week").text
    assert selected_confidence(page, kr) == ""  # never given: not "on track"
    assert "niet opgegeven" in item_of(page, kr)
    check_in(api, "owner", kr, value="8", confidence="at_risk")
    assert selected_confidence(get(api, "owner", "/week").text, kr) == "at_risk"
    check_in(api, "owner", kr, value="8", confidence="off_track")
    assert selected_confidence(get(api, "owner", "/week").text, kr) == "off_track"


@pytest.mark.parametrize(
    ("locale", "pace", "confidence"), [("nl", "Tempo", "Inschatting"), ("en", "Pace", "Confidence")]
)
def test_pace_and_a_chosen_at_risk_show_side_by_side_each_named(sqlite_api, locale, pace, confidence):
    api = sqlite_api
    as_reader(api, "other", locale)
    on_time = other_krs(api)["above"]  # 91% ≥ 90% on its last check-in
    check_in(api, "other", on_time, value="95", confidence="at_risk")
    for url in ("/week", f"/objectives/{api.ids['other_objective']}"):
        page = get(api, "other", url).text
        card = re.search(rf'id="kr-{on_time}".*?(?:</li>|</article>)', page, re.S)
        assert card, url
        pairs = re.findall(
            r'<span class="badge-name">([^<]+)</span> <span class="badge s-(\w+)" data-(pace|confidence)>',
            card.group(0),
        )
        named = {kind: (name, status) for name, status, kind in pairs}
        assert named["confidence"] == (confidence, "at_risk"), url
        assert named["pace"][0] == pace, url


@pytest.mark.parametrize(
    ("locale", "above", "below", "later"),
    [
        ("nl", "1 van 2 waarden waren ≥ 90%", "0 van 2 waarden waren ≤ 2%", "1 van 3 waarden waren ≤ 2%"),
        ("en", "1 of 2 values were ≥ 90%", "0 of 2 values were ≤ 2%", "1 of 3 values were ≤ 2%"),
    ],
)
def test_a_maintain_key_result_says_at_a_glance_why_it_scores_what_it_does(api, locale, above, below, later):

    as_reader(api, "other", locale)
    krs = other_krs(api)  # on time 86, 91 (≥ 90%); damaged 2.6, 2.2 (≤ 2%)
    for url in ("/week", f"/objectives/{api.ids['other_objective']}"):
        page = text_of(get(api, "other", url).text)
        assert above in page and below in page, url
    answer = check_in(api, "other", krs["below"], value="1,5%" if locale == "nl" else "1.5%")
    assert later in text_of(answer.text)  # the item htmx swaps in
    assert later in text_of(get(api, "other", "/week").text)


def test_a_range_key_result_says_where_its_value_lies(sqlite_api):
    api = sqlite_api
    page = text_of(get(api, "owner", f"/objectives/{api.ids['objective']}").text)
    assert "8,2 min, op weg omlaag van 9,5 min naar 3–4 min" in page  # the KPI's newest measurement
    with api.koers.uow() as uow:
        record_check_in(uow, api.ids["range_key_result"], 3.5)
    assert "3,5 min ligt binnen 3–4 min: volle score" in text_of(get(api, "owner", "/week").text)


def test_a_check_in_of_last_week_waits_again_on_monday(api):

    today = datetime.now().astimezone()
    monday = datetime.combine(today.date() - timedelta(days=today.weekday()), time(), tzinfo=today.tzinfo)
    thursday = (monday - timedelta(days=4) + timedelta(hours=10)).astimezone(UTC)
    with api.koers.uow() as uow:
        kr = (
            goals.create_key_result(
                uow, model.KeyResult(objective_id=api.ids["objective"], title="Weekly calls", baseline=0, target=10)
            ).id
            or 0
        )
        record_check_in(uow, kr, 4, created_at=thursday)
    page = get(api, "owner", "/week").text
    assert f'id="kr-{kr}"' in page.split('id="due"')[1].split('id="fresh"')[0]
    check_in(api, "owner", kr, value="5")
    page = get(api, "owner", "/week").text
    assert f'id="kr-{kr}"' in page.split('id="fresh"')[1]


def test_members_find_their_api_tokens_under_their_profile_not_in_the_menu(sqlite_api):
    api = sqlite_api
    for caller in ("owner", "other"):
        page = get(api, caller, "/week").text
        menu = re.search(r'<nav class="main".*?</nav>', page, re.S)
        assert menu and "/admin/tokens" not in menu.group(0) and "/admin" not in menu.group(0)
        assert 'href="/admin/tokens"' in get(api, caller, "/profile").text
        assert 'href="/profile"' in get(api, caller, "/admin/tokens").text  # the way back
    admin_menu = re.search(r'<nav class="main".*?</nav>', get(api, "admin", "/week").text, re.S)
    assert admin_menu and 'href="/admin"' in admin_menu.group(0)


def test_a_refused_check_in_on_an_unseen_key_result_shows_nothing_of_it(sqlite_api):
    api = sqlite_api
    with api.koers.uow(read_only=True) as uow:
        hidden = uow.key_results.list(objective_id=api.ids["team_only_objective"])[0].id or 0
    for value in ("", "zeven", "5"):
        answer = check_in(api, "other", hidden, value=value)
        assert answer.status_code == 404 and "First-contact" not in answer.text and "Response time" not in answer.text
