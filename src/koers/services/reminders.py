"""Check-in reminders, the weekly mail and one-click check-ins.

**One mail a week.** Every person gets at most ONE scheduled mail per ISO week (Monday to Sunday, in KOERS_TIMEZONE):
the reminders for the key results they own that wait for a check-in, and the weekly digest of each of their teams,
together. It goes at the earliest reminder moment (day and hour) of their teams that has passed this week (a person
without a team: Monday 09:00); a team can switch its reminders off. The `mail_log` table holds one row per address,
kind and period (`2026-W48`), unique, claimed before the mail is sent: two workers never both send it, and a failed
send gives the claim back for the next run. A person chooses on their profile (`mail`): `weekly` (the default),
`per_team` (asked for more: one mail per team at that team's own moment, with that team's reminders and digest;
reminders for whole-organisation objectives come at the default moment), or `off`. Invitation mails are not
scheduled mail: an admin sends them on purpose, to someone who has no account yet.

**Which key results wait.** The one rule of "no recent check-in": `koers.domain.attention.is_overdue` (the check-in
period of the key result's cadence, counted on the calendar), for key results of active cycles that the person owns.

**One-click links.** Each reminder carries a link `/c/<token>`: 256 random bits, of which only the sha256 is stored
(`check_in_links`), with the person, the key result and an expiry 7 days on. The token is the credential for that one
form: whoever holds it records one check-in on that key result as that person (through `record_check_in`, with that
person's rights), once; a second use is refused. A random token with a stored hash needs no server signing key and
can be used up, which a signature alone cannot.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any, Final

from koers.config import time_zone
from koers.domain import model
from koers.domain.attention import is_overdue
from koers.domain.errors import NotFound, ValidationError
from koers.domain.permissions import is_admin
from koers.services import audit
from koers.services.check_ins import CheckInResult, record_check_in
from koers.services.jobs import Job, OpenUnitOfWork, register
from koers.services.permissions import require
from koers.services.read.digest import team_digest
from koers.services.read.views import key_result_status
from koers.services.scores import cycle_window
from koers.storage.unit_of_work import UnitOfWork

LINK_LIFETIME: Final = timedelta(days=7)
LINK_PATH: Final = "/c/"
MAIL_CHOICES: Final = ("weekly", "per_team", "off")
DEFAULT_MOMENT: Final = {"enabled": True, "weekday": 0, "hour": 9}
MAX_CHAT_ID: Final = {"slack_user_id": 40, "teams_user_id": 100}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- a team's reminder moment ---


def can_set_reminders(actor: model.User | None, team: model.Team) -> bool:
    """Admins and the team's lead."""
    return is_admin(actor) or (actor is not None and team.lead_id is not None and team.lead_id == actor.id)


def team_reminder(uow: UnitOfWork, team_id: int) -> dict[str, Any]:
    """A team's reminder moment: enabled, weekday (0 = Monday) and hour (in KOERS_TIMEZONE)."""
    uow.teams.get(team_id)
    row = uow.team_reminders.find(team_id) or DEFAULT_MOMENT
    return {"team_id": team_id, "enabled": bool(row["enabled"]), "weekday": row["weekday"], "hour": row["hour"]}


def set_team_reminder(uow: UnitOfWork, team_id: int, enabled: bool, weekday: int, hour: int) -> dict[str, Any]:
    """Set a team's reminder moment (admins and the team's lead)."""
    team = uow.teams.get(team_id)
    require(can_set_reminders(uow.actor, team), "team.reminders_forbidden", id=team_id)
    if not (isinstance(weekday, int) and 0 <= weekday <= 6):
        raise ValidationError("team.reminder_weekday", field="weekday")
    if not (isinstance(hour, int) and 0 <= hour <= 23):
        raise ValidationError("team.reminder_hour", field="hour")
    before = team_reminder(uow, team_id)
    uow.team_reminders.store(team_id, bool(enabled), weekday, hour)
    after = team_reminder(uow, team_id)
    audit.record(uow, "reminders", "team", team_id, before, after)
    return after


# --- a person's mail preference and chat identities ---


