"""Dutch and English: message catalogues (Babel .po files, compiled at start-up), locale choice, formats.

Shared by the web pages and the reports (which may not import `koers.web`): one locale per request or report, one
merged catalogue per language from the web's and the reports' .po files.
"""

from __future__ import annotations

import gettext
import io
import math
from contextvars import ContextVar
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from babel.dates import format_date, format_time, get_datetime_format
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent, format_scientific
from babel.support import Translations

LOCALES = ("nl", "en")
DEFAULT_LOCALE = "nl"
PACKAGE = Path(__file__).parent
# Where the .po files live: each part ships its own; a message id is translated once across them.
TRANSLATION_FOLDERS = (PACKAGE / "web" / "translations", PACKAGE / "reports" / "translations")
current_locale: ContextVar[str] = ContextVar("koers_locale", default=DEFAULT_LOCALE)
# The time zone clock times are shown in: the organisation's (`Settings.zone`), set per page by the web's renderer.
current_zone: ContextVar[tzinfo] = ContextVar("koers_zone", default=UTC)


@cache
def catalogue(locale: str) -> Catalog:
    """Every translated message of a locale, merged from all .po files of its folder."""
    merged = Catalog(locale=locale)
    for po in (po for folder in TRANSLATION_FOLDERS for po in sorted((folder / locale).glob("*.po"))):
        with po.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id and message.string:
                    merged.add(message.id, message.string)
    return merged


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The translations of a locale; English is the source language and needs none."""
    if locale == "en":
        return gettext.NullTranslations()
    merged = catalogue(locale)
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return Translations(buffer)


def gettext_(message: str) -> str:
    """Translate into the current request's language."""
    return translations(current_locale.get()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    """Translate with a plural form."""
    return translations(current_locale.get()).ngettext(singular, plural, n)


def negotiate(accept_language: str | None) -> str:
    """The best of nl/en for an Accept-Language header (nl when nothing matches)."""
    best, best_q = DEFAULT_LOCALE, -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if language in LOCALES and q > best_q:
            best, best_q = language, q
    return best


# Past this size a number is shown in scientific form (1,2E308): the domain refuses such values (|x| <= 1e15), but old
# data may hold them, and formatting must never fail a page.
HUGE = 1e15
MISSING = "–"


def _scientific(value: float | Decimal) -> str:
    return format_scientific(value, format="0.##E0", locale=current_locale.get())


@lru_cache(maxsize=16_384)
def _decimal(value: float | Decimal, pattern: str, locale: str, negative_zero: bool) -> str:
    """Babel's formatting, remembered: a report of thousands of key results repeats its scores and targets, and
    each Babel call costs ~0.1 ms. `negative_zero` keeps -0.0 (which equals 0.0 as a key) apart."""
    return format_decimal(value, format=pattern, locale=locale)


def _negative_zero(value: float | Decimal) -> bool:
    return value == 0 and math.copysign(1.0, value) < 0


def number(value: float | None, decimals: int = 1) -> str:
    """7,5 in Dutch, 7.5 in English; trailing zeros kept to `decimals` only when needed. Never raises."""
    if value is None or not math.isfinite(value):
        return MISSING
    if abs(value) > HUGE:
        return _scientific(value)
    pattern = "#,##0." + "#" * decimals if decimals else "#,##0"
    return _decimal(value, pattern, current_locale.get(), _negative_zero(value))


def score(value: float | None) -> str:
    """A 0–100 score with one decimal, always shown (50,0). Never raises."""
    if value is None or not math.isfinite(value):
        return MISSING
    if abs(value) > HUGE:
        return _scientific(value)
    return _decimal(value, "0.0", current_locale.get(), _negative_zero(value))


def percent(share: float | None) -> str:
    """A share as a percentage in the locale's format. Never raises."""
    if share is None or not math.isfinite(share):
        return MISSING
    if abs(share) > HUGE / 100:
        return _scientific(Decimal(share) * 100) + "%"  # as a Decimal: 1e308 * 100 would overflow
    return format_percent(share, locale=current_locale.get())


def day(value: date | None) -> str:
    """A date in the locale's medium format (28 nov 2026 / Nov 28, 2026)."""
    return "–" if value is None else format_date(value, format="medium", locale=current_locale.get())


def moment(value: datetime | None) -> str:
    """A date and a time to the minute in the locale's format (28 nov 2026, 09:30 / Nov 28, 2026, 9:30 AM): nobody
    reads the seconds of a check-in."""
    if value is None:
        return "–"
    # Stored moments are UTC (SQLite gives them back without a zone): shown on the organisation's clock.
    value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(current_zone.get())
    locale = current_locale.get()
    pattern = str(get_datetime_format("medium", locale=locale))
    shown_date = format_date(value, format="medium", locale=locale)
    shown_time = format_time(value, format="short", locale=locale)
    return pattern.replace("{1}", shown_date).replace("{0}", shown_time)
