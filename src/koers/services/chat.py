"""Check-ins from chat: a Slack slash command (`/koers checkin KR_ID VALUE [note]`, `/koers status`) and a Microsoft
Teams outgoing webhook (`@Koers checkin KR_ID VALUE [note]`, `@Koers status`).

**Who is speaking.** Both platforms send their own id of the person, not an e-mail address. Koers keeps a mapping on
the person (`user_integrations`): the Slack member id (`U…`, "Copy member ID" in Slack's profile menu) and the Teams
user's Azure AD object id (`from.aadObjectId`), set by the person on their profile or by an admin through
`PUT /api/v1/users/{id}/preferences`. Koers does not call Slack's `users.info` or Microsoft Graph to look up
addresses: that would be outgoing traffic with a bot token to keep. An unknown id gets an answer that says how to
link it, and records nothing.

**Is it really the platform.** Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{timestamp}:{raw body}" with the
signing secret>` and `X-Slack-Request-Timestamp` within 5 minutes of now. Teams: `Authorization: HMAC <base64
HMAC-SHA256 of the raw body with the base64-decoded shared secret>`, and the activity's own `timestamp` within 5
minutes (Teams sends no timestamp header; the one in the signed body stops replays the same way). Comparisons are
constant-time. A request that fails either check records nothing and is answered 401.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Final

from koers import i18n
from koers.domain import model
from koers.domain.errors import KoersError
from koers.domain.numbers import parse_check_in_value
from koers.services.accounts import Unauthenticated
from koers.services.check_ins import record_check_in
from koers.services.read.views import key_result_status
from koers.storage.unit_of_work import UnitOfWork

WINDOW: Final = timedelta(minutes=5)
PLATFORM_FIELDS: Final = {"slack": "slack_user_id", "teams": "teams_user_id"}
MAX_STATUS_LINES: Final = 20


def N_(message: str) -> str:
    return message


# --- verifying the platform's signature ---


def verify_slack(signing_secret: str, timestamp: str | None, body: bytes, sent: str | None, now: datetime) -> None:
    """Slack's request signature (v0) and a timestamp within 5 minutes; Unauthenticated otherwise."""
    if not signing_secret or not timestamp or not sent:
        raise Unauthenticated("chat.signature_invalid")
    if (
        not (timestamp.isascii() and timestamp.isdigit())
        or abs(now.timestamp() - int(timestamp)) > WINDOW.total_seconds()
    ):
        raise Unauthenticated("chat.signature_invalid")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), sent.encode(errors="replace")):
        raise Unauthenticated("chat.signature_invalid")


def verify_teams(
    shared_secret: str, body: bytes, authorization: str | None, sent_at: str | None, now: datetime
) -> None:
    """A Teams outgoing webhook's HMAC and the activity's timestamp within 5 minutes; Unauthenticated otherwise."""
    if not shared_secret or not authorization:
        raise Unauthenticated("chat.signature_invalid")
    scheme, _, value = authorization.strip().partition(" ")
    try:
        key = base64.b64decode(shared_secret, validate=True)
    except (binascii.Error, ValueError):
        raise Unauthenticated("chat.signature_invalid") from None
    expected = base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()
    if scheme != "HMAC" or not hmac.compare_digest(expected.encode(), value.strip().encode(errors="replace")):
        raise Unauthenticated("chat.signature_invalid")
    try:
        moment = datetime.fromisoformat((sent_at or "").replace("Z", "+00:00"))
    except ValueError:
        raise Unauthenticated("chat.signature_invalid") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if abs(now - moment) > WINDOW:
        raise Unauthenticated("chat.signature_invalid")


# --- the commands ---


