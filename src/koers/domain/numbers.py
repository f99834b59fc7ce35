"""The one number parser: numbers as people type them in their locale, never a guess.

"nl" writes 1.234,5 (decimal comma, group dot); "en" writes 1,234.5. The locale's own form, with
correct three-digit groups, is read as such. One separator of the other locale that cannot be a
group separator (not followed by exactly three digits, or after a whole part that cannot start a
group: 0 or more than three digits) can only be a decimal point: nl `6.75`, en `7,5`. Anything else, such as the other locale's grouped form (nl `1,234.5`), is refused with an
example of the right form.
"""

from __future__ import annotations

import math
import re

from koers.domain.errors import ValidationError

SEPARATORS = {"nl": (",", "."), "en": (".", ",")}  # locale -> (decimal, group)
SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t")
_EXPONENT = re.compile(r"(?P<mantissa>.*?)(?:[eE](?P<exponent>[+-]?\d+))?", re.DOTALL)  # any text, line breaks too


def _own(mantissa: str, decimal: str, group: str) -> str | None:
    """The mantissa in Python's form when it is written in this locale's own way, else None."""
    d, g = re.escape(decimal), re.escape(group)
    match = re.fullmatch(rf"(?P<whole>\d+|[1-9]\d{{0,2}}(?:{g}\d{{3}})+)?(?:{d}(?P<fraction>\d+))?", mantissa)
    if match is None or not (match["whole"] or match["fraction"]):
        return None
    return (match["whole"] or "0").replace(group, "") + "." + (match["fraction"] or "0")


def _foreign_decimal(mantissa: str, decimal: str, group: str) -> str | None:
    """The mantissa when its one separator is the other locale's decimal point and cannot be a group."""
    match = re.fullmatch(r"(?P<whole>\d*)(?P<separator>[.,])(?P<fraction>\d+)", mantissa)
    if match is None or match["separator"] != group:
        return None
    if len(match["fraction"]) == 3 and re.fullmatch(r"[1-9]\d{0,2}", match["whole"]):
        return None  # 1.234 in English could be a thousand and more: ambiguous
    return (match["whole"] or "0") + "." + match["fraction"]


def parse_number(text: str, locale: str, *, field: str) -> float:
    """`text` as a finite number in `locale` ("nl" or "en"); ValidationError naming the right form otherwise."""
    decimal, group = SEPARATORS["nl" if locale.lower().startswith("nl") else "en"]
    cleaned = text.translate(SPACES).replace("\u2212", "-")
    sign = ""
    if cleaned[:1] in ("+", "-"):
        sign, cleaned = cleaned[0], cleaned[1:]
    if cleaned.lower() in ("nan", "inf", "infinity"):
        raise ValidationError("number.not_finite", field=field, name=field, value=text)
    parts = _EXPONENT.fullmatch(cleaned)
    assert parts is not None  # the pattern matches any text
    mantissa = _own(parts["mantissa"], decimal, group) or _foreign_decimal(parts["mantissa"], decimal, group)
    if mantissa is None:
        plain, grouped = f"1234{decimal}5", f"1{group}234{decimal}5"
        raise ValidationError("number.unreadable", field=field, name=field, value=text, plain=plain, grouped=grouped)
    value = float(f"{sign}{mantissa}e{parts['exponent'] or 0}")  # overflow gives inf, refused below
    if not math.isfinite(value):
        raise ValidationError("number.not_finite", field=field, name=field, value=text)
    return value


# --- amounts as people type them: a unit or currency beside the number, a milestone as a word -----------------

# Ways of writing the same unit: whichever a person types, the key result's unit is meant. Compared casefolded.
UNIT_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"%", "procent", "percent", "pct"}),
    frozenset({"€", "eur", "euro", "euros"}),
    frozenset({"$", "usd", "dollar", "dollars"}),
    frozenset({"£", "gbp"}),
)
# Symbols that are a unit whatever the key result counts in (typed for a key result without a unit, they are left out).
COMMON_SYMBOLS: frozenset[str] = frozenset().union(*UNIT_FAMILIES)
# A milestone typed as a word, in Dutch or English, whatever the page's language.
MILESTONE_WORDS: dict[str, float] = {
    "klaar": 1.0,
    "done": 1.0,
    "ja": 1.0,
    "yes": 1.0,
    "niet klaar": 0.0,
    "not done": 0.0,
    "nee": 0.0,
    "no": 0.0,
}
# (text before the number)(the number: an optional sign, digits and separators, an exponent)(text after it)
_DECORATED = re.compile(r"(?P<before>\D*?)(?P<number>[+\-\u2212]?[\d.,](?:.*[\d.,])?)(?P<after>\D*)", re.DOTALL)
_SIGNS = "+-\u2212"


def _folded(text: str) -> str:
    return text.translate(SPACES).casefold()


def _fits(decoration: str, unit: str) -> bool:
    """True when `decoration` is the unit (or another way of writing it), or a common symbol beside no unit."""
    typed, counted = _folded(decoration), _folded(unit)
    if not counted:
        return typed in COMMON_SYMBOLS
    family = next((found for found in UNIT_FAMILIES if counted in found), frozenset({counted}))
    return typed in family


def parse_amount(text: str, locale: str, *, field: str, unit: str = "") -> float:
    """A number in `locale` with the unit it counts in typed before or after it: `23,5%`, `23.5 %`, `€ 1.200`,
    `12 klanten` (unit `klanten`). The decoration must be the unit (`%` and `procent`, `€` and `EUR` are the same
    unit); beside no unit, a common symbol (`%`, `€`, `$`, `£`) is left out. Another unit is refused, naming the
    right one (`number.wrong_unit`); the number itself is read by `parse_number`."""
    parts = _DECORATED.fullmatch(text.translate(SPACES))
    if parts is None:
        return parse_number(text, locale, field=field)  # no digit at all: its error
    before, number, after = parts["before"], parts["number"], parts["after"]
    sign = ""
    if before[:1] in _SIGNS and before:  # -€ 5: the sign goes with the number
        sign, before = before[0], before[1:]
    if not before and not after:
        return parse_number(text, locale, field=field)
    decoration = before or after
    if (before and after) or not _fits(decoration, unit):
        if unit.strip():
            raise ValidationError(
                "number.wrong_unit", field=field, name=field, value=text, unit=unit.strip(), typed=decoration
            )
        return parse_number(text, locale, field=field)  # `12 apples` without a unit: not a number
    return parse_number(sign + number, locale, field=field)


def parse_check_in_value(text: str, locale: str, *, field: str, kind: str, unit: str = "") -> float:
    """A key result's new value as typed: an amount in its unit (`parse_amount`); for a milestone also `klaar`,
    `done`, `ja`, `yes` (1) or `niet klaar`, `not done`, `nee`, `no` (0), in either language. Nothing typed is
    `text.empty`."""
    if not text.strip():
        raise ValidationError("text.empty", field=field, name=field)
    if kind == "milestone":
        word = " ".join(text.casefold().split())
        if word in MILESTONE_WORDS:
            return MILESTONE_WORDS[word]
        if not any(character.isdigit() for character in word):
            raise ValidationError("check_in.milestone_word", field=field, value=text)
    return parse_amount(text, locale, field=field, unit=unit)
