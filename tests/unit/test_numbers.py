"""The one number parser: each locale's own form, the other locale's lone decimal point, never a guess."""

from __future__ import annotations

import math

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from koers.domain.errors import ValidationError
from koers.domain.numbers import parse_number

READ = [
    # Dutch: decimal comma, group dot
    ("nl", "7,5", 7.5),
    ("nl", "1.234,5", 1234.5),
    ("nl", "1.234", 1234.0),
    ("nl", "1.234.567", 1234567.0),
    ("nl", "1.234.567,89", 1234567.89),
    ("nl", "1234,5", 1234.5),
    ("nl", "6.75", 6.75),  # one dot not followed by three digits: only a decimal point fits
    ("nl", "0.125", 0.125),  # 0 cannot start a group
    ("nl", "1234.567", 1234.567),  # neither can four digits
    ("nl", "-3", -3.0),
    ("nl", "+3", 3.0),
    ("nl", "\u22123,5", -3.5),
    ("nl", ",5", 0.5),
    ("nl", " 1 234,5 ", 1234.5),
    ("nl", "1\u00a0234,5", 1234.5),
    ("nl", "1e3", 1000.0),
    ("nl", "-1,5e3", -1500.0),
    ("nl", "2,5E-2", 0.025),
    ("nl", "0", 0.0),
    # English: decimal point, group comma
    ("en", "7.5", 7.5),
    ("en", "1,234.5", 1234.5),
    ("en", "1,234", 1234.0),
    ("en", "1,234,567.25", 1234567.25),
    ("en", "7,5", 7.5),  # one comma not followed by three digits: only a decimal point fits
    ("en", "0,125", 0.125),
    ("en", ".5", 0.5),
    ("en", "-0.001", -0.001),
    ("en", "1e3", 1000.0),
    ("en", "1.5e-3", 0.0015),
    ("en", "42", 42.0),
]

REFUSED = [
    ("nl", "1,234.5", "write 1234,5 or 1.234,5"),  # the English grouped form
    ("en", "1.234,5", "write 1234.5 or 1,234.5"),  # the Dutch grouped form
    ("nl", "1.23.4", "write 1234,5 or 1.234,5"),  # broken grouping
    ("en", "1,23,4", "write 1234.5 or 1,234.5"),
    ("nl", "12.34.567", "write 1234,5 or 1.234,5"),
    ("en", "1.234.567", "write 1234.5 or 1,234.5"),
    ("en", "1.2.3", "write 1234.5 or 1,234.5"),
    ("nl", "abc", "write 1234,5 or 1.234,5"),
    ("en", "", "write 1234.5 or 1,234.5"),
    ("en", "-", "write 1234.5 or 1,234.5"),
    ("en", "e5", "write 1234.5 or 1,234.5"),
    ("en", "1_000", "write 1234.5 or 1,234.5"),
    ("en", "1.5.", "write 1234.5 or 1,234.5"),
]


@pytest.mark.parametrize(("locale", "text", "expected"), READ)
def test_numbers_are_read_in_the_locale(locale: str, text: str, expected: float) -> None:
    assert parse_number(text, locale, field="value") == pytest.approx(expected)


@pytest.mark.parametrize(("locale", "text", "example"), REFUSED)
def test_ambiguous_or_broken_numbers_are_refused_with_an_example(locale: str, text: str, example: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_number(text, locale, field="VALUE")
    error = raised.value
    assert (error.code, error.field) == ("number.unreadable", "VALUE")
    assert error.message == f"VALUE must be a number; got {text!r}: {example}"


def test_the_english_thousands_form_is_a_thousand_in_english_and_never_a_guess() -> None:
    # "1.234" is 1234 in Dutch; in English it is the decimal 1.234; neither locale guesses across
    assert parse_number("1.234", "nl", field="v") == 1234.0
    assert parse_number("1.234", "en", field="v") == 1.234
    assert parse_number("1,234", "en", field="v") == 1234.0
    assert parse_number("1,234", "nl", field="v") == 1.234


@pytest.mark.parametrize("text", ["1e999", "-1e999", "nan", "NaN", "inf", "-Infinity"])
def test_non_finite_results_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_number(text, "en", field="target")
    assert raised.value.code == "number.not_finite"
    assert raised.value.message == f"target must be a finite number; got {text!r}"


def test_the_locale_may_be_a_full_tag() -> None:
    assert parse_number("1.234,5", "nl_NL", field="v") == 1234.5
    assert parse_number("1,234.5", "en_GB", field="v") == 1234.5


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_what_babel_writes_is_read_back(value: float) -> None:
    for locale in ("nl", "en"):
        written = format_decimal(value, locale=locale)  # groups, at most three decimals
        parsed = parse_number(written, locale, field="v")
        assert math.isclose(parsed, value, rel_tol=1e-9, abs_tol=0.0005 + 1e-9), (locale, written)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_babel_with_more_decimals_is_read_back(value: float) -> None:
    for locale in ("nl", "en"):
        written = format_decimal(value, format="#,##0.######", locale=locale)
        parsed = parse_number(written, locale, field="v")
        assert math.isclose(parsed, value, rel_tol=1e-9, abs_tol=0.0000005 + 1e-12), (locale, written)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"KOERS_LANG": "nl", "LANG": "en_US.UTF-8"}, "nl"),
        ({"KOERS_LANG": "en", "LC_ALL": "nl_NL.UTF-8"}, "en"),
        ({"LC_ALL": "nl_BE.UTF-8", "LANG": "en_GB.UTF-8"}, "nl"),
        ({"LC_MESSAGES": "nl_NL", "LANG": "C.UTF-8"}, "nl"),
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_cli_reads_numbers_in_the_users_locale(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    from koers.cli.context import cli_locale, number

    for variable in ("KOERS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert cli_locale() == expected
    assert number("1.234,5" if expected == "nl" else "1,234.5", "VALUE") == 1234.5
    assert number("7,5", "VALUE") == number("7.5", "VALUE") == 7.5


def test_an_import_document_reads_numbers_written_as_text_with_the_same_parser() -> None:
    from koers.domain.errors import ValidationError as KoersValidationError
    from koers.services.document import parse_document

    key_result = {"id": 1, "title": "Churn", "kind": "decrease", "baseline": "10", "target": "7,5"}
    objective = {"id": 1, "title": "Klanten behouden", "cycle_id": 1, "key_results": [key_result]}
    cycle = {"id": 1, "name": "Q1", "start_date": "2026-01-01", "end_date": "2026-03-31"}
    document = {"cycles": [cycle], "objectives": [objective]}
    assert parse_document(document).objectives[0].key_results[0].target == 7.5
    key_result["target"] = "1.234,5"
    with pytest.raises(KoersValidationError) as raised:
        parse_document(document)
    assert "target must be a number; got '1.234,5': write 1234.5 or 1,234.5" in raised.value.message


@pytest.mark.parametrize("text", ["7\r", "1\n2", "\x02å\r\x11m", "\n"])
def test_a_line_break_in_a_number_is_refused_not_a_crash(text: str) -> None:
    """Issue 9: the parser once failed an assertion (500 on a web form) on a carriage return."""
    with pytest.raises(ValidationError):
        parse_number(text, "nl", field="value")
