"""Password rules and argon2id hashes: the one place every door (API, web, CLI, invitations) sets a password."""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from koers.domain.errors import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_PASSWORDS = "data/common-passwords.txt"
_hasher = PasswordHasher()
_dummy_hashes: dict[int, str] = {}  # id(hasher) -> a hash of nothing anyone types, made with that hasher's costs


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of the 10,000 most common passwords, lower-cased (read once, on first use)."""
    text = resources.files("koers").joinpath(COMMON_PASSWORDS).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_password(password: str) -> None:
    """Refuse a password that is too short or long, only whitespace, or one of the common ones."""
    if len(password) < MIN_LENGTH:
        raise ValidationError("password.too_short", field="password", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise ValidationError("password.too_long", field="password", max=MAX_LENGTH)
    if not password.strip():
        raise ValidationError("password.blank", field="password")
    if password.strip().lower() in common_passwords():
        raise ValidationError("password.common", field="password")


def hash_password(password: str) -> str:
    """An argon2id hash of an acceptable password."""
    check_password(password)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches the stored hash.

    Without a stored hash (no such user, a disabled one, one without a password) a dummy hash of the same
    costs is verified anyway, so the answer takes as long as a wrong password: timing tells no one who has
    an account.
    """
    try:
        if not password_hash:
            _hasher.verify(_dummy_hash(), password)
            return False
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    hasher = _hasher
    if id(hasher) not in _dummy_hashes:
        _dummy_hashes[id(hasher)] = hasher.hash("koers: no such account")
    return _dummy_hashes[id(hasher)]
