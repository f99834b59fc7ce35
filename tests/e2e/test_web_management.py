"""The management pages through HTTP: what changed, the roll-up per team, KPI values entered on the web and the
alignment map, in Dutch and in English."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from koers.services.read.changes import week_start
from tests.e2e.test_web_pages import check_in, get, post, text_of

PAYLOADS = [line for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt").read_text().splitlines() if line]


def speak(api, caller: str, locale: str) -> None:
    with api.koers.uow() as uow:
        uow.users.set_fields(api.ids[caller], locale=locale)


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("nl", ["Wat is er veranderd", "Tempowijzigingen", "Check-ins", "Hele organisatie", "Vorige week"]),
        ("en", ["What changed", "Pace changes", "Check-ins", "Whole organisation", "Previous week"]),
    ],
)
def test_the_changes_page_shows_this_weeks_check_in_with_its_score_delta(sqlite_api, locale, words):
    api = sqlite_api
    speak(api, "admin", locale)
    kr = api.ids["increase_key_result"]  # satisfaction 70 → 80, its KPI at 72: score 20
    check_in(api, kr, "75", note="Nieuwe enquête")
    page = get(api, "admin", "/changes")
    assert page.status_code == 200
    text = text_of(page.text)
    for word in words:
        assert word in text, word
    assert "Satisfaction from 70 to 80" in text and "Nieuwe enquête" in text
    assert ("20,0 → 50,0" if locale == "nl" else "20.0 → 50.0") in text and "+30" in text
    monday = week_start(date.today())
    assert f'value="{monday.isoformat()}" selected' in page.text  # the picker starts at this ISO week
    assert "check_in" not in text and "on_track" not in text  # codes are translated


def test_an_earlier_week_and_a_team_filter_narrow_the_page(sqlite_api):
    api = sqlite_api
    check_in(api, api.ids["increase_key_result"], "75")
    earlier = (week_start(date.today()) - timedelta(days=14)).isoformat()
    old = get(api, "admin", f"/changes?since={earlier}")
    assert old.status_code == 200 and "Satisfaction from 70 to 80" not in text_of(old.text)
    assert "Volgende week" in text_of(old.text)
    other = get(api, "admin", f"/changes?team_id={api.ids['other_team']}")
    assert "Satisfaction from 70 to 80" not in text_of(other.text)
    assert get(api, "admin", "/changes?since=gisteren&team_id=x").status_code == 200  # nonsense: this week


def test_the_changes_page_hides_private_records(sqlite_api):
    api = sqlite_api
    with api.koers.uow(read_only=True) as uow:
        hidden = uow.key_results.list(objective_id=api.ids["team_only_objective"])[0]
    check_in(api, hidden.id, "60")
    assert hidden.title in text_of(get(api, "owner", "/changes").text)
    assert hidden.title not in text_of(get(api, "other", "/changes").text)


@pytest.mark.parametrize(("locale", "word"), [("nl", "Gemiddelde score"), ("en", "Average score")])
def test_the_teams_page_rolls_up_each_team(sqlite_api, locale, word):
    api = sqlite_api
    speak(api, "other", locale)
    page = get(api, "other", f"/teams?cycle_id={api.ids['cycle']}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert word in text and "Support" in text and "Delivery" in text
    assert "Keep customers longer" in text
    assert "Reorganise the support desk" not in text  # team A's private objective


def test_a_kpi_value_is_entered_on_its_page_in_the_readers_notation(sqlite_api):
    api = sqlite_api
    kpi = api.ids["kpi"]  # cancellations, %, team A's
    page = get(api, "owner", f"/kpis/{kpi}")
    assert f'action="/kpis/{kpi}/measurements"' in page.text
    saved = post(
        api, "owner", f"/kpis/{kpi}/measurements", {"value": "7,25", "note": "maand", "csrf_token": api.csrf("owner")}
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"/kpis/{kpi}?saved=1"
    with api.koers.uow(read_only=True) as uow:
        assert uow.kpis.get(kpi).current == 7.25
        newest = uow.measurements.latest(kpi)
    assert newest is not None and newest.note == "maand" and newest.source == "manual"
    shown = text_of(get(api, "owner", f"/kpis/{kpi}?saved=1").text)
    assert "Opgeslagen" in shown and "7,25" in shown


def test_a_refused_kpi_value_keeps_what_was_typed_with_the_error_in_both_languages(sqlite_api):
    api = sqlite_api
    kpi = api.ids["kpi"]
    for locale, error in (("nl", "getal"), ("en", "number")):
        speak(api, "owner", locale)
        sent = {"value": "zeven", "note": "typed note", "at": "", "csrf_token": api.csrf("owner")}
        refused = post(api, "owner", f"/kpis/{kpi}/measurements", sent)
        assert refused.status_code == 422
        assert 'value="zeven"' in refused.text and 'value="typed note"' in refused.text
        assert 'aria-invalid="true"' in refused.text and error in text_of(refused.text).lower()
    ahead = (date.today() + timedelta(days=3)).isoformat()
    future = post(
        api, "owner", f"/kpis/{kpi}/measurements", {"value": "7", "at": ahead, "csrf_token": api.csrf("owner")}
    )
    assert future.status_code == 422 and f'value="{ahead}"' in future.text
    with api.koers.uow(read_only=True) as uow:
        assert uow.kpis.get(kpi).current == 8.6  # the builders' newest value: nothing was stored


def test_the_kpi_board_takes_a_value_and_shows_forms_only_where_allowed(sqlite_api):
    api = sqlite_api
    kpi = api.ids["kpi"]
    board = get(api, "owner", "/kpis").text
    assert f'action="/kpis/{kpi}/measurements"' in board
    assert f'action="/kpis/{kpi}/measurements"' not in get(api, "other", "/kpis").text  # not their team's KPI
    saved = post(
        api, "owner", f"/kpis/{kpi}/measurements", {"value": "6,5", "from": "board", "csrf_token": api.csrf("owner")}
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"/kpis?saved={kpi}#kpi-{kpi}"
    refused = post(
        api,
        "owner",
        f"/kpis/{kpi}/measurements",
        {"value": "6,5 kg x", "from": "board", "csrf_token": api.csrf("owner")},
    )
    assert refused.status_code == 422 and 'value="6,5 kg x"' in refused.text and "kpi-grid" in refused.text
    forbidden = post(api, "other", f"/kpis/{kpi}/measurements", {"value": "1", "csrf_token": api.csrf("other")})
    assert forbidden.status_code == 403
    with api.koers.uow(read_only=True) as uow:
        assert uow.kpis.get(kpi).current == 6.5


def test_the_alignment_map_links_every_shown_objective_with_its_score(sqlite_api):
    api = sqlite_api
    page = get(api, "owner", "/organisation")
    assert page.status_code == 200
    html = page.text
    start = html.index('class="alignment-map"')
    svg = html[start : html.index("</svg>", start)]
    for name in ("strategic", "objective", "team_only_objective", "other_objective"):
        assert f'href="/objectives/{api.ids[name]}"' in svg, name
    assert "<script" not in svg and "style=" not in svg
    assert "op koers" in svg or "loopt risico" in svg or "risico" in svg
    outsider = get(api, "other", "/organisation").text
    assert f'href="/objectives/{api.ids["team_only_objective"]}"' not in outsider


def test_the_alignment_map_escapes_every_title(sqlite_api):
    import xml.etree.ElementTree as ET

    from koers.domain import model
    from koers.services import objectives as goals

    api = sqlite_api
    payloads = [p for p in PAYLOADS if not p.startswith("#")]
    with api.koers.uow() as uow:
        for payload in payloads:
            goals.create_objective(uow, model.Objective(title=payload[:500], cycle_id=api.ids["cycle"]))
    html = get(api, "admin", "/organisation").text
    start = html.rindex("<svg", 0, html.index('class="alignment-map"'))
    svg = ET.fromstring(html[start : html.index("</svg>", start) + 6])
    tags = {element.tag.rsplit("}", 1)[-1] for element in svg.iter()}
    assert tags <= {"svg", "title", "g", "path", "a", "rect", "text", "tspan"}  # no script, img, foreignObject…
    assert not [name for element in svg.iter() for name in element.attrib if name.lower().startswith("on")]
    hrefs = [element.get("href") for element in svg.iter() if element.get("href") is not None]
    assert len(hrefs) >= len(payloads) and all(h.startswith("/objectives/") for h in hrefs)
    shown = " ".join(f"{element.get('aria-label', '')} {element.text or ''}" for element in svg.iter())
    assert all(p[:20] in shown for p in payloads)  # the payloads are there, as text
