"""Everyone's own page: who they are, changing their password, and the way to their API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain import model
from koers.http.deps import ClientAddress, KoersDep
from koers.services import login
from koers.web.flow import see_other
from koers.web.forms import Entered, Reader, Typed, Writer
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.session import SESSION_COOKIE

router = APIRouter(include_in_schema=False)
FORM = ("current_password", "new_password", "new_password_again")


def _page(request: Request, viewer: model.User, entered: Entered, changed: bool = False) -> Response:
    entered.values = dict.fromkeys(FORM, "")  # passwords never go back to the browser
    return render(request, "profile.html", {"form": entered, "person": viewer, "changed": changed}, entered.status)


@router.get("/profile")
def profile(request: Request, viewer: Reader, changed: int = 0) -> Response:
    return _page(request, viewer, Entered(), changed=bool(changed))


@router.post("/profile/password")
def change_password(request: Request, koers: KoersDep, user: Writer, form: Typed, client: ClientAddress) -> Response:
    """The current password, then the new one twice; the other sessions end, this one stays."""
    entered = Entered.read(form, FORM)
    new = str(entered.values.get("new_password", ""))
    if new != entered.values.get("new_password_again", ""):
        entered.errors["new_password_again"] = _("The two new passwords differ.")

    def change() -> bool:
        throttle = request.app.state.login_throttle
        current = str(entered.values.get("current_password", ""))
        keep = request.cookies.get(SESSION_COOKIE)
        login.change_password(koers.uow, user, current, new, throttle, client, keep_session=keep)
        return True

    if entered.attempt(change, {"password": "new_password"}) is None:
        return _page(request, user, entered)
    return see_other("/profile?changed=1")
