"""Logging in, API tokens and web sessions: who gets in, and how access ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from koers.domain.errors import NotFound, PermissionDenied, ValidationError
from koers.services import accounts, passwords, sessions
from koers.services import organisation as org
from koers.services.accounts import LoginThrottle, TooManyAttempts, Unauthenticated
from tests import builders as b

PASSWORD = "geheim-wachtwoord"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """argon2id with its smallest costs: the hash's strength is not what these tests are about, speed is."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_a_user_logs_in_with_their_password_and_only_with_it(uow):
    ann = org.add_user(uow, "ann@example.org", password_hash=passwords.hash_password(PASSWORD))
    throttle = LoginThrottle()
    assert accounts.login(uow, " Ann@Example.org", PASSWORD, throttle).id == ann.id
    for email, password in (("ann@example.org", "wrong-password"), ("bob@example.org", PASSWORD)):
        with pytest.raises(Unauthenticated) as refused:
            accounts.login(uow, email, password, throttle)
        assert refused.value.code == "login.wrong_credentials"  # never saying which of the two was wrong


def test_a_disabled_user_can_no_longer_log_in(uow):
    ann = org.add_user(uow, "ann@example.org", password_hash=passwords.hash_password(PASSWORD))
    org.disable_user(uow, ann.id)
    with pytest.raises(Unauthenticated):
        accounts.login(uow, "ann@example.org", PASSWORD, LoginThrottle())


def test_repeated_failures_lock_the_address_out_even_with_the_right_password(uow):
    org.add_user(uow, "ann@example.org", password_hash=passwords.hash_password(PASSWORD))
    throttle = LoginThrottle(limit=3)
    for _ in range(3):
        with pytest.raises(Unauthenticated):
            accounts.login(uow, "ann@example.org", "wrong-password", throttle, client="10.0.0.1")
    with pytest.raises(TooManyAttempts) as refused:
        accounts.login(uow, "ann@example.org", PASSWORD, throttle, client="10.0.0.2")
    assert refused.value.retry_after > 0


def test_a_token_lets_its_user_in_until_it_is_revoked(uow):
    ann = b.user(uow)
    token, info = accounts.create_token(uow, ann.id, "laptop")
    user, _ = accounts.user_for_token(uow, token)
    assert (user.id, info.name) == (ann.id, "laptop")
    accounts.revoke_token(uow, info.id)
    with pytest.raises(Unauthenticated) as refused:
        accounts.user_for_token(uow, token)
    assert refused.value.code == "token.invalid"


@pytest.mark.parametrize("token", ["", "koers_made-up", "not-a-koers-token"])
def test_a_token_koers_did_not_hand_out_lets_nobody_in(uow, token):
    with pytest.raises(Unauthenticated):
        accounts.user_for_token(uow, token)


def test_a_token_cannot_expire_in_the_past(uow):
    ann = b.user(uow)
    with pytest.raises(ValidationError) as refused:
        accounts.create_token(uow, ann.id, expires_at=datetime.now(UTC) - timedelta(minutes=1))
    assert (refused.value.code, refused.value.field) == ("token.expiry_past", "expires_at")
    assert accounts.tokens_of(uow, ann.id) == []


def test_people_make_and_revoke_only_their_own_tokens(store):
    with store.uow() as uow:
        ann, bob = b.user(uow), b.user(uow)
        _, bobs = accounts.create_token(uow, bob.id)
    with store.uow(actor=ann) as uow, pytest.raises(PermissionDenied) as refused:
        accounts.create_token(uow, bob.id)
    assert refused.value.code == "token.for_others"
    with store.uow(actor=ann) as uow, pytest.raises(NotFound):  # another's token does not exist for you
        accounts.revoke_token(uow, bobs.id)
    with store.uow(actor=ann) as uow:
        accounts.create_token(uow, ann.id)
    with store.uow() as uow:
        assert [t.revoked_at for t in accounts.tokens_of(uow, bob.id)] == [None]
        assert len(accounts.tokens_of(uow, ann.id)) == 1


def test_a_session_lasts_until_logout(uow):
    ann = b.user(uow)
    session_id, csrf = sessions.start_session(uow, ann.id)
    user, known_csrf = sessions.session_user(uow, session_id)
    assert (user.id, known_csrf) == (ann.id, csrf)
    sessions.end_session(uow, session_id)
    assert sessions.session_user(uow, session_id) is None


def test_disabling_a_user_ends_their_sessions_and_tokens_at_once(uow):
    ann = b.user(uow)
    session_id, _ = sessions.start_session(uow, ann.id)
    token, _ = accounts.create_token(uow, ann.id)
    org.disable_user(uow, ann.id)
    assert sessions.session_user(uow, session_id) is None
    with pytest.raises(Unauthenticated):
        accounts.user_for_token(uow, token)
    assert all(t.revoked_at is not None for t in accounts.tokens_of(uow, ann.id))
