"""Logging in, API tokens and web sessions: who gets in, and how access ends."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from koers.domain.errors import NotFound, PermissionDenied, ValidationError
from koers.services import accounts, passwords, sessions
from koers.services import organisation as org
from koers.services.accounts import TooManyAttempts, Unauthenticated
from koers.services.login import LoginThrottle, client_address, log_in
from tests import builders as b

PASSWORD = "geheim-wachtwoord"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """argon2id with its smallest costs: the hash's strength is not what these tests are about, speed is."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_a_user_logs_in_with_their_password_and_only_with_it(store):
    with store.uow() as uow:
        ann = org.add_user(uow, "ann@example.org", password_hash=passwords.hash_password(PASSWORD))
    throttle = LoginThrottle()
    assert log_in(store.uow, " Ann@Example.org", PASSWORD, throttle).id == ann.id
    for email, password in (("ann@example.org", "wrong-password"), ("bob@example.org", PASSWORD)):
        with pytest.raises(Unauthenticated) as refused:
            log_in(store.uow, email, password, throttle)
        assert refused.value.code == "login.wrong_credentials"  # never saying which of the two was wrong


def test_a_disabled_user_can_no_longer_log_in(store):
    with store.uow() as uow:
        ann = org.add_user(uow, "ann@example.org", password_hash=passwords.hash_password(PASSWORD))
        org.disable_user(uow, ann.id)
    with pytest.raises(Unauthenticated):
        log_in(store.uow, "ann@example.org", PASSWORD, LoginThrottle())


def test_repeated_failures_from_one_address_lock_that_address_out_even_with_the_right_password(store):
    with store.uow() as uow:
        org.add_user(uow, "ann@example.org", password_hash=passwords.hash_password(PASSWORD))
        org.add_user(uow, "bob@example.org", password_hash=passwords.hash_password(PASSWORD))
    throttle = LoginThrottle(limit=3, account_limit=10)
    for _ in range(3):
        with pytest.raises(Unauthenticated):
            log_in(store.uow, "ann@example.org", "wrong-password", throttle, client="10.0.0.1")
    with pytest.raises(TooManyAttempts) as refused:
        log_in(store.uow, "bob@example.org", PASSWORD, throttle, client="10.0.0.1")
    assert refused.value.retry_after > 0
    # the attacker's address is locked, not the account: Ann still gets in from elsewhere
    assert log_in(store.uow, "ann@example.org", PASSWORD, throttle, client="10.0.0.2").email == "ann@example.org"


def test_many_addresses_against_one_account_lock_only_that_account(store):
    with store.uow() as uow:
        org.add_user(uow, "ann@example.org", password_hash=passwords.hash_password(PASSWORD))
        org.add_user(uow, "bob@example.org", password_hash=passwords.hash_password(PASSWORD))
    throttle = LoginThrottle(limit=3, account_limit=6)
    for n in range(6):  # one try per address: no address reaches its limit
        with pytest.raises(Unauthenticated):
            log_in(store.uow, "ann@example.org", "wrong-password", throttle, client=f"10.0.1.{n}")
    with pytest.raises(TooManyAttempts):
        log_in(store.uow, "ann@example.org", PASSWORD, throttle, client="10.0.2.1")
    for n in range(6):  # the same addresses still let Bob in
        assert log_in(store.uow, "bob@example.org", PASSWORD, throttle, client=f"10.0.1.{n}").email == "bob@example.org"
    with store.uow(read_only=True) as uow:
        rows = {row["key"]: row for row in uow.login_attempts.of([f"address:10.0.1.{n}" for n in range(6)])}
        assert all(row["locked_until"] is None for row in rows.values()) and len(rows) == 6
        assert uow.login_attempts.of(["account:ann@example.org"])[0]["locked_until"] is not None


def test_the_counters_are_bounded(store):
    throttle = LoginThrottle(limit=100, account_limit=100, keep=20)
    for n in range(30):
        with pytest.raises(Unauthenticated):
            log_in(store.uow, f"nobody{n}@example.org", "wrong-password", throttle, client=f"10.9.0.{n}")
    with store.uow(read_only=True) as uow:
        assert uow.login_attempts.count() <= 20


def test_expired_counters_are_pruned(store):
    with store.uow() as uow:
        long_ago = datetime.now(UTC) - timedelta(hours=2)
        uow.login_attempts.fail("address:10.0.0.9", long_ago, long_ago - timedelta(hours=1))
    with pytest.raises(Unauthenticated):
        log_in(store.uow, "nobody@example.org", "wrong-password", LoginThrottle(window=60), client="10.0.0.8")
    with store.uow(read_only=True) as uow:
        assert uow.login_attempts.of(["address:10.0.0.9"]) == []


def test_a_lock_ends_after_its_window(store):
    with store.uow() as uow:
        org.add_user(uow, "ann@example.org", password_hash=passwords.hash_password(PASSWORD))
    throttle = LoginThrottle(limit=1, account_limit=1, window=1)
    with pytest.raises(Unauthenticated):
        log_in(store.uow, "ann@example.org", "wrong-password", throttle, client="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        log_in(store.uow, "ann@example.org", PASSWORD, throttle, client="10.0.0.1")
    time.sleep(1.1)
    assert log_in(store.uow, "ann@example.org", PASSWORD, throttle, client="10.0.0.1").email == "ann@example.org"


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        ("127.0.0.1", "203.0.113.5", (), "127.0.0.1"),  # no proxy is trusted by default, not even loopback
        ("198.51.100.7", "203.0.113.5", ("127.0.0.1",), "198.51.100.7"),  # from an untrusted peer
        ("127.0.0.1", "203.0.113.5", ("127.0.0.1",), "203.0.113.5"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.5, 10.0.0.3", ("10.0.0.0/8",), "203.0.113.5"),  # left part is spoofable
        ("10.0.0.2", "not-an-address", ("10.0.0.0/8",), "10.0.0.2"),
        ("::1", "2001:db8::1", ("::1",), "2001:db8::1"),
    ],
)
def test_the_client_address_believes_forwarded_headers_only_from_trusted_proxies(peer, forwarded, trusted, client):
    assert client_address(peer, forwarded, trusted) == client


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
