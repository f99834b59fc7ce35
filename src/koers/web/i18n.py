"""Dutch and English for the pages: the shared catalogues, locale and formats of `koers.i18n`, under the web's name."""

from __future__ import annotations

from pathlib import Path

from koers.i18n import (
    DEFAULT_LOCALE,
    HUGE,
    LOCALES,
    MISSING,
    catalogue,
    current_locale,
    current_zone,
    day,
    gettext_,
    moment,
    negotiate,
    ngettext_,
    number,
    percent,
    score,
    translations,
)

TRANSLATIONS = Path(__file__).with_name("translations")

__all__ = [
    "DEFAULT_LOCALE",
    "HUGE",
    "LOCALES",
    "MISSING",
    "TRANSLATIONS",
    "catalogue",
    "current_locale",
    "current_zone",
    "day",
    "gettext_",
    "moment",
    "negotiate",
    "ngettext_",
    "number",
    "percent",
    "score",
    "translations",
]
