"""The one date parser for what people type into a date field: ISO everywhere, and the Dutch way in Dutch.

ISO (`2026-12-31`) is what a browser's date picker sends and what the API and the CLI take. A Dutch reader may also
type the day first, as Dutch dates are written: `31-12-2026` (also `31/12/2026`, `31.12.2026`, `1-2-2027`). An
English reader gets ISO only: `12/01/2026` is a different day in Britain and in America, so it is never guessed.
"""

from __future__ import annotations

import re
from datetime import date

from koers.domain.errors import ValidationError

_DAY_FIRST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str, locale: str, *, field: str) -> date:
    """`text` as a date: ISO in every locale, day-month-year as well in Dutch; ValidationError otherwise."""
    cleaned = text.strip()
    try:
        if _ISO.fullmatch(cleaned):
            return date.fromisoformat(cleaned)
        found = _DAY_FIRST.fullmatch(cleaned)
        if found and locale.lower().startswith("nl"):
            return date(int(found[4]), int(found[3]), int(found[1]))
    except ValueError:
        pass  # 31-02-2026: the form of a date, not a day of the calendar
    raise ValidationError("date.invalid", field=field, name=field, value=text)
