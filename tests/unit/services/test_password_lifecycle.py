"""Setting, resetting and changing passwords, enabling users again, and invitations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import update

from koers.domain.errors import NotFound, PermissionDenied, ValidationError
from koers.services import accounts, invitations, passwords, sessions
from koers.services import organisation as org
from koers.services.accounts import TooManyAttempts, Unauthenticated
from koers.services.login import LoginThrottle, change_password, log_in
from koers.storage import tables as t
from tests import builders as b

OLD = "oude-wachtwoord-zin"
NEW = "nieuwe-wachtwoord-zin"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def _people(store):
    with store.uow() as uow:
        admin = org.add_user(uow, "admin@example.org", "admin", password_hash=passwords.hash_password(OLD))
        ann = org.add_user(uow, "ann@example.org", password_hash=passwords.hash_password(OLD))
    return admin, ann


def test_an_admin_resets_a_password_which_ends_the_sessions_and_tokens(store):
    admin, ann = _people(store)
    with store.uow() as uow:
        session_id, _ = sessions.start_session(uow, ann.id)
        token, _ = accounts.create_token(uow, ann.id)
    with store.uow(actor=admin) as uow:
        accounts.set_password(uow, ann.id, NEW)
    assert log_in(store.uow, "ann@example.org", NEW, LoginThrottle()).id == ann.id
    with pytest.raises(Unauthenticated):
        log_in(store.uow, "ann@example.org", OLD, LoginThrottle())
    with store.uow() as uow:
        assert sessions.session_user(uow, session_id) is None
        with pytest.raises(Unauthenticated):
            accounts.user_for_token(uow, token)


def test_only_admins_set_other_peoples_passwords_and_the_policy_applies(store):
    admin, ann = _people(store)
    with store.uow(actor=ann) as uow, pytest.raises(PermissionDenied):
        accounts.set_password(uow, admin.id, NEW)
    with store.uow(actor=admin) as uow, pytest.raises(ValidationError) as refused:
        accounts.set_password(uow, ann.id, "12345678")
    assert refused.value.code == "password.common"


def test_a_person_changes_their_own_password_with_the_current_one(store):
    _, ann = _people(store)
    with store.uow() as uow:
        here, _ = sessions.start_session(uow, ann.id)
        elsewhere, _ = sessions.start_session(uow, ann.id)
    with pytest.raises(ValidationError) as refused:
        change_password(store.uow, ann, "not-the-current-one", NEW, LoginThrottle())
    assert (refused.value.code, refused.value.field) == ("password.wrong_current", "current_password")
    change_password(store.uow, ann, OLD, NEW, LoginThrottle(), keep_session=here)
    assert log_in(store.uow, "ann@example.org", NEW, LoginThrottle()).id == ann.id
    with store.uow() as uow:
        assert sessions.session_user(uow, here) is not None  # this one stays
        assert sessions.session_user(uow, elsewhere) is None  # every other session ends


def test_guessing_the_current_password_is_throttled_like_a_login(store):
    _, ann = _people(store)
    throttle = LoginThrottle(limit=2, account_limit=10)
    for _ in range(2):
        with pytest.raises(ValidationError):
            change_password(store.uow, ann, "guess-guess", NEW, throttle, client="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        change_password(store.uow, ann, OLD, NEW, throttle, client="10.0.0.1")


def test_an_admin_enables_a_disabled_user_again(store):
    admin, ann = _people(store)
    with store.uow(actor=admin) as uow:
        org.disable_user(uow, ann.id)
    with store.uow(actor=ann) as uow, pytest.raises(PermissionDenied):
        org.enable_user(uow, ann.id)
    with store.uow(actor=admin) as uow:
        assert org.enable_user(uow, ann.id).active is True
    assert log_in(store.uow, "ann@example.org", OLD, LoginThrottle()).id == ann.id


def test_an_invitation_makes_an_account_once(store):
    admin, _ = _people(store)
    with store.uow() as uow:
        team = b.team(uow)
    with store.uow(actor=admin) as uow:
        token, invitation = invitations.invite(uow, " Cas@Example.org", "Cas", "member", [team.id])
    assert len(token) >= 43 and invitation.expires_at - invitation.created_at == timedelta(days=7)
    with store.uow() as uow:
        assert token not in str(uow.connection.execute(t.invitations.select()).all())  # only its hash is stored
        with pytest.raises(ValidationError) as refused:
            invitations.accept(uow, token, "password1")
        assert refused.value.code == "password.common"
    with store.uow() as uow:
        cas = invitations.accept(uow, token, NEW)
        assert (cas.email, cas.name, cas.team_ids, cas.active) == ("cas@example.org", "Cas", [team.id], True)
    assert log_in(store.uow, "cas@example.org", NEW, LoginThrottle()).id == cas.id
    with store.uow() as uow, pytest.raises(ValidationError) as refused:
        invitations.accept(uow, token, "nog-een-ander-wachtwoord")
    assert refused.value.code == "invitation.used"


def test_an_expired_or_unknown_invitation_is_refused(store):
    admin, _ = _people(store)
    with store.uow(actor=admin) as uow:
        token, _ = invitations.invite(uow, "cas@example.org")
        uow.connection.execute(update(t.invitations).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    with store.uow() as uow:
        with pytest.raises(ValidationError) as refused:
            invitations.accept(uow, token, NEW)
        assert refused.value.code == "invitation.expired"
        with pytest.raises(NotFound):
            invitations.open_invitation(uow, "x" * 43)


def test_an_invitation_for_a_disabled_person_lets_them_in_again(store):
    admin, ann = _people(store)
    with store.uow(actor=admin) as uow:
        org.disable_user(uow, ann.id)
        token, _ = invitations.invite(uow, "ann@example.org")
    with store.uow() as uow:
        assert invitations.accept(uow, token, NEW).active is True
    assert log_in(store.uow, "ann@example.org", NEW, LoginThrottle()).id == ann.id


def test_only_admins_invite(store):
    _, ann = _people(store)
    with store.uow(actor=ann) as uow, pytest.raises(PermissionDenied):
        invitations.invite(uow, "cas@example.org")


def test_an_import_keeps_a_disabled_person_disabled(make_store):
    from koers.services.transfer import export_document, import_document

    source, target = make_store(), make_store()
    with source.uow() as uow:
        b.user(uow, email="still@example.org")
        gone = b.user(uow, email="gone@example.org")
        org.disable_user(uow, gone.id)
        exported = export_document(uow, b.TODAY)
    with target.uow() as uow:
        import_document(uow, exported)
        assert {u.email: u.active for u in uow.users.list()} == {"still@example.org": True, "gone@example.org": False}