def preferences(uow: UnitOfWork, user_id: int) -> dict[str, Any]:
    """A person's mail choice and Slack and Teams ids (themselves and admins)."""
    user = uow.users.get(user_id)
    require(is_admin(uow.actor) or (uow.actor is not None and uow.actor.id == user.id), "user.preferences_forbidden")
    row = uow.user_integrations.find(user_id) or {}
    return {
        "user_id": user_id,
        "mail": row.get("mail", "weekly"),
        "slack_user_id": row.get("slack_user_id"),
        "teams_user_id": row.get("teams_user_id"),
    }


def set_preferences(uow: UnitOfWork, user_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Change a person's mail choice or chat ids (themselves and admins); an empty id removes it."""
    before = preferences(uow, user_id)
    values: dict[str, Any] = {}
    if "mail" in changes and changes["mail"] is not None:
        if changes["mail"] not in MAIL_CHOICES:
            raise ValidationError("user.mail_choice", field="mail", choices=", ".join(MAIL_CHOICES))
        values["mail"] = changes["mail"]
    for field, longest in MAX_CHAT_ID.items():
        if field not in changes:
            continue
        text = (changes[field] or "").strip()
        if text and (len(text) > longest or not all(c.isalnum() or c in "-_:." for c in text)):
            raise ValidationError("user.chat_id_invalid", field=field)
        if text and uow.user_integrations.owner_of(field, text, except_user=user_id) is not None:
            raise ValidationError("user.chat_id_taken", field=field)
        values[field] = text or None
    if values:
        uow.user_integrations.store(user_id, **{"mail": before["mail"], **values})
    after = preferences(uow, user_id)
    audit.record(uow, "preferences", "user", user_id, before, after)
    return after


# --- one-click check-in links ---


def create_link(uow: UnitOfWork, user_id: int, key_result_id: int, now: datetime) -> str:
    """A new single-use link token for this person and key result, valid 7 days (the plain token, once)."""
    token = secrets.token_urlsafe(32)
    uow.check_in_links.add(
        token_hash=_digest(token),
        user_id=user_id,
        key_result_id=key_result_id,
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    return token


@dataclass(frozen=True)
class OpenLink:
    """What a one-click link opens: the person it acts as and their key result, as that person may see it."""

    link_id: int
    user: model.User
    key_result: model.KeyResult
    objective: model.Objective
    cycle: model.Cycle
    status: str


def open_link(uow: UnitOfWork, token: str, now: datetime | None = None) -> OpenLink:
    """The link's person and key result; NotFound `check_in_link.invalid` for an unknown token (or a person or key
    result that is gone or out of their reach), ValidationError `.used` or `.expired` otherwise."""
    now = now or datetime.now(UTC)
    row = uow.check_in_links.by_hash(_digest(token)) if 20 <= len(token) <= 100 else None
    if row is None:
        raise NotFound("check_in_link.invalid")
    if row["used_at"] is not None:
        raise ValidationError("check_in_link.used")
    if row["expires_at"] <= now:
        raise ValidationError("check_in_link.expired")
    user = uow.users.find(row["user_id"])
    kr = uow.key_results.find(row["key_result_id"])
    if user is None or not user.active or kr is None or kr.archived:
        raise NotFound("check_in_link.invalid")
    objective = uow.objectives.get(kr.objective_id)
    cycle = uow.cycles.get(objective.cycle_id)
    return OpenLink(row["id"], user, kr, objective, cycle, key_result_status(kr, objective, cycle, now.date()))


def check_in_by_link(
    open_uow: Callable[[model.User | None], UnitOfWork],
    token: str,
    value: float,
    confidence: str | None = None,
    note: str = "",
) -> CheckInResult:
    """Record a check-in through a one-click link, as the link's person, and use the link up: both or neither.

    `open_uow(actor)` opens a unit of work acting as `actor`."""
    with open_uow(None) as uow:
        person = open_link(uow, token).user
    with open_uow(person) as uow:
        link = open_link(uow, token)
        if link.user.id != person.id:  # the token cannot change hands between the two reads
            raise NotFound("check_in_link.invalid")
        if not uow.check_in_links.use(link.link_id, datetime.now(UTC)):
            raise ValidationError("check_in_link.used")
        return record_check_in(uow, link.key_result.id or 0, value, confidence, note, author_id=person.id)


# --- the weekly mail ---


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def moment_in_week(now_local: datetime, weekday: int, hour: int) -> datetime:
    """The moment (day and hour) of the week `now_local` lies in."""
    monday = now_local.date() - timedelta(days=now_local.weekday())
    return datetime.combine(monday + timedelta(days=weekday), time(hour), tzinfo=now_local.tzinfo)


@dataclass(frozen=True)
class Group:
    """What a person hears about one team (team None: whole-organisation objectives), and when."""

    team_id: int | None
    moment: datetime | None  # None: the team switched its reminders off
    reminders: list[model.KeyResult]


def due_reminders(
    uow: UnitOfWork, user: model.User, now_local: datetime
) -> list[tuple[model.KeyResult, model.Objective, model.Cycle]]:
    """The key results of active cycles that `user` owns and that wait for a check-in (`is_overdue`)."""
    cycles = {c.id: c for c in uow.cycles.list() if c.status == "active"}
    owned = [kr for kr in uow.key_results.list(owner_id=user.id) if not kr.archived]
    objectives = {o.id: o for o in uow.objectives.list_for("id", [kr.objective_id for kr in owned])}
    found = []
    for kr in owned:
        objective = objectives.get(kr.objective_id)
        if objective is None or objective.archived or objective.cycle_id not in cycles:
            continue
        cycle = cycles[objective.cycle_id]
        if is_overdue(now_local, cycle_window(cycle)[0], kr.current_at, kr.cadence_days):
            found.append((kr, objective, cycle))
    return found


def weekly_mail_for(
    uow: UnitOfWork, user: model.User, now: datetime, tz: tzinfo, base_url: str, team_ids: Iterable[int | None] | None
) -> dict[str, Any]:
    """What one mail tells `user` (as they may see it): reminders with fresh links, and their teams' digests.

    `team_ids` limits it to those teams (None in it: whole-organisation objectives); None: everything."""
    now_local = now.astimezone(tz)
    wanted = None if team_ids is None else set(team_ids)
    reminders = []
    for kr, objective, cycle in due_reminders(uow, user, now_local):
        if wanted is not None and objective.team_id not in wanted:
            continue
        token = create_link(uow, user.id or 0, kr.id or 0, now)
        reminders.append(
            {
                "id": kr.id,
                "title": kr.title,
                "objective": objective.title,
                "current": kr.current,
                "baseline": kr.baseline,
                "unit": kr.unit,
                "score": kr.score,
                "status": key_result_status(kr, objective, cycle, now_local.date()),
                "link": f"{base_url}{LINK_PATH}{token}",
            }
        )
    digests = []
    for team_id in sorted(user.team_ids):
        if wanted is not None and team_id not in wanted:
            continue
        team = uow.teams.find(team_id)
        if team is None or team.archived:
            continue
        digest = team_digest(uow, team_id, now_local.date())
        if digest["key_results"]:
            digests.append(digest)
    return {"name": user.name or user.email, "reminders": reminders, "digests": digests}


Send = Callable[[model.User, dict[str, Any]], None]  # sends one weekly mail (rendering it in the person's language)


def send_weekly_mails(
    open_uow: Callable[[model.User | None], UnitOfWork],
    now: datetime,
    send: Send,
    *,
    timezone: str = "Europe/Amsterdam",
    base_url: str = "",
) -> str:
    """Send every weekly (or per-team) mail that is due at `now`; a summary. Each mail: claim its mail_log row,
    build it as the person, send, mark it sent (or give the claim back when sending failed)."""
    tz = time_zone(timezone)
    now_local = now.astimezone(tz)
    week = iso_week(now_local)
    with open_uow(None) as uow:
        people = [u for u in uow.users.list() if u.active]
        moments = uow.team_reminders.all()
        choices = uow.user_integrations.all()
        archived = {t.id for t in uow.teams.list(include_archived=True) if t.archived}

    def moment(team_id: int | None) -> datetime | None:
        row = moments.get(team_id, DEFAULT_MOMENT) if team_id is not None else DEFAULT_MOMENT
        return moment_in_week(now_local, row["weekday"], row["hour"]) if row["enabled"] else None

    sent = skipped = failed = 0
    for person in people:
        choice = choices.get(person.id or 0, {}).get("mail", "weekly")
        if choice == "off":
            continue
        teams: list[int | None] = [t for t in person.team_ids if t not in archived] or [None]
        plans: list[tuple[str, str, list[int | None] | None]] = []  # (kind, period, teams)
        if choice == "weekly":
            passed = [m for m in (moment(t) for t in teams) if m is not None and m <= now_local]
            if passed:
                plans.append(("weekly", week, None))
        else:
            for team_id in [*teams, None] if None not in teams else teams:
                at = moment(team_id)
                if at is not None and at <= now_local:
                    plans.append(("team", f"{week}/team:{team_id or 0}", [team_id]))
        for kind, period, scope in plans:
            with open_uow(None) as uow:
                claimed = uow.mail_log.claim(person.id, person.email, kind, period, "", now)
            if claimed is None:
                continue
            try:
                with open_uow(person) as uow:
                    content = weekly_mail_for(uow, person, now, tz, base_url, scope)
                if content["reminders"] or content["digests"]:
                    send(person, content)
            except Exception:  # one person's failed mail does not stop the others; the next run tries again
                content, failed = None, failed + 1
            with open_uow(None) as uow:
                if content is not None and (content["reminders"] or content["digests"]):
                    uow.mail_log.sent(claimed, datetime.now(UTC))
                    sent += 1
                else:
                    uow.mail_log.release(claimed)
                    skipped += content is not None
    return f"{sent} sent, {skipped} with nothing to say, {failed} failed"


def mail_invitation(
    uow: UnitOfWork, invitation_id: int, address: str, url: str, inviter: str, send: Callable[..., None]
) -> bool:
    """Mail an invitation's link (once per invitation: the mail log); True when sent."""
    claimed = uow.mail_log.claim(None, address, "invitation", str(invitation_id), "", datetime.now(UTC))
    if claimed is None:
        return False
    send(address, url, inviter)
    uow.mail_log.sent(claimed, datetime.now(UTC))
    return True


def _run_weekly(open_uow: OpenUnitOfWork, now: datetime) -> str:
    from koers.config import Settings
    from koers.integrations.mail import configured_mailer

    settings = Settings.from_environment()
    mailer = configured_mailer(settings)
    if mailer is None:
        return "no mail: KOERS_SMTP_HOST is not set"
    return send_weekly_mails(
        _acting(open_uow),
        now,
        weekly_sender(mailer, settings.base_url),
        timezone=settings.timezone,
        base_url=_base(settings.base_url),
    )


def _base(base_url: str) -> str:
    return base_url or "http://localhost:8000"


def weekly_sender(mailer: Any, base_url: str) -> Send:
    """Render the weekly mail in the person's language and send it with `mailer`."""
    from koers.integrations.mail import compose

    def send(person: model.User, content: dict[str, Any]) -> None:
        context = {**content, "profile_url": f"{_base(base_url)}/profile"}
        mailer.send(compose("weekly", "Your week in Koers", context, person.locale, person.email))

    return send


def _acting(open_uow: OpenUnitOfWork) -> Callable[[model.User | None], UnitOfWork]:
    """A unit-of-work factory that acts as a person (the job registry's factory acts as the system)."""

    def opened(actor: model.User | None) -> UnitOfWork:
        uow = open_uow()
        uow.actor = actor
        return uow

    return opened


JOB = register(Job("weekly_mail", timedelta(minutes=15), _run_weekly))


def send_invitation_mail(
    settings: Any, open_uow: Callable[[], UnitOfWork], invitation_id: int, address: str, url: str, inviter: str
) -> bool:
    """Mail an invitation's link when SMTP is configured (KOERS_SMTP_HOST); True when it went out. A mail that
    cannot be sent leaves the link on the admin's screen, as without SMTP."""
    from koers.integrations.mail import compose, configured_mailer

    mailer = configured_mailer(settings)
    if mailer is None:
        return False

    def send(to: str, link: str, who: str) -> None:
        context = {"url": link, "inviter": who}
        mailer.send(compose("invitation", "You are invited to Koers", context, "nl", to))

    try:
        with open_uow() as uow:
            return mail_invitation(uow, invitation_id, address, url, inviter, send)
    except OSError:  # the SMTP server is down or refuses: the admin still has the link
        return False
