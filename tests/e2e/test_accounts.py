"""Passwords, enabling users and invitations through every door: the CLI, the API and the web pages."""

from __future__ import annotations

import re

from koers.bootstrap import bootstrap
from koers.config import Settings
from koers.services.login import LoginThrottle, log_in
from koers.services.sessions import session_user
from tests.e2e.api_support import OTHER_TEAM_MEMBER, OWNING_TEAM_MEMBER, PASSWORD
from tests.e2e.api_support import make_demo_api as _make_demo_api

V1 = "/api/v1"
NEW = "nieuw-lang-wachtwoord"


def _logs_in(koers, email: str, password: str) -> bool:
    try:
        log_in(koers.uow, email, password, LoginThrottle())
    except Exception:
        return False
    return True


# --- CLI -------------------------------------------------------------------------------------------------------


def test_the_cli_sets_a_password_only_from_stdin(cli, database_url):
    assert cli("user", "add", "anne@example.org").code == 0
    asked = cli("user", "set-password", "anne@example.org")
    assert asked.code == 1 and "--password-stdin" in asked.err  # never prompts, says how
    weak = cli("user", "set-password", "anne@example.org", "--password-stdin", stdin="12345678\n")
    assert weak.code == 1 and "most common" in weak.err
    assert cli("user", "set-password", "anne@example.org", "--password-stdin", stdin=NEW + "\n").code == 0
    koers = bootstrap(Settings(database_url))
    try:
        assert _logs_in(koers, "anne@example.org", NEW)
    finally:
        koers.engine.dispose()


def test_the_cli_enables_a_disabled_user(cli):
    assert cli("user", "add", "anne@example.org").code == 0
    assert cli("user", "disable", "anne@example.org").code == 0
    assert cli("user", "enable", "anne@example.org").code == 0
    listed = cli("user", "list", "--json")
    assert '"active": true' in listed.out


def test_the_cli_invites_with_a_link(sqlite_cli):
    result = sqlite_cli("user", "invite", "cas@example.org", "--base-url", "https://okr.example.org")
    assert result.code == 0, result.err
    assert re.search(r"https://okr\.example\.org/invite/[A-Za-z0-9_-]{43}", result.out)


# --- API -------------------------------------------------------------------------------------------------------


def test_an_admin_sets_a_password_over_the_api(api):
    c, owner = api.client, api.ids["owner_user"]
    weak = c.put(f"{V1}/users/{owner}/password", json={"password": "        "}, headers=api.headers("admin"))
    assert weak.status_code == 422 and weak.json()["detail"] == "a password cannot be only spaces"
    done = c.put(f"{V1}/users/{owner}/password", json={"password": NEW}, headers=api.headers("admin"))
    assert done.status_code == 204
    assert c.get(f"{V1}/objectives", headers=api.headers("owner")).status_code == 401  # their tokens are revoked
    assert c.post(f"{V1}/auth/login", json={"email": OWNING_TEAM_MEMBER, "password": NEW}).status_code == 201


def test_people_change_their_own_password_with_the_current_one(sqlite_api):
    c, headers = sqlite_api.client, sqlite_api.headers("other")
    wrong = c.post(f"{V1}/me/password", json={"current_password": "raden-raden", "new_password": NEW}, headers=headers)
    assert wrong.status_code == 422 and wrong.json()["detail"] == "the current password is wrong"
    done = c.post(f"{V1}/me/password", json={"current_password": PASSWORD, "new_password": NEW}, headers=headers)
    assert done.status_code == 204
    assert c.post(f"{V1}/auth/login", json={"email": OTHER_TEAM_MEMBER, "password": NEW}).status_code == 201


def test_an_admin_enables_a_user_over_the_api(sqlite_api):
    c, admin, other = sqlite_api.client, sqlite_api.headers("admin"), sqlite_api.ids["other_user"]
    assert c.delete(f"{V1}/users/{other}", headers=admin).json()["active"] is False
    enabled = c.post(f"{V1}/users/{other}/enable", headers=admin)
    assert enabled.status_code == 200 and enabled.json()["active"] is True
    assert c.post(f"{V1}/auth/login", json={"email": OTHER_TEAM_MEMBER, "password": PASSWORD}).status_code == 201


# --- web -------------------------------------------------------------------------------------------------------


def _form(api, caller: str, **fields: str) -> dict[str, str]:
    api.client.cookies.clear()
    api.client.cookies.update(api.cookies(caller))
    return {**fields, "csrf_token": api.csrf(caller)}


def test_the_profile_page_changes_the_password_and_keeps_this_session(sqlite_api):
    c = sqlite_api.client
    page = c.get("/profile", cookies=sqlite_api.cookies("other"))
    assert page.status_code == 200 and 'href="/admin/tokens"' in page.text and 'href="/profile"' in page.text
    with sqlite_api.koers.uow() as uow:
        from koers.services.sessions import start_session

        elsewhere, _ = start_session(uow, sqlite_api.ids["other_user"])
    wrong = c.post(
        "/profile/password",
        data=_form(sqlite_api, "other", current_password="fout-fout", new_password=NEW, new_password_again=NEW),
    )
    assert wrong.status_code == 422 and "het huidige wachtwoord klopt niet" in wrong.text
    common = c.post(
        "/profile/password",
        data=_form(
            sqlite_api, "other", current_password=PASSWORD, new_password="password1", new_password_again="password1"
        ),
    )
    assert common.status_code == 422 and "meest gebruikte" in common.text
    done = c.post(
        "/profile/password",
        data=_form(sqlite_api, "other", current_password=PASSWORD, new_password=NEW, new_password_again=NEW),
    )
    assert done.status_code == 303 and done.headers["location"] == "/profile?changed=1"
    with sqlite_api.koers.uow(read_only=True) as uow:
        assert session_user(uow, sqlite_api.sessions["other"][0]) is not None
        assert session_user(uow, elsewhere) is None
    assert _logs_in(sqlite_api.koers, OTHER_TEAM_MEMBER, NEW)


