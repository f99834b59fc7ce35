"""Error messages the reader's way: field names as their translated label, numbers and dates in the reader's notation;
the one date parser for the web forms; times shown to the minute."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from koers import i18n
from koers.domain.dates import parse_day
from koers.domain.errors import KoersError, ValidationError
from koers.domain.fields import ENTITIES
from koers.wording import LABELS, localise


@pytest.fixture
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    token = i18n.current_locale.set(request.param)
    yield request.param
    i18n.current_locale.reset(token)


def said(code: str, **params: object) -> str:
    return localise(ValidationError(code, field="x", **params))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "Dit soort kernresultaat heeft een laagste waarde van de bandbreedte nodig."),
        ("en", "This kind of key result needs a lowest value of the range."),
    ],
    indirect=["lang"],
)
def test_a_field_is_named_by_its_label_in_lower_case_inside_a_sentence(lang, expected):
    assert said("key_result.needs_value_a", kind="range", name="target_low") == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("nl", "Uiterste datum is verplicht"), ("en", "Due date is required")],
    indirect=["lang"],
)
def test_a_field_at_the_start_keeps_its_capital(lang, expected):
    assert said("field.required", name="due_date") == expected


@pytest.mark.parametrize(("lang", "required"), [("nl", "is verplicht"), ("en", "is required")], indirect=["lang"])
def test_every_declared_field_name_has_a_translated_label(lang, required):
    names = {name for entity in ENTITIES.values() for name in entity.fields}
    assert names - set(LABELS) == set()
    for name in names:
        assert said("field.required", name=name) == f"{i18n.gettext_(LABELS[name])} {required}"
    assert said("field.required", name="target_low").startswith(
        {"nl": "Laagste waarde van de bandbreedte", "en": "Lowest value of the range"}[lang]
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nl",
            "Bij een stijging moet de streefwaarde boven de beginwaarde liggen (beginwaarde 2,1, streefwaarde 1,5).",
        ),
        ("en", "An increase needs a target above its baseline (baseline 2.1, target 1.5)."),
    ],
    indirect=["lang"],
)
def test_numbers_are_written_in_the_readers_notation(lang, expected):
    assert said("key_result.increase_target", baseline=2.1, target=1.5) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("nl", "Gewicht mag hoogstens 1.000 zijn; je gaf 1.234,5"), ("en", "Weight must be at most 1,000; got 1,234.5")],
    indirect=["lang"],
)
def test_every_kind_of_number_and_grouping_follows_the_locale(lang, expected):
    assert said("number.too_large", name="weight", max=1000, value=Decimal("1234.5")) == expected


@pytest.mark.parametrize("lang", ["nl", "en"], indirect=True)
def test_ids_are_not_grouped_like_quantities(lang):
    message = localise(KoersError("document.duplicate_id", where="objectives[1]", noun="objective", id=12345))
    assert "12345" in message


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "Uiterste datum moet tussen 1 jan 1900 en 31 dec 2200 liggen; je gaf 1 jan 2201"),
        ("en", "Due date must lie between Jan 1, 1900 and Dec 31, 2200; got Jan 1, 2201"),
    ],
    indirect=["lang"],
)
def test_dates_in_a_message_are_written_the_readers_way(lang, expected):
    message = said("date.out_of_range", name="due_date", first="1900-01-01", last="2200-12-31", value="2201-01-01")
    assert message == expected


@pytest.mark.parametrize(
    ("text", "locale", "day"),
    [
        ("2026-12-31", "nl", date(2026, 12, 31)),
        ("2026-12-31", "en", date(2026, 12, 31)),
        ("31-12-2026", "nl", date(2026, 12, 31)),
        (" 1-2-2027 ", "nl", date(2027, 2, 1)),
        ("01/02/2027", "nl", date(2027, 2, 1)),
        ("01.02.2027", "nl", date(2027, 2, 1)),
    ],
)
def test_the_date_parser_reads_iso_everywhere_and_day_first_in_dutch(text, locale, day):
    assert parse_day(text, locale, field="due_date") == day


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("31-12-2026", "en"),
        ("12/01/2026", "en"),
        ("31-02-2026", "nl"),
        ("2026-13-01", "nl"),
        ("31-12-26", "nl"),
        ("", "nl"),
        ("morgen", "nl"),
        ("31-12/2026", "nl"),
    ],
)
def test_the_date_parser_refuses_what_is_not_a_day_or_would_be_a_guess(text, locale):
    with pytest.raises(ValidationError) as refused:
        parse_day(text, locale, field="due_date")
    assert refused.value.code == "date.invalid" and refused.value.field == "due_date"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("nl", "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 31-12-2026."), ("en", "Enter a date as YYYY-MM-DD.")],
    indirect=["lang"],
)
def test_a_refused_date_says_how_to_write_one(lang, expected):
    with pytest.raises(ValidationError) as refused:
        parse_day("31-02-2026", lang, field="due_date")
    assert localise(refused.value) == expected


@pytest.mark.parametrize(
    ("lang", "expected"), [("nl", "28 nov 2026, 09:30"), ("en", "Nov 28, 2026, 9:30\u202fAM")], indirect=["lang"]
)
def test_times_are_shown_without_seconds(lang, expected):
    assert i18n.moment(datetime(2026, 11, 28, 9, 30, 59, tzinfo=UTC)) == expected


def test_the_cli_words_an_error_as_the_web_does(monkeypatch):
    """One renderer (`koers.wording`): the CLI's Dutch error has the same field label and number notation."""
    from koers.cli.messages import localise as cli_localise

    monkeypatch.setenv("KOERS_LANG", "nl")
    error = ValidationError("field.required", field="x", name="target_low")
    assert cli_localise(error) == "Laagste waarde van de bandbreedte is verplicht"
    numbers = ValidationError("key_result.increase_target", field="x", baseline=2.1, target=1500.5)
    assert "(beginwaarde 2,1, streefwaarde 1.500,5)" in cli_localise(numbers)
    monkeypatch.setenv("KOERS_LANG", "en")
    assert cli_localise(numbers) == numbers.message
