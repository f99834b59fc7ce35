"""Logging in and out, and switching language."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from koers.domain.errors import KoersError
from koers.http.deps import ClientAddress, KoersDep
from koers.services import invitations
from koers.services import login as logins
from koers.services.accounts import TooManyAttempts
from koers.services.invitations import Invitation
from koers.services.organisation import update_user
from koers.services.sessions import SESSION_LIFETIME, end_session, start_session
from koers.web import i18n
from koers.web.flow import refused
from koers.web.forms import Entered, Typed
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.session import (
    LANGUAGE_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Changer,
    CsrfRejected,
    MaybeViewer,
    secure_cookies,
)

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only local paths: a login link must not send people to another site. Browsers read a backslash as a slash
    (`/\\evil.example` is `//evil.example`) and drop tabs and newlines, so those are refused too."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or urlparse(target).netloc
        or any(c == "\\" or ord(c) < 32 or ord(c) == 127 for c in target)
    ):
        return "/"
    return target


def _login_page(request: Request, next_path: str, email: str = "", error: str = "", status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request, "login.html", {"next": next_path, "email": email, "error": error, "login_csrf": token}, status_code
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax", secure=secure_cookies(request), path="/login"
    )
    return response


@router.get("/login")
def login_form(request: Request, viewer: MaybeViewer, next: str = "/") -> Response:
    if viewer is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, safe_next(next))


@router.post("/login")
def login(
    request: Request,
    koers: KoersDep,
    viewer: MaybeViewer,
    client: ClientAddress,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not csrf_token or not expected or not secrets.compare_digest(csrf_token, expected):
        raise CsrfRejected()
    try:
        user = logins.log_in(koers.uow, email, password, request.app.state.login_throttle, client)
    except TooManyAttempts:
        return _login_page(
            request, safe_next(next), email, _("Too many failed attempts. Try again in a few minutes."), 429
        )
    except KoersError:
        return _login_page(request, safe_next(next), email, _("Wrong email address or password."), 401)
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    with koers.uow(actor=user) as uow:
        old = request.cookies.get(SESSION_COOKIE)
        if old:
            end_session(uow, old)  # a new session id at every login: no session fixation
        if chosen in i18n.LOCALES and chosen != user.locale:
            # The language picked on the login page is the one the person wants: it becomes theirs.
            update_user(uow, user.id or 0, {"locale": chosen})
        session_id, _csrf = start_session(uow, user.id or 0)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, koers: KoersDep, user: Changer) -> Response:
    with koers.uow(actor=user) as uow:
        end_session(uow, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/language")
async def switch_language(request: Request, koers: KoersDep, user: Changer) -> Response:
    form = await request.form()
    lang = str(form.get("lang", ""))
    response = RedirectResponse(safe_next(str(form.get("next", "/"))), status_code=303)
    if lang in i18n.LOCALES:
        with koers.uow(actor=user) as uow:
            update_user(uow, user.id or 0, {"locale": lang})
        _remember_language(request, response, lang)  # the login page after logging out speaks it too
    return response


@router.get("/language/{lang}")
def choose_language(request: Request, lang: str, next: str = "/") -> Response:
    """For visitors who are not logged in: the choice lives in a cookie."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in i18n.LOCALES:
        _remember_language(request, response, lang)
    return response


def _remember_language(request: Request, response: Response, lang: str) -> None:
    """The language chosen in this browser, kept across logging in and out."""
    response.set_cookie(
        LANGUAGE_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="lax", secure=secure_cookies(request)
    )


# --- invitations: choose a password through a single-use link --------------------------------------------------

INVITE_CSRF_COOKIE = "koers_invite_csrf"


def _invite_page(request: Request, token: str, entered: Entered, invitation: Invitation) -> Response:
    csrf = secrets.token_urlsafe(32)
    entered.values = {"password": "", "password_again": ""}  # passwords never go back to the browser
    context = {"form": entered, "invitation": invitation, "token": token, "invite_csrf": csrf}
    response = render(request, "invite.html", context, entered.status)
    response.set_cookie(
        INVITE_CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=secure_cookies(request), path="/invite"
    )
    return response


@router.get("/invite/{token}")
def invitation_form(request: Request, koers: KoersDep, visitor: MaybeViewer, token: str) -> Response:
    try:
        with koers.uow(read_only=True) as uow:
            invitation = invitations.open_invitation(uow, token[:200])
    except KoersError as error:
        return refused(request, error, "/login")
    return _invite_page(request, token, Entered(), invitation)


@router.post("/invite/{token}")
def accept_invitation(request: Request, koers: KoersDep, visitor: MaybeViewer, token: str, form: Typed) -> Response:
    """Choose a password: the account is made (or enabled), the link used up, and the person logged in."""
    expected = request.cookies.get(INVITE_CSRF_COOKIE, "")
    sent = form.get("csrf_token")
    if not isinstance(sent, str) or not expected or not secrets.compare_digest(sent, expected):
        raise CsrfRejected()
    entered = Entered.read(form, ("password", "password_again"))
    password = str(entered.values.get("password", ""))
    if password != entered.values.get("password_again", ""):
        entered.errors["password_again"] = _("The two passwords differ.")

    def accept() -> tuple[str, int]:
        with koers.uow() as uow:
            user = invitations.accept(uow, token[:200], password)
            old = request.cookies.get(SESSION_COOKIE)
            if old:
                end_session(uow, old)
            session_id, _csrf = start_session(uow, user.id or 0)
        return session_id, user.id or 0

    done = entered.attempt(accept)
    if done is None:
        try:
            with koers.uow(read_only=True) as uow:
                invitation = invitations.open_invitation(uow, token[:200])
        except KoersError as error:
            return refused(request, error, "/login")
        return _invite_page(request, token, entered, invitation)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        done[0],
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )
    response.delete_cookie(INVITE_CSRF_COOKIE, path="/invite")
    return response