def test_an_admin_sets_a_password_and_enables_a_user_on_their_page(sqlite_api):
    c, other = sqlite_api.client, sqlite_api.ids["other_user"]
    weak = c.post(f"/admin/users/{other}/password", data=_form(sqlite_api, "admin", password="12345678"))
    assert weak.status_code == 422 and "meest gebruikte" in weak.text
    done = c.post(f"/admin/users/{other}/password", data=_form(sqlite_api, "admin", password=NEW))
    assert done.status_code == 303
    assert _logs_in(sqlite_api.koers, OTHER_TEAM_MEMBER, NEW)
    c.post(f"/admin/users/{other}/disable", data=_form(sqlite_api, "admin"))
    page = c.get(f"/admin/users/{other}", cookies=sqlite_api.cookies("admin"))
    assert f'action="/admin/users/{other}/enable"' in page.text
    assert c.post(f"/admin/users/{other}/enable", data=_form(sqlite_api, "admin")).status_code == 303
    assert _logs_in(sqlite_api.koers, OTHER_TEAM_MEMBER, NEW)


def test_an_invitation_link_works_once_and_logs_the_person_in(sqlite_api):
    c = sqlite_api.client
    made = c.post("/admin/invitations", data=_form(sqlite_api, "admin", email="cas@example.org", role="member"))
    assert made.status_code == 200
    link = re.search(r'value="http://testserver(/invite/[A-Za-z0-9_-]{43})"', made.text).group(1)
    c.cookies.clear()
    page = c.get(link)
    assert page.status_code == 200 and "cas@example.org" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    weak = c.post(link, data={"password": "12345678", "password_again": "12345678", "csrf_token": csrf})
    assert weak.status_code == 422
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', weak.text).group(1)
    accepted = c.post(link, data={"password": NEW, "password_again": NEW, "csrf_token": csrf})
    assert accepted.status_code == 303 and c.get("/week").status_code == 200  # logged in
    assert _logs_in(sqlite_api.koers, "cas@example.org", NEW)
    c.cookies.clear()
    used = c.get(link)
    assert used.status_code == 422 and "al gebruikt" in used.text


def test_an_invitation_page_speaks_the_visitors_language(sqlite_api):
    c = sqlite_api.client
    made = c.post(f"{V1}/invitations", json={"email": "cas@example.org"}, headers=sqlite_api.headers("admin"))
    link = "/invite/" + made.json()["token"]
    c.cookies.clear()
    english = c.get(link, headers={"Accept-Language": "en-GB,en;q=0.9"})
    dutch = c.get(link, headers={"Accept-Language": "nl"})
    assert "You have been invited as cas@example.org" in english.text and "Choose a password" in english.text
    assert "Je bent uitgenodigd als cas@example.org" in dutch.text
    gone = c.get("/invite/" + "x" * 43, headers={"Accept-Language": "en"})
    assert gone.status_code == 404 and "Page not found" in gone.text and "Pagina" not in gone.text


def test_an_invitation_over_the_api_gives_a_link(sqlite_api):
    made = sqlite_api.client.post(
        f"{V1}/invitations", json={"email": "cas@example.org", "role": "admin"}, headers=sqlite_api.headers("admin")
    )
    assert made.status_code == 201 and made.json()["url"].endswith("/invite/" + made.json()["token"])
    listed = sqlite_api.client.get(f"{V1}/invitations", headers=sqlite_api.headers("admin")).json()
    assert [i["email"] for i in listed] == ["cas@example.org"] and "token" not in listed[0]


# --- the demo --------------------------------------------------------------------------------------------------


def test_every_demo_person_can_log_in_with_the_demo_password(sqlite_url):
    from koers.services.demo import DEMO_ADMIN_PASSWORD

    api = _make_demo_api(sqlite_url)
    try:
        with api.koers.uow(read_only=True) as uow:
            people = [u.email for u in uow.users.list()]
        assert len(people) > 1
        for email in people:
            assert _logs_in(api.koers, email, DEMO_ADMIN_PASSWORD), email
    finally:
        api.koers.engine.dispose()


def test_serve_demo_tells_the_admin_to_change_the_public_password_until_it_is_changed(sqlite_cli, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    first = sqlite_cli("serve", "--demo")
    assert first.code == 0 and "welkom-bij-koers" in first.out and "/profile" in first.out
    changed = sqlite_cli("user", "set-password", "admin@koers.local", "--password-stdin", stdin=NEW + "\n")
    assert changed.code == 0
    again = sqlite_cli("serve", "--demo")
    assert again.code == 0 and "welkom-bij-koers" not in again.out
