"""Pages of the integrations (issue 11): the webhooks with their delivery log (admins), a team's reminder moment
(admins and the team's lead), a person's mail and chat settings (on the profile), and the one-click check-in form a
reminder mail links to (no login: the link's token is the credential for that one form)."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain import model
from koers.domain.errors import KoersError
from koers.domain.numbers import parse_check_in_value
from koers.http.deps import KoersDep
from koers.i18n import score
from koers.services import reminders, webhooks
from koers.storage.unit_of_work import UnitOfWork
from koers.vocabulary import label
from koers.web import i18n
from koers.web.flow import act, form_page, refused, submit
from koers.web.forms import Entered, Reader, Typed, Writer
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.routes.admin.overview import admin_only, admin_page
from koers.web.session import CsrfRejected, MaybeViewer, secure_cookies
from koers.wording import localise

router = APIRouter(include_in_schema=False)
WEBHOOK_FORM = ("url", "format", "lang", "secret")


def N_(message: str) -> str:
    return message


EVENT_LABELS = {
    "check_in.recorded": N_("A check-in is recorded"),
    "measurement.recorded": N_("A KPI measurement is recorded"),
    "key_result.status_changed": N_("A key result's pace status changes"),
    "cycle.closed": N_("A cycle is closed"),
}
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
MAIL_LABELS = {
    "weekly": N_("One mail a week: my reminders and my teams' digests together"),
    "per_team": N_("One mail per team, on each team's reminder day (more mail)"),
    "off": N_("No mail from Koers"),
}


# --- webhooks (admins) ---


def _webhooks_page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        return {
            "form": entered,
            "webhooks": webhooks.list_webhooks(uow),
            "events": [(code, _(text)) for code, text in EVENT_LABELS.items()],
            "formats": [("koers", "Koers (JSON)"), ("slack", "Slack"), ("teams", "Microsoft Teams")],
            "langs": [("nl", "Nederlands"), ("en", "English")],
        }

    return admin_page(request, koers, viewer, "admin/webhooks.html", build)


@router.get("/admin/webhooks")
def webhook_list(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    blank = {"url": "", "format": "koers", "lang": viewer.locale, "secret": "", "events": list(EVENT_LABELS)[:1]}
    return _webhooks_page(request, koers, viewer, Entered(blank))


@router.post("/admin/webhooks")
def add_webhook(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, WEBHOOK_FORM, lists=("events",), new=True)
    values = entered.values

    def change(uow: UnitOfWork) -> webhooks.Webhook:
        return webhooks.create_webhook(
            uow,
            str(values.get("url", "")),
            list(values.get("events") or []),
            str(values.get("secret", "")) or None,
            str(values.get("format") or "koers"),
            str(values.get("lang") or "nl"),
            secret_key=koers.settings.secret_key,
        )

    def again() -> Response:
        entered.values["secret"] = ""  # a secret never goes back to the browser
        return _webhooks_page(request, koers, user, entered)

    return submit(
        koers, user, entered, admin_only("admin_only.webhooks", change), lambda w: f"/admin/webhooks/{w.id}", again
    )


@router.get("/admin/webhooks/{webhook_id:int}")
def webhook_log(request: Request, koers: KoersDep, viewer: Reader, webhook_id: int) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        return {
            "form": Entered(),
            "webhook": webhooks.get_webhook(uow, webhook_id),
            "deliveries": webhooks.deliveries(uow, webhook_id),
            "event_label": lambda code: _(EVENT_LABELS.get(code) or code),
        }

    return admin_page(request, koers, viewer, "admin/webhook.html", build, "/admin/webhooks")


@router.post("/admin/webhooks/{webhook_id:int}/delete")
def remove_webhook(request: Request, koers: KoersDep, user: Writer, webhook_id: int) -> Response:
    return act(
        request, koers, user, lambda uow: webhooks.delete_webhook(uow, webhook_id), "/admin/webhooks", "/admin/webhooks"
    )


# --- a team's reminder moment (admins and the team's lead) ---

REMINDER_FORM = ("enabled", "weekday", "hour")


def _reminder_page(
    request: Request, koers: KoersDep, viewer: model.User, team_id: int, entered: Entered | None
) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        team = uow.teams.get(team_id)
        if not reminders.can_set_reminders(uow.actor, team):
            raise reminders_forbidden(team_id)
        stored = reminders.team_reminder(uow, team_id)
        form = entered or Entered({k: str(int(v)) if isinstance(v, bool | int) else v for k, v in stored.items()})
        return {
            "form": form,
            "team": team,
            "weekdays": [(str(i), _(day)) for i, day in enumerate(WEEKDAYS)],
            "hours": [(str(h), f"{h:02d}:00") for h in range(24)],
            "timezone": koers.settings.timezone,
        }

    return form_page(request, koers, viewer, "team_reminders.html", build)


def reminders_forbidden(team_id: int) -> KoersError:
    from koers.domain.errors import PermissionDenied

    return PermissionDenied("team.reminders_forbidden", id=team_id)


@router.get("/teams/{team_id:int}/reminders")
def team_reminders(request: Request, koers: KoersDep, viewer: Reader, team_id: int) -> Response:
    return _reminder_page(request, koers, viewer, team_id, None)


@router.post("/teams/{team_id:int}/reminders")
def set_team_reminders(request: Request, koers: KoersDep, user: Writer, form: Typed, team_id: int) -> Response:
    entered = Entered.read(form, REMINDER_FORM)
    weekday, hour = str(entered.values.get("weekday", "0")), str(entered.values.get("hour", "9"))
    if not (weekday.isdigit() and len(weekday) == 1):
        entered.errors["weekday"] = _("Choose one of the options.")
    if not (hour.isdigit() and len(hour) <= 2):
        entered.errors["hour"] = _("Choose one of the options.")

    def change(uow: UnitOfWork) -> dict[str, Any]:
        enabled = entered.values.get("enabled") == "1"
        return reminders.set_team_reminder(uow, team_id, enabled, int(weekday), int(hour))

    return submit(
        koers,
        user,
        entered,
        change,
        lambda saved: f"/teams/{team_id}/reminders?saved=1",
        lambda: _reminder_page(request, koers, user, team_id, entered),
    )


# --- a person's mail and chat settings (their profile) ---

PREFERENCES_FORM = ("mail", "slack_user_id", "teams_user_id")


def _preferences_page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered | None) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        stored = reminders.preferences(uow, viewer.id or 0)
        form = entered or Entered({k: stored[k] or "" for k in PREFERENCES_FORM})
        return {"form": form, "mail_choices": [(k, _(v)) for k, v in MAIL_LABELS.items()]}

    return form_page(request, koers, viewer, "profile_notifications.html", build, "/profile")


@router.get("/profile/notifications")
def notifications(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    return _preferences_page(request, koers, viewer, None)


@router.post("/profile/notifications")
def set_notifications(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, PREFERENCES_FORM)

    def change(uow: UnitOfWork) -> dict[str, Any]:
        return reminders.set_preferences(uow, user.id or 0, dict(entered.values))

    return submit(
        koers,
        user,
        entered,
        change,
        lambda saved: "/profile/notifications?saved=1",
        lambda: _preferences_page(request, koers, user, entered),
    )


# --- the one-click check-in (no login: the token is the credential for this one form) ---

LINK_CSRF_COOKIE = "koers_link_csrf"


def _link_page(request: Request, token: str, link: reminders.OpenLink, entered: Entered) -> Response:
    csrf = secrets.token_urlsafe(32)
    kr = link.key_result
    request.state.locale = link.user.locale  # the language of the mail that brought them here
    i18n.current_locale.set(link.user.locale)
    context = {
        "form": entered,
        "token": token,
        "link_csrf": csrf,
        "kr": kr,
        "objective": link.objective,
        "person": link.user,
        "status": link.status,
        "status_label": _(label(link.status)),
        "confidences": [(c, _(label(c))) for c in model.CONFIDENCES],
    }
    response = render(request, "check_in_link.html", context, entered.status)
    response.set_cookie(
        LINK_CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=secure_cookies(request), path="/c"
    )
    response.headers["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
    return response


def _link_refused(request: Request, error: KoersError) -> Response:
    titles = {
        "check_in_link.used": _("This link has been used"),
        "check_in_link.expired": _("This link has expired"),
    }
    message = localise(error)
    if error.code in titles:
        page = {"title": titles[error.code], "message": message[:1].upper() + message[1:], "back": "/week"}
        return render(request, "message.html", page, 410)
    return refused(request, error, "/week")


@router.get("/c/{token}")
def link_form(request: Request, koers: KoersDep, visitor: MaybeViewer, token: str) -> Response:
    try:
        with koers.uow(read_only=True) as uow:
            link = reminders.open_link(uow, token[:200])
    except KoersError as error:
        return _link_refused(request, error)
    return _link_page(request, token, link, Entered({"value": "", "confidence": "", "note": ""}))


@router.post("/c/{token}")
def link_check_in(request: Request, koers: KoersDep, visitor: MaybeViewer, token: str, form: Typed) -> Response:
    """Record one check-in as the link's person, and use the link up (both or neither)."""
    expected = request.cookies.get(LINK_CSRF_COOKIE, "")
    sent = form.get("csrf_token")
    forged = not isinstance(sent, str) or not expected or not secrets.compare_digest(sent, expected)
    try:
        with koers.uow(read_only=True) as uow:
            link = reminders.open_link(uow, token[:200])
    except KoersError as error:
        if forged and error.code == "check_in_link.invalid":
            raise CsrfRejected() from None
        return _link_refused(request, error)  # a used or expired link says so, whatever the form carries
    if forged:
        raise CsrfRejected()
    entered = Entered.read(form, ("value", "confidence", "note"), new=True)

    def record() -> Any:
        value = parse_check_in_value(
            str(entered.values.get("value", "")),
            link.user.locale,
            field="value",
            kind=link.key_result.kind,
            unit=link.key_result.unit,
        )
        confidence = str(entered.values.get("confidence") or "") or None
        return reminders.check_in_by_link(
            lambda actor: koers.uow(actor=actor), token[:200], value, confidence, str(entered.values.get("note", ""))
        )

    try:
        result = record()
    except KoersError as error:
        if error.code.startswith("check_in_link."):
            return _link_refused(request, error)
        entered.fail(error)
        return _link_page(request, token, link, entered)
    kr = result.key_result
    page = {
        "title": _("Check-in saved"),
        "message": _("Thank you. “%(title)s” now scores %(score)s.") % {"title": kr.title, "score": score(kr.score)},
        "back": "/week",
    }
    response = render(request, "message.html", page, 200)
    response.delete_cookie(LINK_CSRF_COOKIE, path="/c")
    return response
