"""Web security as SECURITY.md promises it: CSRF on every form, inert user text everywhere, strict headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from koers.domain import model
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.check_ins import record_check_in
from koers.services.kpis import create_kpi, record_measurement
from tests.e2e.web_pages import fill, pages, web_routes

PAYLOADS = [
    line
    for line in (Path(__file__).parents[1] / "data" / "xss_payloads.txt").read_text().splitlines()
    if line and not line.startswith("#")
]


def test_the_corpus_has_at_least_thirty_payloads():
    assert len(PAYLOADS) >= 30


def test_every_state_changing_form_refuses_a_request_without_a_valid_csrf_token(sqlite_api):
    app = sqlite_api.client.app
    posts = web_routes(app, "POST")
    assert len(posts) >= 3
    ids = _ids(sqlite_api)
    for path in posts:
        url = fill(path, ids)
        for token in ("", "not-the-token", sqlite_api.csrf("other")):
            sqlite_api.client.cookies.clear()
            response = sqlite_api.client.post(url, data={"csrf_token": token}, cookies=sqlite_api.cookies("admin"))
            assert response.status_code == 403, (
                f"POST {path} with CSRF token {token[:6]!r} answered {response.status_code}"
            )


def _ids(api) -> dict[str, int]:
    return {name: api.ids[name] for name in ("objective", "key_result", "kpi", "initiative", "cycle", "user", "team")}


def plant_payloads(api) -> dict[str, int]:
    """Every text field of every kind of record gets every payload; returns ids of records that carry them.

    The key results belong to the "owner" caller, so the payloads also reach that person's own week.
    """
    now = datetime.now(UTC)
    with api.koers.uow() as uow:
        base_cycle = uow.objectives.get(api.ids["objective"]).cycle_id
        ids: dict[str, int] = {}
        for n, payload in enumerate(PAYLOADS):
            team = org.create_team(uow, f"{payload} {n}"[:200], parent_id=api.ids["owner_team"])
            user = org.add_user(uow, f"xss{n}@example.org", name=payload[:200], team_ids=[team.id])
            cycle = org.create_cycle(
                uow, f"{payload} {n}"[:100], now.date() - timedelta(days=10), now.date() + timedelta(days=80)
            )
            objective = goals.create_objective(
                uow,
                model.Objective(
                    title=payload,
                    description=payload,
                    cycle_id=base_cycle,
                    team_id=team.id,
                    owner_id=user.id,
                    parent_id=api.ids["objective"],
                ),
            )
            kpi = create_kpi(
                uow,
                model.Kpi(
                    name=payload[:200],
                    description=payload,
                    unit=payload[:40],
                    direction="higher_is_better",
                    green_at=5,
                    red_at=1,
                    team_id=team.id,
                ),
            )
            kr = goals.create_key_result(
                uow,
                model.KeyResult(
                    objective_id=objective.id,
                    title=payload,
                    unit=payload[:40],
                    baseline=0,
                    target=10,
                    kpi_id=kpi.id,
                    owner_id=api.ids["owner_user"],
                ),
            )
            record_check_in(
                uow, kr.id, 3, "at_risk", note=payload, author_id=user.id, created_at=now - timedelta(hours=2)
            )
            record_measurement(uow, kpi.id, 4, at=now - timedelta(hours=1), note=payload)
            initiative = goals.create_initiative(
                uow, model.Initiative(title=payload, key_result_id=kr.id, owner_id=user.id)
            )
            ids = {
                "objective": objective.id,
                "key_result": kr.id,
                "kpi": kpi.id,
                "initiative": initiative.id,
                "cycle": cycle.id,
                "user": user.id,
                "team": team.id,
            }
    return ids


def test_user_text_is_escaped_on_every_page(sqlite_api):
    ids = plant_payloads(sqlite_api)
    urls = pages(sqlite_api.client.app, ids)
    assert "/week" in urls
    for caller in ("admin", "owner"):
        for url in urls:
            sqlite_api.client.cookies.clear()
            response = sqlite_api.client.get(url, cookies=sqlite_api.cookies(caller))
            assert response.status_code in (200, 403), f"{url}: {response.status_code}"
            html = response.text
            for payload in PAYLOADS:
                if "<" in payload or '"' in payload:
                    assert payload not in html, f"{url} shows {payload!r} unescaped"
            assert 'href="javascript:' not in html and 'src="javascript:' not in html.lower()


def test_pages_carry_the_security_headers(sqlite_api):
    sqlite_api.client.cookies.clear()
    response = sqlite_api.client.get("/week", cookies=sqlite_api.cookies("owner"))
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "same-origin"
    login = sqlite_api.client.get("/login")
    assert "HttpOnly" in login.headers["set-cookie"] and "SameSite=lax" in login.headers["set-cookie"]


def test_login_gives_a_new_session_id_and_logout_ends_it(sqlite_api):
    import re

    from tests.e2e.api_support import OWNING_TEAM_MEMBER, PASSWORD

    c = sqlite_api.client
    c.cookies.clear()
    form = c.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    old = sqlite_api.cookies("owner")["koers_session"]
    c.cookies.set("koers_session", old)
    answer = c.post(
        "/login", data={"email": OWNING_TEAM_MEMBER, "password": PASSWORD, "csrf_token": token, "next": "/week"}
    )
    new = answer.cookies.get("koers_session")
    assert answer.status_code == 303 and new and new != old
    c.cookies.clear()
    assert c.get("/week", cookies={"koers_session": old}).status_code == 303  # the old id no longer works
    page = c.get("/week", cookies={"koers_session": new})
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    c.post("/logout", data={"csrf_token": csrf}, cookies={"koers_session": new})
    c.cookies.clear()
    assert c.get("/week", cookies={"koers_session": new}).status_code == 303


def test_secure_cookie_behind_https(sqlite_api):
    sqlite_api.client.cookies.clear()
    response = sqlite_api.client.get("/login", headers={"x-forwarded-proto": "https"})
    assert "Secure" in response.headers["set-cookie"]


def test_error_pages_are_generic_and_in_the_visitors_language(sqlite_api):
    with sqlite_api.koers.uow() as uow:
        uow.users.set_fields(sqlite_api.ids["owner_user"], locale="en")
    sqlite_api.client.cookies.clear()
    english = sqlite_api.client.get("/objectives/99999", cookies=sqlite_api.cookies("owner"))
    assert english.status_code == 404 and "Page not found" in english.text and 'lang="en"' in english.text
    sqlite_api.client.cookies.clear()
    dutch = sqlite_api.client.get("/nergens", headers={"accept-language": "nl"})
    assert dutch.status_code == 404 and "Pagina niet gevonden" in dutch.text
    assert "Traceback" not in english.text + dutch.text


def test_a_form_shown_again_after_an_error_names_nothing_the_viewer_may_not_see(sqlite_api):
    api = sqlite_api
    with api.koers.uow() as uow:
        seed = uow.objectives.get(api.ids["objective"])
        hidden = goals.create_objective(
            uow,
            model.Objective(
                title="Geheim overnameplan Zeeland",
                cycle_id=seed.cycle_id,
                team_id=api.ids["owner_team"],
                visibility="team",
            ),
        )
        kr = goals.create_key_result(
            uow, model.KeyResult(objective_id=hidden.id, title="Geheime deal getekend", kind="milestone", target=1)
        )
    work = {"title": "Meeliften", "status": "planned", "owner_id": "", "due_date": ""}
    for belongs_to in (f"o:{hidden.id}", f"k:{kr.id}"):
        api.client.cookies.clear()
        data = work | {"belongs_to": belongs_to, "csrf_token": api.csrf("other")}
        answer = api.client.post("/initiatives/new", data=data, cookies=api.cookies("other"))
        assert answer.status_code == 404, belongs_to
        assert 'value="Meeliften"' in answer.text  # the form came back, with what was typed
        assert "Geheim overnameplan" not in answer.text and "Geheime deal" not in answer.text, belongs_to
    api.client.cookies.clear()
    data = work | {"belongs_to": f"o:{hidden.id}", "title": "", "csrf_token": api.csrf("owner")}
    own = api.client.post("/initiatives/new", data=data, cookies=api.cookies("owner"))
    assert own.status_code == 422 and "Geheim overnameplan Zeeland" in own.text  # its team still sees it


def test_redirect_targets_stay_on_this_site(sqlite_api):
    """`next` after login or a language switch: a local path, never another site, however it is written."""
    from koers.web.routes.auth import safe_next

    for foreign in (
        "//evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "https://evil.example/",
        "/\t/evil.example",
        "/\n/evil.example",
        "evil.example",
        "javascript:alert(1)",
    ):
        assert safe_next(foreign) == "/", foreign
        answer = sqlite_api.client.get("/language/en", params={"next": foreign})
        assert answer.status_code == 303 and answer.headers["location"] == "/", foreign
    assert safe_next("/changes?since=2026-11-16&team_id=2") == "/changes?since=2026-11-16&team_id=2"


def test_switching_language_keeps_the_page_and_its_query(sqlite_api):
    import re

    page = sqlite_api.client.get("/changes?since=2026-11-16", cookies=sqlite_api.cookies("owner"))
    assert page.status_code == 200
    kept = re.search(r'name="next" value="([^"]+)"', page.text).group(1)
    assert kept == "/changes?since=2026-11-16"


def test_clock_times_are_shown_on_the_organisations_clock(sqlite_api):
    """Stored moments are UTC; a page shows them in KOERS_TIMEZONE (Europe/Amsterdam by default: UTC+1 in winter)."""
    import re

    moment = (datetime.now(UTC) - timedelta(days=1)).replace(hour=8, minute=30, second=0, microsecond=0)
    with sqlite_api.koers.uow() as uow:
        record_check_in(uow, sqlite_api.ids["key_result"], 1, "on_track", created_at=moment)
        objective_id = uow.key_results.get(sqlite_api.ids["key_result"]).objective_id
    page = sqlite_api.client.get(f"/objectives/{objective_id}", cookies=sqlite_api.cookies("owner")).text
    shown = re.search(rf'<time datetime="{moment:%Y-%m-%dT%H:%M}[^"]*">([^<]+)</time>', page)
    assert shown and shown.group(1).endswith("09:30"), shown and shown.group(1)
