"""Secrets at rest (data sources' URL passwords and header values, webhooks' signing secrets): Fernet from
`cryptography` (AES-128-CBC with HMAC-SHA256), under a key derived from KOERS_SECRET_KEY (or the file named by
KOERS_SECRET_KEY_FILE).

The setting is a server secret of at least MIN_KEY_LENGTH characters (`python -c "import secrets;
print(secrets.token_urlsafe(32))"` makes one); the Fernet key is HKDF-SHA256 of it, so any such text works and
a weak short passphrase is refused. Without the setting nothing secret can be stored (`secret.no_key`); a token
sealed under another key cannot be opened (`secret.unreadable`): set the secret again. docs/security.md.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any, Final

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from koers.domain.errors import ValidationError

MIN_KEY_LENGTH: Final = 32
KDF_INFO: Final = b"koers secrets at rest v1"


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KDF_INFO).derive(key_material.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def has_key(key_material: str) -> bool:
    """True when the setting can seal secrets."""
    return len(key_material or "") >= MIN_KEY_LENGTH


class SecretBox:
    """Seals and opens JSON values under the configured key."""

    def __init__(self, key_material: str) -> None:
        if not has_key(key_material):
            raise ValidationError("secret.no_key", min=MIN_KEY_LENGTH)
        self._fernet = _fernet(key_material)

    def seal(self, value: Any) -> str:
        """A JSON value as an encrypted token."""
        return self._fernet.encrypt(json.dumps(value, sort_keys=True).encode()).decode()

    def open(self, token: str) -> Any:
        """The JSON value inside a token; ValidationError (secret.unreadable) when this key did not seal it."""
        try:
            return json.loads(self._fernet.decrypt(token.encode()))
        except (InvalidToken, ValueError):
            raise ValidationError("secret.unreadable") from None


def encrypt(key_material: str, secret: str) -> str:
    """A text secret (a webhook's signing secret) encrypted under the configured key."""
    return SecretBox(key_material).seal(secret)


def decrypt(key_material: str, token: str) -> str:
    """The text secret inside a token made by `encrypt`."""
    value = SecretBox(key_material).open(token)
    return value if isinstance(value, str) else json.dumps(value)
