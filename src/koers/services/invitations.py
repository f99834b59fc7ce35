"""Invitations: an admin invites an address; a single-use link, valid for 7 days, lets that person choose a password.

The link's token has 256 random bits and only its sha256 is stored. The link is shown to the admin, and mailed to
the address when SMTP is configured (KOERS_SMTP_HOST; `services.reminders.send_invitation_mail`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from koers.domain import model
from koers.domain.errors import NotFound, ValidationError
from koers.domain.validation import validate_user
from koers.services import audit
from koers.services.accounts import store_password
from koers.services.organisation import add_user, normalised_email, set_memberships
from koers.services.passwords import check_password
from koers.services.permissions import require_admin
from koers.storage.unit_of_work import UnitOfWork

INVITATION_LIFETIME = timedelta(days=7)
INVITE_PATH = "/invite/"


@dataclass(frozen=True)
class Invitation:
    """What is stored about an invitation (never its token)."""

    id: int
    email: str
    name: str
    role: str
    team_ids: list[int]
    created_by: int | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitation(row: dict[str, Any]) -> Invitation:
    return Invitation(**{k: row[k] for k in Invitation.__dataclass_fields__})


def invite(
    uow: UnitOfWork, email: str, name: str = "", role: str = "member", team_ids: list[int] | None = None
) -> tuple[str, Invitation]:
    """Invite an address (admins only); the plain token, for the link `/invite/<token>`, is returned only here."""
    require_admin(uow, "admin_only.add_users")
    address = normalised_email(email)
    validate_user(model.User(email=address, name=(name or "").strip(), role=role))
    teams = sorted(set(team_ids or []))
    for team_id in teams:
        uow.teams.get(team_id)
    token = secrets.token_urlsafe(32)  # 256 random bits
    now = datetime.now(UTC)
    draft = Invitation(
        id=0,
        email=address,
        name=(name or "").strip(),
        role=role,
        team_ids=teams,
        created_by=None if uow.actor is None else uow.actor.id,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
        used_at=None,
    )
    values = {k: v for k, v in draft.__dict__.items() if k not in ("id", "used_at")}
    invitation = replace(draft, id=uow.invitations.add(**values, token_hash=_digest(token)))
    audit.record(uow, "invite", "user", None, None, invitation)
    return token, invitation


def open_invitation(uow: UnitOfWork, token: str) -> Invitation:
    """The invitation of a link that may still be used; a clear error for an unknown, used or expired one."""
    row = uow.invitations.by_hash(_digest(token)) if 20 <= len(token) <= 100 else None
    if row is None:
        raise NotFound("invitation.invalid")
    invitation = _invitation(row)
    if invitation.used_at is not None:
        raise ValidationError("invitation.used")
    if invitation.expires_at <= datetime.now(UTC):
        raise ValidationError("invitation.expired")
    return invitation


def accept(uow: UnitOfWork, token: str, password: str) -> model.User:
    """The invited person chooses a password: their account is made (or enabled) and the link is used up."""
    invitation = open_invitation(uow, token)
    check_password(password)
    if not uow.invitations.use(invitation.id, datetime.now(UTC)):
        raise ValidationError("invitation.used")
    user = uow.users.by_email(invitation.email)
    if user is None:
        user = add_user(uow, invitation.email, invitation.role, invitation.name)
        set_memberships(uow, user, [t for t in invitation.team_ids if uow.teams.find(t) is not None])
    elif not user.active:
        user.active = True
        uow.users.update(user)
        audit.record(uow, "enable", "user", user.id, None, user)
    store_password(uow, user, password)
    return user


def pending(uow: UnitOfWork) -> list[Invitation]:
    """Invitations that can still be used, newest first (admins only)."""
    require_admin(uow, "admin_only.add_users")
    return [_invitation(row) for row in uow.invitations.pending(datetime.now(UTC))]
