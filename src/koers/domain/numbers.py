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
