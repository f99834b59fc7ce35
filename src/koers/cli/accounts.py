"""`koers token`, `koers audit` and the password commands of `koers user` (set-password, enable, invite)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from koers.cli.context import console, identifier, koers, print_json
from koers.cli.organise import user_app
from koers.domain.errors import NotFound, ValidationError
from koers.services import accounts, audit, invitations, organisation

token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
JSON = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.add_typer(token_app, name="token")
    app.command("audit")(audit_command)


def _user_id(email: str) -> int:
    with koers().uow(read_only=True) as uow:
        user = uow.users.by_email(email.strip())
    if user is None or user.id is None:
        raise NotFound("user.email_unknown", email=email)
    return user.id


@token_app.command("create")
def token_create(
    email: str,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    expires_in_days: Annotated[int | None, typer.Option(help="Expire after this many days; default never.")] = None,
) -> None:
    """Create an API token for a user and print it (only it: shown once, stored hashed)."""
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise ValidationError("token.expiry_days")
    user_id = _user_id(email)
    expires = datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
    with koers().uow() as uow:
        token, _ = accounts.create_token(uow, user_id, name, expires)
    sys.stdout.write(token + "\n")


@token_app.command("list")
def token_list(email: str, json_output: JSON = False) -> None:
    """A user's tokens (never their secrets)."""
    user_id = _user_id(email)
    with koers().uow(read_only=True) as uow:
        tokens = accounts.tokens_of(uow, user_id)
    if json_output:
        print_json([t.__dict__ for t in tokens])
        return
    for t in tokens:
        state = (
            "revoked" if t.revoked_at else ("expires " + t.expires_at.date().isoformat() if t.expires_at else "active")
        )
        console.print(f"{t.id:>5}  {t.name or '-':<20} created {t.created_at:%Y-%m-%d}  {state}")


@token_app.command("revoke")
def token_revoke(token_id: str) -> None:
    """Revoke a token at once."""
    with koers().uow() as uow:
        accounts.revoke_token(uow, identifier(token_id, "TOKEN_ID"))
    console.print(f"Token {token_id} revoked.")


def audit_command(
    entity: Annotated[str | None, typer.Option(help="objective, key_result, kpi, user, team, cycle...")] = None,
    entity_id: Annotated[str | None, typer.Option("--id", help="Only this record.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many entries.")] = 50,
    json_output: JSON = False,
) -> None:
    """The audit trail, newest first: who changed what, when, before and after."""
    with koers().uow(read_only=True) as uow:
        rows = audit.entries(uow, entity, identifier(entity_id, "--id") if entity_id else None, limit=limit)
        names = {u.id: u.email for u in uow.users.list()}
    if json_output:
        print_json(rows)
        return
    for row in rows:
        who = names.get(row["actor_id"], "system") if row["actor_id"] else "system"
        console.print(f"{row['at'][:19]}  {who:<36} {row['action']:<9} {row['entity']} {row['entity_id'] or ''}")


# --- koers user set-password / enable / invite ---


@user_app.command("set-password")
def user_set_password(
    email: str,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from the first line of stdin.")
    ] = False,
) -> None:
    """Set (reset) a user's password; never prompts: pass it on stdin with --password-stdin. Their web sessions
    end and their API tokens are revoked."""
    if not password_stdin:
        raise ValidationError("password.stdin_needed")
    password = sys.stdin.readline().rstrip("\r\n")
    user_id = _user_id(email)
    with koers().uow() as uow:
        accounts.set_password(uow, user_id, password)
    console.print(f"Password of {email} set; their sessions ended and their tokens are revoked.")


@user_app.command("enable")
def user_enable(email: str) -> None:
    """Let a disabled user log in again (with their old password; their old tokens stay revoked)."""
    user_id = _user_id(email)
    with koers().uow() as uow:
        organisation.enable_user(uow, user_id)
    console.print(f"User {email} enabled.")


@user_app.command("invite")
def user_invite(
    email: str,
    name: Annotated[str, typer.Option(help="Full name.")] = "",
    role: Annotated[str, typer.Option(help="admin or member.")] = "member",
    team: Annotated[list[str] | None, typer.Option("--team", help="Team id (repeat for several).")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Where people reach Koers; default KOERS_BASE_URL or http://127.0.0.1:8000.")
    ] = None,
) -> None:
    """Invite someone: prints a single-use link, valid for 7 days, where they choose a password."""
    team_ids = [identifier(t, "--team") for t in team or []]
    app_ = koers()
    with app_.uow() as uow:
        token, info = invitations.invite(uow, email, name, role, team_ids)
    base = (base_url or app_.settings.base_url or "http://127.0.0.1:8000").rstrip("/")
    console.print(f"Invitation for {info.email}, valid until {info.expires_at:%Y-%m-%d %H:%M} UTC (single use):")
    sys.stdout.write(f"{base}{invitations.INVITE_PATH}{token}\n")
