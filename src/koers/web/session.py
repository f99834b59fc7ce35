"""Who is looking at a page: the session cookie, the language, CSRF checks on every state-changing form."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from koers.domain.model import User
from koers.http.deps import KoersDep
from koers.services.sessions import session_user
from koers.web import i18n

SESSION_COOKIE = "koers_session"
LOGIN_CSRF_COOKIE = "koers_login_csrf"
LANGUAGE_COOKIE = "koers_lang"


class LoginRequired(Exception):
    """The page needs a logged-in user: answered with a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class CsrfRejected(Exception):
    """A state-changing request without the right CSRF token."""


def page_context(request: Request, koers: KoersDep) -> User | None:
    """Load the session's user and choose the language; every page depends on this."""
    user, csrf = None, ""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        with koers.uow(read_only=True) as uow:
            found = session_user(uow, session_id)
        if found is not None:
            user, csrf = found
    request.state.user = user
    request.state.csrf_token = csrf
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if user is not None:
        request.state.locale = user.locale
    elif chosen in i18n.LOCALES:
        request.state.locale = chosen
    else:
        request.state.locale = i18n.negotiate(request.headers.get("accept-language"))
    return user


async def localised(request: Request, user: Annotated[User | None, Depends(page_context)]) -> User | None:
    """Make the request's language the one `_()` uses in route code too (not only in templates).

    Async on purpose: it runs in the request's own context, which the route's worker thread then copies.
    """
    i18n.current_locale.set(request.state.locale)
    return user


def signed_in(request: Request, user: Annotated[User | None, Depends(localised)]) -> User:
    """The logged-in user, or a redirect to the login page."""
    if user is None:
        raise LoginRequired(request.url.path)
    return user


async def csrf_protected(request: Request, user: Annotated[User, Depends(signed_in)]) -> User:
    """Refuse a state-changing request whose CSRF token (form field or X-CSRF-Token header) is not the session's."""
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    expected = request.state.csrf_token
    if not sent or not expected or not secrets.compare_digest(sent, expected):
        raise CsrfRejected()
    return user


Viewer = Annotated[User, Depends(signed_in)]
Changer = Annotated[User, Depends(csrf_protected)]
MaybeViewer = Annotated[User | None, Depends(localised)]


def login_redirect(next_path: str) -> RedirectResponse:
    """Send an anonymous visitor to the login page, remembering where they wanted to go."""
    from urllib.parse import quote

    target = next_path if next_path.startswith("/") and not next_path.startswith("//") else "/"
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def secure_cookies(request: Request) -> bool:
    """Cookies are Secure when the page came over HTTPS (directly or through a proxy that says so)."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
