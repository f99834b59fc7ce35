"""The authorization matrix: every route of the app × {anonymous, member of the owning team, member of another
team, admin}. A route without an entry fails the suite, and so does any answer other than the one listed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import iter_route_contexts

from koers.bootstrap import bootstrap
from koers.config import Settings
from koers.http.app import create_app
from tests.e2e.api_support import OWNING_TEAM_MEMBER, PASSWORD, Api, make_api

CALLERS = ("anonymous", "other", "owner", "admin")  # failing callers first: they must change nothing
OPEN = (200, 200, 200, 200)
READ = (401, 200, 200, 200)
ADMIN = (401, 403, 403, 200)
TEAM = (401, 403, 200, 200)  # the owning team's members and admins may change it
TEAM_CREATE = (401, 403, 201, 201)

PAGE = (303, 200, 200, 200)  # anonymous visitors are sent to the login page
FORM = (303, 303, 303, 303)  # a form post answers with a redirect (anonymous: to the login page)

# (method, path): expected status for anonymous, other, owner, admin
MATRIX: dict[tuple[str, str], tuple[int, int, int, int]] = {
    ("GET", "/login"): (200, 303, 303, 303),
    ("POST", "/login"): (403, 403, 403, 403),  # without the login form's own CSRF cookie
    ("POST", "/logout"): FORM,
    ("POST", "/language"): FORM,
    ("GET", "/language/{lang}"): FORM,
    ("GET", "/"): FORM,
    ("GET", "/week"): PAGE,
    ("GET", "/organisation"): PAGE,
    ("GET", "/objectives/{objective_id:int}"): PAGE,
    ("GET", "/kpis"): PAGE,
    ("GET", "/kpis/{kpi_id:int}"): PAGE,
    ("GET", "/cycles"): PAGE,
    ("GET", "/attention"): PAGE,  # what needs attention, calibration, ambition
    ("GET", "/findings"): PAGE,  # the coach's flags on goals, per team
    ("POST", "/key-results/kpi"): (303, 403, 200, 200),  # a KPI made from the key-result form (htmx partial)
    ("GET", "/calibration"): PAGE,
    ("GET", "/ambition"): PAGE,
    ("GET", "/key-results/{kr_id:int}/guardrails"): (303, 403, 200, 200),
    ("POST", "/key-results/{kr_id:int}/guardrails"): (303, 403, 303, 303),
    ("POST", "/cycles/{cycle_id:int}/close"): (303, 403, 403, 303),
    ("GET", "/cycles/{cycle_id:int}/report"): PAGE,  # the cycle report, built as the viewer
    ("POST", "/week/key-results/{kr_id}/check-in"): (303, 403, 303, 303),
    ("GET", "/objectives/new"): PAGE,
    ("POST", "/objectives/new"): (303, 403, 303, 303),
    ("GET", "/objectives/{objective_id:int}/edit"): (303, 403, 200, 200),
    ("POST", "/objectives/{objective_id:int}/edit"): (303, 403, 303, 303),
    ("POST", "/objectives/{objective_id:int}/archive"): (303, 403, 303, 303),
    ("GET", "/objectives/{objective_id:int}/key-results/new"): (303, 403, 200, 200),
    ("POST", "/objectives/{objective_id:int}/key-results/new"): (303, 403, 303, 303),
    ("GET", "/key-results/{kr_id:int}/edit"): (303, 403, 200, 200),
    ("POST", "/key-results/{kr_id:int}/edit"): (303, 403, 303, 303),
    ("POST", "/key-results/{kr_id:int}/archive"): (303, 403, 303, 303),
    ("GET", "/kpis/new"): PAGE,
    ("POST", "/kpis/new"): (303, 403, 303, 303),
    ("GET", "/kpis/{kpi_id:int}/edit"): (303, 403, 200, 200),
    ("POST", "/kpis/{kpi_id:int}/edit"): (303, 403, 303, 303),
    ("POST", "/kpis/{kpi_id:int}/archive"): (303, 403, 303, 303),
    ("GET", "/initiatives/new"): PAGE,
    ("POST", "/initiatives/new"): (303, 403, 303, 303),
    ("GET", "/initiatives/{initiative_id:int}/edit"): (303, 403, 200, 200),
    ("POST", "/initiatives/{initiative_id:int}/edit"): (303, 403, 303, 303),
    ("POST", "/initiatives/{initiative_id:int}/archive"): (303, 403, 303, 303),
    ("POST", "/coach"): (303, 200, 200, 200),  # the coach's partial: advice, never a change
    ("GET", "/admin"): (303, 403, 403, 200),
    ("GET", "/admin/users"): (303, 403, 403, 200),
    ("POST", "/admin/users"): (303, 403, 403, 303),
    ("GET", "/admin/users/{user_id:int}"): (303, 403, 403, 200),
    ("POST", "/admin/users/{user_id:int}"): (303, 403, 403, 303),
    ("POST", "/admin/users/{user_id:int}/disable"): (303, 403, 403, 303),
    # accounts: passwords, enabling, invitations, everyone's own profile
    ("POST", "/admin/users/{user_id:int}/enable"): (303, 403, 403, 303),
    ("POST", "/admin/users/{user_id:int}/password"): (303, 403, 403, 303),
    ("GET", "/admin/invitations"): (303, 403, 403, 200),
    ("POST", "/admin/invitations"): (303, 403, 403, 200),  # the link is shown on this answer only
    ("GET", "/profile"): PAGE,
    ("POST", "/profile/password"): FORM,
    ("GET", "/invite/{token}"): (404, 404, 404, 404),  # no such invitation
    ("POST", "/invite/{token}"): (403, 403, 403, 403),  # without the invitation form's own CSRF cookie
    ("GET", "/admin/teams"): (303, 403, 403, 200),
    ("POST", "/admin/teams"): (303, 403, 403, 303),
    ("GET", "/admin/teams/{team_id:int}"): (303, 403, 403, 200),
    ("POST", "/admin/teams/{team_id:int}"): (303, 403, 403, 303),
    ("POST", "/admin/teams/{team_id:int}/archive"): (303, 403, 403, 303),
    ("GET", "/admin/cycles"): (303, 403, 403, 200),
    ("POST", "/admin/cycles"): (303, 403, 403, 303),
    ("GET", "/admin/cycles/{cycle_id:int}"): (303, 403, 403, 200),
    ("POST", "/admin/cycles/{cycle_id:int}"): (303, 403, 403, 303),
    ("GET", "/admin/tokens"): PAGE,  # everyone manages their own tokens
    ("POST", "/admin/tokens"): (303, 200, 200, 200),  # the new token is shown on this answer only
    ("POST", "/admin/tokens/{token_id:int}/revoke"): (303, 404, 303, 303),  # the owner's token: others never see it
    ("GET", "/api/v1/openapi.json"): OPEN,
    ("GET", "/api/docs"): OPEN,
    ("GET", "/api/v1/health"): OPEN,
    ("POST", "/api/v1/auth/login"): (201, 201, 201, 201),
    ("POST", "/api/v1/auth/logout"): (401, 204, 204, 204),
    ("GET", "/api/v1/tokens"): READ,
    ("POST", "/api/v1/tokens"): (401, 201, 201, 201),
    ("DELETE", "/api/v1/tokens/{record_id}"): (401, 404, 200, 200),
    ("PUT", "/api/v1/users/{record_id}/password"): (401, 403, 403, 204),  # admins only, even for themselves
    ("POST", "/api/v1/me/password"): (401, 204, 204, 204),
    ("POST", "/api/v1/users/{record_id}/enable"): ADMIN,
    ("POST", "/api/v1/invitations"): (401, 403, 403, 201),
    ("GET", "/api/v1/invitations"): ADMIN,
    ("POST", "/api/v1/lint"): READ,
    ("GET", "/api/v1/audit"): ADMIN,
    ("GET", "/api/v1/attention"): READ,
    ("GET", "/api/v1/coach/findings"): READ,  # goals the coach flagged: everyone may look, private ones hidden
    ("GET", "/api/v1/calibration"): READ,
    ("GET", "/api/v1/teams"): READ,
    ("GET", "/api/v1/teams/{record_id}"): READ,
    ("POST", "/api/v1/teams"): (401, 403, 403, 201),
    ("PATCH", "/api/v1/teams/{record_id}"): ADMIN,
    ("DELETE", "/api/v1/teams/{record_id}"): ADMIN,
    ("GET", "/api/v1/users"): READ,
    ("GET", "/api/v1/users/{record_id}"): READ,
    ("POST", "/api/v1/users"): (401, 403, 403, 201),
    ("PATCH", "/api/v1/users/{record_id}"): TEAM,  # the owner edits themself here
    ("DELETE", "/api/v1/users/{record_id}"): ADMIN,
    ("GET", "/api/v1/cycles"): READ,
    ("GET", "/api/v1/cycles/{record_id}"): READ,
    ("POST", "/api/v1/cycles"): (401, 403, 403, 201),
    ("PATCH", "/api/v1/cycles/{record_id}"): ADMIN,
    ("POST", "/api/v1/cycles/{record_id}/close"): ADMIN,
    ("GET", "/api/v1/objectives"): READ,
    ("GET", "/api/v1/objectives/{record_id}"): READ,
    ("POST", "/api/v1/objectives"): TEAM_CREATE,
    ("PATCH", "/api/v1/objectives/{record_id}"): TEAM,
    ("DELETE", "/api/v1/objectives/{record_id}"): TEAM,
    ("POST", "/api/v1/objectives/{record_id}/key-results"): TEAM_CREATE,
    ("GET", "/api/v1/key-results"): READ,
    ("POST", "/api/v1/key-results"): TEAM_CREATE,
    ("GET", "/api/v1/key-results/{record_id}"): READ,
    ("PATCH", "/api/v1/key-results/{record_id}"): TEAM,
    ("DELETE", "/api/v1/key-results/{record_id}"): TEAM,
    ("GET", "/api/v1/key-results/{record_id}/check-ins"): READ,
    ("GET", "/api/v1/key-results/{record_id}/forecast"): READ,  # (a team key result is 404 for outsiders)
    ("POST", "/api/v1/key-results/{record_id}/check-ins"): TEAM_CREATE,
    ("GET", "/api/v1/kpis"): READ,
    ("GET", "/api/v1/kpis/{record_id}"): READ,
    ("POST", "/api/v1/kpis"): TEAM_CREATE,
    ("PATCH", "/api/v1/kpis/{record_id}"): TEAM,
    ("DELETE", "/api/v1/kpis/{record_id}"): TEAM,
    ("GET", "/api/v1/kpis/{record_id}/measurements"): READ,
    ("POST", "/api/v1/kpis/{record_id}/measurements"): TEAM_CREATE,
    ("GET", "/api/v1/reports/cycles/{cycle_id}"): READ,  # built as the caller, private objectives left out
    ("GET", "/api/v1/initiatives"): READ,
    ("GET", "/api/v1/initiatives/{record_id}"): READ,
    ("POST", "/api/v1/initiatives"): TEAM_CREATE,
    ("PATCH", "/api/v1/initiatives/{record_id}"): TEAM,
    ("DELETE", "/api/v1/initiatives/{record_id}"): TEAM,
    # close & what-if
    ("POST", "/api/v1/what-if"): READ,  # nothing stored; a key result the caller may not see is 404
    ("POST", "/api/v1/objectives/{record_id}/carry-over"): TEAM_CREATE,
    ("POST", "/key-results/{kr_id:int}/what-if"): (303, 200, 200, 200),
    ("POST", "/objectives/{objective_id:int}/retrospective"): (303, 403, 303, 303),
    ("POST", "/objectives/{objective_id:int}/carry-over"): (303, 403, 303, 303),
    # admin (issue 15): the close confirmation step; grades set by hand (admins and the team's lead: owner leads A)
    ("GET", "/cycles/{cycle_id:int}/close"): (303, 403, 403, 200),
    ("PUT", "/api/v1/objectives/{record_id}/grade"): (401, 403, 200, 200),
    ("GET", "/objectives/{objective_id:int}/grade"): (303, 403, 200, 200),
    ("POST", "/objectives/{objective_id:int}/grade"): (303, 403, 303, 303),
    # integrations (issue 11): webhooks (admins), team reminders (admins and the lead), a person's mail and chat ids
    ("POST", "/api/v1/webhooks"): (401, 403, 403, 201),
    ("GET", "/api/v1/webhooks"): ADMIN,
    ("GET", "/api/v1/webhooks/{record_id}"): ADMIN,
    ("DELETE", "/api/v1/webhooks/{record_id}"): (401, 403, 403, 204),
    ("GET", "/api/v1/webhooks/{record_id}/deliveries"): ADMIN,
    ("GET", "/api/v1/teams/{record_id}/reminders"): READ,
    ("PUT", "/api/v1/teams/{record_id}/reminders"): TEAM,  # the owner leads the owning team
    ("GET", "/api/v1/users/{record_id}/preferences"): TEAM,  # the owner's own; others 403
    ("PUT", "/api/v1/users/{record_id}/preferences"): TEAM,
    # Slack and Teams call these: no session or bearer token, the platform's request signature is the credential
    # (verified before anything is read or written); unsigned requests from anyone are 401
    ("POST", "/api/v1/chat/slack"): (401, 401, 401, 401),
    ("POST", "/api/v1/chat/teams"): (401, 401, 401, 401),
    ("GET", "/admin/webhooks"): (303, 403, 403, 200),
    ("POST", "/admin/webhooks"): (303, 403, 403, 303),
    ("GET", "/admin/webhooks/{webhook_id:int}"): (303, 403, 403, 200),
    ("POST", "/admin/webhooks/{webhook_id:int}/delete"): (303, 403, 403, 303),
    ("GET", "/teams/{team_id:int}/reminders"): (303, 403, 200, 200),
    ("POST", "/teams/{team_id:int}/reminders"): (303, 403, 303, 303),
    ("GET", "/profile/notifications"): PAGE,
    ("POST", "/profile/notifications"): FORM,
    # The one-click check-in: no login by design, the link's single-use token is the credential for that one form
    # (scoped to one person and one key result); an unknown token is 404 for everyone
    ("GET", "/c/{token}"): (404, 404, 404, 404),
    ("POST", "/c/{token}"): (403, 403, 403, 403),  # without the link form's own CSRF cookie
    # management (issue 15): what changed, the roll-up per team, KPI values entered on the web
    ("GET", "/changes"): PAGE,
    ("GET", "/teams"): PAGE,
    ("POST", "/kpis/{kpi_id:int}/measurements"): (303, 403, 303, 303),
    ("GET", "/api/v1/changes"): READ,  # private records left out, as everywhere
    ("GET", "/api/v1/rollup/teams"): READ,
    # data sources (issue 11): editors of the KPI or key result; GETs find the push source `_push_source` gives them
    ("PUT", "/api/v1/kpis/{record_id}/source"): TEAM,
    ("GET", "/api/v1/kpis/{record_id}/source"): TEAM,
    ("POST", "/api/v1/kpis/{record_id}/source/dry-run"): (401, 403, 422, 422),  # a loopback URL: refused, not fetched
    ("GET", "/api/v1/kpis/{record_id}/source/runs"): TEAM,
    ("DELETE", "/api/v1/kpis/{record_id}/source"): (401, 403, 204, 204),  # the same right as setting it
    ("POST", "/api/v1/kpis/{record_id}/source/push"): (401, 401, 401, 401),  # only the push token counts
    ("PUT", "/api/v1/key-results/{record_id}/source"): TEAM,
    ("GET", "/api/v1/key-results/{record_id}/source"): TEAM,
    ("POST", "/api/v1/key-results/{record_id}/source/dry-run"): (401, 403, 422, 422),
    ("GET", "/api/v1/key-results/{record_id}/source/runs"): TEAM,
    ("DELETE", "/api/v1/key-results/{record_id}/source"): (401, 403, 204, 204),
    ("POST", "/api/v1/key-results/{record_id}/source/push"): (401, 401, 401, 401),
    ("GET", "/kpis/{kpi_id:int}/source"): (303, 403, 200, 200),
    ("POST", "/kpis/{kpi_id:int}/source"): (303, 403, 303, 303),
    ("POST", "/kpis/{kpi_id:int}/source/dry-run"): (303, 403, 200, 200),  # the page again, saying it was refused
    ("GET", "/key-results/{kr_id:int}/source"): (303, 403, 200, 200),
    ("POST", "/key-results/{kr_id:int}/source"): (303, 403, 303, 303),
    ("POST", "/key-results/{kr_id:int}/source/dry-run"): (303, 403, 200, 200),
    ("POST", "/kpis/{kpi_id:int}/source/remove"): (303, 403, 303, 303),
    ("POST", "/key-results/{kr_id:int}/source/remove"): (303, 403, 303, 303),
}


def app_routes() -> set[tuple[str, str]]:
    """Every (method, path) the app answers, HEAD aside."""
    app = create_app(bootstrap(Settings("sqlite://")))
    return {
        (method, route.path)
        for route in iter_route_contexts(app.routes)
        for method in (route.methods or ())
        if method != "HEAD"
    }


def test_every_route_has_an_entry_in_the_matrix_and_every_entry_a_route():
    routes = app_routes()
    assert routes - MATRIX.keys() == set(), "routes without an authorization matrix entry"
    assert MATRIX.keys() - routes == set(), "matrix entries for routes that no longer exist"


def _a_webhook(api: Api) -> int:
    """A webhook to read and delete (made again after the admin deleted it)."""
    from koers.services import webhooks

    with api.koers.uow() as uow:
        existing = uow.webhooks.list()
        if existing:
            return int(existing[0]["id"])
        return webhooks.create_webhook(uow, "https://hooks.example.org/matrix", ["cycle.closed"]).id


SOURCE = {"kind": "http_json", "url": "https://bi.example.org/nps", "selector": "$.nps", "every": "1h"}
LOOPBACK = {"kind": "http_json", "url": "http://127.0.0.1:9/nps", "selector": "$.nps"}


def _push_source(api: Api, subject: str, subject_id: int) -> None:
    """A push source on the record, so that the data-source GETs have something to show (issue 11)."""
    from koers.services.sources import find_source, set_source

    with api.koers.uow() as uow:
        if find_source(uow, subject, subject_id) is None:
            set_source(uow, subject, subject_id, {"kind": "push"}, api.koers.settings)


def _record_ids(api: Api) -> dict[str, int]:
    with api.koers.uow(read_only=True) as uow:
        owner_token = uow.connection.exec_driver_sql(
            f"SELECT id FROM api_tokens WHERE user_id = {api.ids['owner_user']} ORDER BY id LIMIT 1"
        ).scalar()
    return {
        "teams": api.ids["owner_team"],
        "users": api.ids["owner_user"],
        "cycles": api.ids["cycle"],
        "objectives": api.ids["objective"],
        "key-results": api.ids["key_result"],
        "kpis": api.ids["kpi"],
        "initiatives": api.ids["initiative"],
        "tokens": owner_token,
        "webhooks": _a_webhook(api),
    }


def _request(api: Api, method: str, path: str) -> tuple[str, dict[str, Any] | None]:
    ids = _record_ids(api)
    collection = path.removeprefix("/api/v1/").split("/")[0]
    url = path.replace("{record_id}", str(ids.get(collection, 0)))
    url = url.replace("{kr_id}", str(ids["key-results"])).replace("{lang}", "en")
    url = url.replace("{objective_id:int}", str(ids["objectives"])).replace("{kpi_id:int}", str(ids["kpis"]))
    url = url.replace("{cycle_id:int}", str(ids["cycles"]))
    url = url.replace("{cycle_id}", str(ids["cycles"]))
    url = url.replace("{kr_id:int}", str(ids["key-results"])).replace("{initiative_id:int}", str(ids["initiatives"]))
    url = url.replace("{user_id:int}", str(ids["users"])).replace("{team_id:int}", str(ids["teams"]))
    url = url.replace("{token_id:int}", str(ids["tokens"]))
    if path.endswith("/grade"):  # a grade exists once the cycle closed: team A's objective in the closed quarter
        url = url.replace(f"/objectives/{ids['objectives']}/", f"/objectives/{api.ids['too_easy_objective']}/")
    url = url.replace("{webhook_id:int}", str(ids["webhooks"]))
    team, objective, cycle = api.ids["owner_team"], ids["objectives"], ids["cycles"]
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("POST", "/api/v1/auth/login"): {"email": OWNING_TEAM_MEMBER, "password": PASSWORD},
        ("POST", "/api/v1/tokens"): {"name": "matrix"},
        ("POST", "/api/v1/lint"): {"text": "Meer leads genereren"},
        ("POST", "/api/v1/teams"): {"name": "Nieuw team"},
        ("PATCH", "/api/v1/teams/{record_id}"): {"name": "Klantenservice NL"},
        ("POST", "/api/v1/users"): {"email": "nieuw@example.org", "name": "Nieuw"},
        ("PATCH", "/api/v1/users/{record_id}"): {"name": "Youssef E."},
        ("POST", "/api/v1/cycles"): {"name": "2031-Q1", "start_date": "2031-01-01", "end_date": "2031-03-31"},
        ("PATCH", "/api/v1/cycles/{record_id}"): {"status": "active"},
        ("POST", "/api/v1/objectives"): {"title": "Klanten blijer maken", "cycle_id": cycle, "team_id": team},
        ("PATCH", "/api/v1/objectives/{record_id}"): {"description": "Bijgewerkt"},
        ("POST", "/api/v1/objectives/{record_id}/key-results"): {
            "title": "Wachttijd van 5 naar 2 minuten",
            "kind": "decrease",
            "baseline": 5,
            "target": 2,
        },
        ("POST", "/api/v1/key-results"): {
            "objective_id": objective,
            "title": "Klachten van 40 naar 20",
            "kind": "decrease",
            "baseline": 40,
            "target": 20,
        },
        ("PATCH", "/api/v1/key-results/{record_id}"): {"unit": "%"},
        ("POST", "/api/v1/key-results/{record_id}/check-ins"): {"value": 7.5, "confidence": "on_track"},
        ("POST", "/api/v1/kpis"): {
            "name": "Wachttijd",
            "team_id": team,
            "direction": "lower_is_better",
            "green_at": 2,
            "red_at": 5,
        },
        ("PATCH", "/api/v1/kpis/{record_id}"): {"description": "Bijgewerkt"},
        ("POST", "/api/v1/kpis/{record_id}/measurements"): {"value": 7.1},
        ("POST", "/api/v1/initiatives"): {"title": "Belscript herschrijven", "objective_id": objective},
        ("PATCH", "/api/v1/initiatives/{record_id}"): {"status": "done"},
        ("POST", "/language"): {"lang": "en", "next": "/week"},
        ("POST", "/login"): {"email": OWNING_TEAM_MEMBER, "password": PASSWORD, "next": "/week"},
        ("POST", "/week/key-results/{kr_id}/check-in"): {"value": "7,5", "confidence": "on_track"},
        ("POST", "/objectives/new"): {
            "title": "Klanten blijer maken",
            "cycle_id": cycle,
            "team_id": team,
            "level": "tactical",
            "type": "committed",
            "visibility": "public",
        },
        ("POST", "/objectives/{objective_id:int}/edit"): {"description": "Bijgewerkt"},
        ("POST", "/objectives/{objective_id:int}/key-results/new"): {
            "title": "Wachttijd van 5 naar 2 minuten",
            "kind": "decrease",
            "baseline": "5",
            "target": "2",
            "weight": "1",
        },
        ("POST", "/key-results/{kr_id:int}/edit"): {"unit": "%"},
        ("POST", "/kpis/new"): {
            "name": "Wachttijd",
            "team_id": team,
            "direction": "lower_is_better",
            "green_at": "2",
            "red_at": "5",
        },
        ("POST", "/kpis/{kpi_id:int}/edit"): {"description": "Bijgewerkt"},
        ("POST", "/initiatives/new"): {"title": "Belscript herschrijven", "belongs_to": f"o:{objective}"},
        ("POST", "/initiatives/{initiative_id:int}/edit"): {"status": "done"},
        ("POST", "/coach"): {"text": "Meer leads genereren", "kind": "key_result"},
        ("POST", "/key-results/kpi"): {
            "kpi_objective_id": objective,
            "kpi_name": "Herhaalaankopen",
            "kpi_direction": "higher_is_better",
            "kpi_green_at": "30",
            "kpi_red_at": "20",
        },
        ("POST", "/admin/users"): {
            "email": "nieuw@example.org",
            "name": "Nieuw",
            "role": "member",
            "locale": "nl",
            "password": PASSWORD,
        },
        ("POST", "/admin/users/{user_id:int}"): {"name": "Youssef E."},
        ("POST", "/admin/teams"): {"name": "Nieuw team"},
        ("POST", "/admin/teams/{team_id:int}"): {"name": "Klantenservice NL"},
        ("POST", "/admin/cycles"): {"name": "2031-Q1", "start_date": "2031-01-01", "end_date": "2031-03-31"},
        ("POST", "/admin/cycles/{cycle_id:int}"): {"status": "active"},
        ("POST", "/admin/tokens"): {"name": "matrix"},
        ("PUT", "/api/v1/users/{record_id}/password"): {"password": "nieuw-wachtwoord-matrix"},
        ("POST", "/api/v1/me/password"): {"current_password": PASSWORD, "new_password": "nieuw-wachtwoord-matrix"},
        ("POST", "/api/v1/invitations"): {"email": "uitgenodigd@example.org"},
        ("POST", "/admin/users/{user_id:int}/password"): {"password": "nieuw-wachtwoord-matrix"},
        ("POST", "/admin/invitations"): {"email": "uitgenodigd@example.org", "role": "member"},
        # close & what-if
        ("POST", "/api/v1/what-if"): {"values": {str(ids["key-results"]): 7.5}},
        ("POST", "/api/v1/objectives/{record_id}/carry-over"): {"cycle_id": api.ids["year_cycle"]},
        ("POST", "/key-results/{kr_id:int}/what-if"): {"value": "7,5"},
        ("POST", "/objectives/{objective_id:int}/retrospective"): {"retrospective": "Geleerd: eerder beginnen."},
        ("POST", "/objectives/{objective_id:int}/carry-over"): {"cycle_id": str(api.ids["year_cycle"])},
        ("PUT", "/api/v1/objectives/{record_id}/grade"): {"grade": 0.8, "note": "De meting klopte niet."},
        ("POST", "/objectives/{objective_id:int}/grade"): {"grade": "0,8", "note": "De meting klopte niet."},
        ("POST", "/profile/password"): {
            "current_password": PASSWORD,
            "new_password": "nieuw-wachtwoord-matrix",
            "new_password_again": "nieuw-wachtwoord-matrix",
        },
        ("POST", "/kpis/{kpi_id:int}/measurements"): {"value": "7,1"},
        # data sources: an HTTP JSON source a member may set; a dry run to loopback is refused before a connection
        ("PUT", "/api/v1/kpis/{record_id}/source"): SOURCE,
        ("PUT", "/api/v1/key-results/{record_id}/source"): SOURCE,
        ("POST", "/api/v1/kpis/{record_id}/source/dry-run"): LOOPBACK,
        ("POST", "/api/v1/key-results/{record_id}/source/dry-run"): LOOPBACK,
        ("POST", "/api/v1/kpis/{record_id}/source/push"): {"value": 7.1},
        ("POST", "/api/v1/key-results/{record_id}/source/push"): {"value": 7.5},
        ("POST", "/kpis/{kpi_id:int}/source"): SOURCE,
        ("POST", "/key-results/{kr_id:int}/source"): SOURCE,
        ("POST", "/kpis/{kpi_id:int}/source/dry-run"): LOOPBACK,
        ("POST", "/key-results/{kr_id:int}/source/dry-run"): LOOPBACK,
        ("POST", "/api/v1/webhooks"): {"url": "https://hooks.example.org/koers", "events": ["check_in.recorded"]},
        ("PUT", "/api/v1/teams/{record_id}/reminders"): {"enabled": True, "weekday": 1, "hour": 8},
        ("PUT", "/api/v1/users/{record_id}/preferences"): {"mail": "weekly"},
        ("POST", "/admin/webhooks"): {"url": "https://hooks.example.org/koers", "events": "cycle.closed"},
        ("POST", "/teams/{team_id:int}/reminders"): {"enabled": "1", "weekday": "1", "hour": "8"},
        ("POST", "/profile/notifications"): {"mail": "weekly"},
    }
    if "/source" in path and (method in ("GET", "DELETE") or path.endswith("/remove")):
        # something to show or remove: a push source on the record (issue 11)
        kpi_path = "kpi" in path
        _push_source(api, "kpi" if kpi_path else "key_result", ids["kpis" if kpi_path else "key-results"])
    url += {("GET", "/api/v1/changes"): "?since=2020-01-06"}.get((method, path), "")  # a required query
    return url, bodies.get((method, path))


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX), ids=[f"{m} {p}" for m, p in sorted(MATRIX)])
def test_each_caller_gets_exactly_what_the_matrix_says(sqlite_url, method, path):
    api = make_api(sqlite_url)
    try:
        got = []
        for caller in CALLERS:
            url, body = _request(api, method, path)
            if path.startswith("/api/"):
                response = api.client.request(method, url, json=body, headers=api.headers(caller))
            else:  # pages: the session cookie and, on posts, the session's CSRF token in the form
                form = {**(body or {}), "csrf_token": api.csrf(caller)} if method == "POST" else None
                api.client.cookies.clear()
                response = api.client.request(method, url, data=form, cookies=api.cookies(caller))
            got.append(response.status_code)
            if response.status_code >= 400 and path.startswith("/api/v1/"):
                assert response.headers["content-type"] == "application/problem+json", response.text
        expected = dict(zip(CALLERS, MATRIX[(method, path)], strict=True))
        assert dict(zip(CALLERS, got, strict=True)) == expected
    finally:
        api.client.close()
        api.koers.engine.dispose()
