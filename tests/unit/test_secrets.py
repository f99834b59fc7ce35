"""Secrets at rest: one Fernet module (key from KOERS_SECRET_KEY, HKDF-derived) for data sources and webhooks."""

from __future__ import annotations

import pytest

from koers.domain.errors import ValidationError
from koers.integrations import secrets

KEY = "a server secret of at least thirty-two characters"


def test_a_value_round_trips_and_the_token_does_not_show_it() -> None:
    box = secrets.SecretBox(KEY)
    token = box.seal({"headers": {"Authorization": "Bearer hush-hush"}})
    assert "hush-hush" not in token
    assert box.open(token) == {"headers": {"Authorization": "Bearer hush-hush"}}
    assert secrets.decrypt(KEY, secrets.encrypt(KEY, "webhook secret")) == "webhook secret"


def test_each_seal_differs_but_opens_the_same() -> None:
    assert secrets.encrypt(KEY, "x") != secrets.encrypt(KEY, "x")  # Fernet: a fresh IV and timestamp each time


@pytest.mark.parametrize("key", ["", "short", "x" * (secrets.MIN_KEY_LENGTH - 1)])
def test_no_key_or_a_short_one_is_refused_with_one_code(key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        secrets.encrypt(key, "webhook secret")
    assert caught.value.code == "secret.no_key" and caught.value.params == {"min": secrets.MIN_KEY_LENGTH}
    assert "KOERS_SECRET_KEY" in caught.value.message
    assert not secrets.has_key(key) and secrets.has_key(KEY)


def test_a_token_of_another_key_is_unreadable() -> None:
    token = secrets.SecretBox(KEY).seal({"url": "postgresql://u:p@db/x"})
    with pytest.raises(ValidationError) as caught:
        secrets.SecretBox(KEY + "!").open(token)
    assert caught.value.code == "secret.unreadable"
    with pytest.raises(ValidationError):
        secrets.SecretBox(KEY).open("not a token")


def test_a_fernet_key_as_the_setting_works_too() -> None:
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()  # 44 characters: used as text and derived like any other
    assert secrets.decrypt(key, secrets.encrypt(key, "s")) == "s"
