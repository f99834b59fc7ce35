"""Logging in and proving one's password: throttled per account and per address, in the database.

Every door that checks a password goes through here: the API login, the web login and changing one's own
password. The counters live in the `login_attempts` table, so every worker shares them and a restart keeps
them; expired rows are pruned and the table is capped.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from koers.domain import model
from koers.domain.errors import ValidationError
from koers.services.accounts import TooManyAttempts, Unauthenticated, store_password
from koers.services.passwords import verify_password
from koers.storage.unit_of_work import UnitOfWork

NewUow = Callable[..., UnitOfWork]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class LoginThrottle:
    """How many failed logins are allowed in `window` seconds: `limit` per client address (it stops one
    attacker), `account_limit` per account (higher: many addresses guessing one password are stopped too,
    without one address locking everyone out). A key over its limit is refused for `window` seconds."""

    limit: int = 10
    window: float = 900.0
    account_limit: int = 50
    keep: int = 10_000  # at most this many counters are stored; the oldest go first

    def keys(self, email: str, client: str) -> list[tuple[str, int]]:
        """The counters a login touches, with their limits."""
        keys = [(f"account:{email.strip().lower()[:320]}", self.account_limit)]
        if client:
            keys.append((f"address:{client[:64]}", self.limit))
        return keys

    def check(self, uow: UnitOfWork, keys: Iterable[tuple[str, int]]) -> None:
        """Raise TooManyAttempts while any of the keys is locked."""
        now = datetime.now(UTC)
        names = [key for key, _ in keys]
        waits = [
            (row["locked_until"] - now).total_seconds() for row in uow.login_attempts.of(names) if row["locked_until"]
        ]
        wait = max(waits, default=0.0)
        if wait > 0:
            raise TooManyAttempts("login.too_many_attempts", retry_after=int(wait) + 1)

    def failed(self, uow: UnitOfWork, keys: Iterable[tuple[str, int]]) -> None:
        """Count one failure on every key; lock those that reach their limit."""
        now = datetime.now(UTC)
        window_start = now - timedelta(seconds=self.window)
        for key, limit in keys:
            if uow.login_attempts.fail(key, now, window_start) >= limit:
                uow.login_attempts.lock(key, now + timedelta(seconds=self.window))
        uow.login_attempts.prune(now, window_start, self.keep)

    def succeeded(self, uow: UnitOfWork, email: str) -> None:
        """Forget the account's failures after its right password (the address keeps its count: one good
        account must not reset an attacker's tally)."""
        uow.login_attempts.forget(self.keys(email, "")[0][0])


def log_in(new_uow: NewUow, email: str, password: str, throttle: LoginThrottle, client: str = "") -> model.User:
    """The active user with this email and password; Unauthenticated (never saying which was wrong) or
    TooManyAttempts. `new_uow` opens a unit of work: the failure is counted in its own transaction."""
    keys = throttle.keys(email, client)
    with new_uow() as uow:
        throttle.check(uow, keys)
        user = uow.users.by_email(email.strip()[:320])
        stored = uow.users.password_hash(user.id or 0) if user is not None and user.active else None
        good = verify_password(stored, password)  # verified even without a user: the same time either way
        if good:
            throttle.succeeded(uow, email)
        else:
            throttle.failed(uow, keys)
    if not good or user is None:
        raise Unauthenticated("login.wrong_credentials")
    return user


def prove_password(new_uow: NewUow, user: model.User, password: str, throttle: LoginThrottle, client: str = "") -> None:
    """Check a logged-in person's current password (before they change it), throttled like a login."""
    keys = throttle.keys(user.email, client)
    with new_uow() as uow:
        throttle.check(uow, keys)
        good = verify_password(uow.users.password_hash(user.id or 0), password)
        if not good:
            throttle.failed(uow, keys)
    if not good:
        raise ValidationError("password.wrong_current", field="current_password")


def change_password(
    new_uow: NewUow,
    user: model.User,
    current: str,
    new: str,
    throttle: LoginThrottle,
    client: str = "",
    keep_session: str | None = None,
) -> None:
    """A person changes their own password: the current one first (throttled like a login), then the new one
    (the policy applies). Their other web sessions end; their API tokens stay (they revoke them on their page)."""
    prove_password(new_uow, user, current, throttle, client)
    with new_uow(actor=user) as uow:
        store_password(uow, uow.users.get(user.id or 0), new, keep_session)


def client_address(peer: str, forwarded_for: str | None, trusted_proxies: Iterable[str]) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy; then the nearest address in
    `X-Forwarded-For` that is not itself a trusted proxy (read from the right: the left part is the client's
    own say-so). No proxy is trusted unless configured (KOERS_TRUSTED_PROXIES), not even 127.0.0.1."""
    networks = _networks(tuple(trusted_proxies))
    if not networks or not forwarded_for or not _within(peer, networks):
        return peer
    address = peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",")][:32]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address
        address = hop
        if not _within(hop, networks):
            return hop
    return address


@cache
def _networks(specs: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(spec.strip(), strict=False) for spec in specs if spec.strip())


def _within(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
