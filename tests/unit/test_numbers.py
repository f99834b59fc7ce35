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


# --- amounts as people type them (issue 15): a unit or currency beside the number, milestones as words ---------

from koers.domain.numbers import parse_amount, parse_check_in_value  # noqa: E402

AMOUNTS = [
    ("nl", "23,5%", "%", 23.5),
    ("nl", "23,5 %", "%", 23.5),
    ("en", "23.5 %", "%", 23.5),
    ("en", "23.5%", "%", 23.5),
    ("nl", "23.5 %", "%", 23.5),  # the other locale's lone decimal point, with the unit
    ("nl", "€ 1.200", "€", 1200.0),
    ("nl", "€1.200,50", "€", 1200.5),
    ("en", "€ 1,200", "€", 1200.0),
    ("nl", "1.200 EUR", "€", 1200.0),  # another way of writing the unit
    ("nl", "€ 1.200", "EUR", 1200.0),
    ("nl", "1.200 euro", "euro", 1200.0),
    ("en", "$1,234.5", "USD", 1234.5),
    ("nl", "12 procent", "%", 12.0),
    ("nl", "-€ 5", "€", -5.0),
    ("nl", "€ -5", "€", -5.0),
    ("nl", "12 klanten", "klanten", 12.0),  # the key result's own unit
    ("nl", "12 Nieuwe klanten", "nieuwe klanten", 12.0),
    ("nl", "350 ms", "ms", 350.0),
    ("nl", "7,5", "%", 7.5),  # no unit typed: the number
    ("nl", "23,5%", "", 23.5),  # a common symbol beside a key result without a unit is left out
    ("en", "€ 1,200", "", 1200.0),
    ("nl", "1,5e3 %", "%", 1500.0),
]


@pytest.mark.parametrize(("locale", "text", "unit", "expected"), AMOUNTS)
def test_amounts_are_read_with_their_unit_or_currency(locale: str, text: str, unit: str, expected: float) -> None:
    assert parse_amount(text, locale, field="value", unit=unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "unit", "typed"),
    [("23 €", "%", "€"), ("23%", "€", "%"), ("12 klanten", "%", "klanten"), ("5 $", "EUR", "$"), ("€ 5 %", "%", "€")],
)
def test_another_unit_is_refused_naming_the_right_one(text: str, unit: str, typed: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_amount(text, "nl", field="value", unit=unit)
    error = raised.value
    assert (error.code, error.field, error.params["unit"], error.params["typed"]) == (
        "number.wrong_unit",
        "value",
        unit,
        typed,
    )
    assert error.message == f"value is counted in {unit}, not {typed}; got {text!r}"


@pytest.mark.parametrize(("text", "unit"), [("12 appels", ""), ("abc", "%"), ("", "%"), ("1,234.5 %", "%")])
def test_what_is_no_number_stays_the_number_parsers_error(text: str, unit: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_amount(text, "nl", field="value", unit=unit)
    assert raised.value.code == "number.unreadable"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("klaar", 1.0),
        ("Klaar", 1.0),
        ("done", 1.0),
        ("DONE", 1.0),
        ("ja", 1.0),
        ("yes", 1.0),
        ("1", 1.0),
        (" niet  klaar ", 0.0),
        ("not done", 0.0),
        ("nee", 0.0),
        ("no", 0.0),
        ("0", 0.0),
    ],
)
def test_a_milestone_is_typed_as_a_word_in_either_language(text: str, expected: float) -> None:
    for locale in ("nl", "en"):
        assert parse_check_in_value(text, locale, field="value", kind="milestone") == expected


def test_a_milestone_word_that_is_not_known_is_refused_and_numbers_go_to_the_domain_check() -> None:
    with pytest.raises(ValidationError) as raised:
        parse_check_in_value("misschien", "nl", field="value", kind="milestone")
    assert raised.value.code == "check_in.milestone_word"
    assert parse_check_in_value("0,5", "nl", field="value", kind="milestone") == 0.5  # refused later, as 0.5
    with pytest.raises(ValidationError) as empty:
        parse_check_in_value("  ", "nl", field="value", kind="increase")
    assert empty.value.code == "text.empty"


def test_words_are_no_value_for_other_kinds() -> None:
    for unit in ("%", ""):
        with pytest.raises(ValidationError) as raised:
            parse_check_in_value("klaar", "nl", field="value", kind="increase", unit=unit)
        assert raised.value.code == "number.unreadable"


UNITS = st.sampled_from(["%", "€", "$", "£", "EUR", "klanten", "ms"])


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    UNITS,
    st.booleans(),
    st.sampled_from(["", " ", "\u00a0"]),
)
def test_what_babel_writes_with_a_unit_or_currency_is_read_back(
    value: float, unit: str, before: bool, gap: str
) -> None:
    for locale in ("nl", "en"):
        number = format_decimal(value, locale=locale)
        written = f"{unit}{gap}{number}" if before else f"{number}{gap}{unit}"
        parsed = parse_amount(written, locale, field="v", unit=unit)
        assert math.isclose(parsed, value, rel_tol=1e-9, abs_tol=0.0005 + 1e-9), (locale, written)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9), st.sampled_from(["nl", "en"]))
def test_what_babel_writes_as_a_currency_or_percent_is_read_back(value: float, locale: str) -> None:
    from babel.numbers import format_currency, format_percent

    money = format_currency(value, "EUR", locale=locale)  # `€ 1.234,50` / `€1,234.50`; rounded to cents
    assert math.isclose(parse_amount(money, locale, field="v", unit="€"), value, abs_tol=0.005 + 1e-9), money
    share = format_percent(value / 100, format="#,##0.###%", locale=locale)  # `23,5%` for 23.5
    assert math.isclose(parse_amount(share, locale, field="v", unit="%"), value, rel_tol=1e-9, abs_tol=0.0005 + 1e-9)
