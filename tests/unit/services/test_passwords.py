"""The password policy: 8–128 characters, not only whitespace, not one of the 10,000 most common passwords."""

from __future__ import annotations

import statistics
import time

import pytest

from koers.domain.errors import ValidationError
from koers.services import passwords
from koers.services.demo import DEMO_ADMIN_PASSWORD


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("12345678", "password.common"),
        ("        ", "password.blank"),
        ("\t \n \u00a0   ", "password.blank"),
        ("password1", "password.common"),
        ("PassWord1", "password.common"),  # compared case-insensitively
        ("iloveyou", "password.common"),
        ("short", "password.too_short"),
        ("x" * 129, "password.too_long"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as refused:
        passwords.hash_password(password)
    assert (refused.value.code, refused.value.field) == (code, "password")


@pytest.mark.parametrize("password", ["lantaarn-fiets-oktober-zeventien", DEMO_ADMIN_PASSWORD, "x" * 128])
def test_a_long_passphrase_is_accepted(password):
    assert passwords.verify_password(passwords.hash_password(password), password)


def test_the_shipped_list_holds_ten_thousand_lower_cased_passwords():
    common = passwords.common_passwords()
    assert len(common) == 10_000 and "welkom01" not in common  # so `Welkom01` passes: it is not that common
    assert all(p == p.lower() for p in common)


def _median_seconds(check, tries: int = 10) -> float:
    times = []
    for _ in range(tries):
        start = time.perf_counter()
        check()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_verifying_without_a_stored_hash_costs_as_much_as_a_wrong_password():
    stored = passwords.hash_password("lantaarn-fiets-oktober-zeventien")
    wrong = _median_seconds(lambda: passwords.verify_password(stored, "wrong-password"))
    missing = _median_seconds(lambda: passwords.verify_password(None, "wrong-password"))
    assert 0.5 <= missing / wrong <= 2, (missing, wrong)
    assert passwords.verify_password(None, "koers: no such account") is False
