"""Password rules and argon2id hashes."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from koers.domain.errors import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 128
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of an acceptable password."""
    if len(password) < MIN_LENGTH:
        raise ValidationError("password.too_short", field="password", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise ValidationError("password.too_long", field="password", max=MAX_LENGTH)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches the stored hash."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