def plain_text(text: str) -> str:
    """A Teams message as plain words: without the bot's <at> mention, tags and entities."""
    text = re.sub(r"<at>.*?</at>", " ", text or "", flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(r"<[^>]{0,500}>", " ", text)
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def _(message: str) -> str:
    return i18n.gettext_(message)


HELP: Final = N_(
    "Commands: “checkin KR_ID VALUE [note]” records a check-in on key result KR_ID; “status” lists your key results."
)


def run_command(
    open_uow: Callable[[model.User | None], UnitOfWork], platform: str, external_id: str, text: str, now: datetime
) -> str:
    """Run one chat command as the person linked to `external_id` on `platform`; the answer, in their language."""
    with open_uow(None) as uow:
        user_id = uow.user_integrations.owner_of(PLATFORM_FIELDS[platform], external_id) if external_id else None
        person = uow.users.find(user_id) if user_id is not None else None
    if person is None or not person.active:
        with i18n_locale(i18n.DEFAULT_LOCALE):
            return _(
                "Koers does not know you yet. Add your {platform} id ({id}) to your profile in Koers, then try again."
            ).format(platform="Slack" if platform == "slack" else "Teams", id=external_id or "?")
    with i18n_locale(person.locale):
        words = plain_text(text).split(" ", 3) if text.strip() else []
        command = words[0].lower() if words else ""
        try:
            if command in ("checkin", "check-in", "inchecken") and len(words) >= 3:
                return _check_in(open_uow, person, words)
            if command == "status":
                return _status(open_uow, person, now)
        except KoersError as problem:
            return _("Not recorded: {reason}").format(reason=_reason(problem))
        return _(HELP)


def _reason(problem: KoersError) -> str:
    """An error's message in the current language (English when the translation cannot take its parameters)."""
    try:
        return _(problem.template).format(**problem.params)
    except (KeyError, ValueError, IndexError):
        return problem.message


def _check_in(open_uow: Callable[[model.User | None], UnitOfWork], person: model.User, words: list[str]) -> str:
    kr_id_text = words[1].lstrip("#")
    if not (kr_id_text.isascii() and kr_id_text.isdigit()) or not 1 <= int(kr_id_text) <= 2**31 - 1:
        return _(HELP)
    with open_uow(person) as uow:
        kr = uow.key_results.get(int(kr_id_text))
        value = parse_check_in_value(words[2], person.locale, field="value", kind=kr.kind, unit=kr.unit)
        note = words[3] if len(words) > 3 else ""
        result = record_check_in(uow, int(kr_id_text), value, None, note, author_id=person.id)
    kr = result.key_result
    return _("Recorded: “{title}” is now {value} (score {score}, {status}).").format(
        title=kr.title,
        value=f"{i18n.number(kr.current, 2)} {kr.unit}".strip(),
        score=i18n.score(kr.score),
        status=_(label_of(result.status(datetime.now(UTC).date()))),
    )


def _status(open_uow: Callable[[model.User | None], UnitOfWork], person: model.User, now: datetime) -> str:
    with open_uow(person) as uow:
        cycles = {c.id: c for c in uow.cycles.list() if c.status == "active"}
        krs = [kr for kr in uow.key_results.list(owner_id=person.id) if not kr.archived]
        objectives = {o.id: o for o in uow.objectives.list_for("id", [kr.objective_id for kr in krs])}
        lines = []
        for kr in krs:
            objective = objectives.get(kr.objective_id)
            if objective is None or objective.cycle_id not in cycles:
                continue
            status = key_result_status(kr, objective, cycles[objective.cycle_id], now.date())
            lines.append(
                f"#{kr.id} {kr.title}: {i18n.number(kr.current, 2)} {kr.unit}".rstrip()
                + f" ({i18n.score(kr.score)}, {_(label_of(status))})"
            )
    if not lines:
        return _("You own no key results in an active cycle.")
    shown = lines[:MAX_STATUS_LINES]
    return "\n".join([_("Your key results:"), *shown])


def label_of(code: str) -> str:
    from koers.vocabulary import label

    return label(code)


class i18n_locale:
    """`with i18n_locale("en"):` translates into that language inside the block."""

    def __init__(self, locale: str) -> None:
        self.locale = locale if locale in i18n.LOCALES else i18n.DEFAULT_LOCALE

    def __enter__(self) -> None:
        self.token = i18n.current_locale.set(self.locale)

    def __exit__(self, *args: object) -> None:
        i18n.current_locale.reset(self.token)
