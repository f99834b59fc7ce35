"""The CLI in the reader's language (KOERS_LANG, else the locale): its own lines, table headers and domain errors.

Dutch comes from the one merged catalogue of `koers.i18n` (the web's and the reports' .po files, and
web/translations/nl/cli.po for the CLI's own lines); a domain error is translated by its code's template
(`domain/messages.py`), never by matching its English text. English needs no catalogue, so an English run never
loads Babel.
"""

from __future__ import annotations

import math

from koers.domain.errors import KoersError
from koers.domain.messages import MESSAGES


def N_(message: str) -> str:
    """Mark a text for the catalogue without translating it yet."""
    return message


def locale() -> str:
    """nl or en (see `koers.cli.context.cli_locale`)."""
    from koers.cli.context import cli_locale

    return cli_locale()


def _(message: str) -> str:
    """`message` in the CLI's language."""
    chosen = locale()
    if chosen == "en":
        return message
    from koers.i18n import translations

    return translations(chosen).gettext(message)


def decimal(value: float, spec: str = "g") -> str:
    """A number as `format(value, spec)` writes it, with a decimal comma in Dutch (no grouping: one token)."""
    text = format(value, spec)
    if locale() == "nl" and math.isfinite(value):
        text = text.replace(".", ",")
    return text


def localise(error: KoersError) -> str:
    """A domain error's message in the CLI's language, chosen by its code: the code's template, translated and
    filled by the one renderer the web uses too (`koers.wording.fill`: numbers and dates in the reader's notation,
    field names as their labels). English is the domain's own message, so an English run never loads Babel."""
    chosen = locale()
    if chosen == "en":
        return error.message
    from koers.i18n import current_locale
    from koers.wording import fill

    token = current_locale.set(chosen)
    try:
        return fill(_(MESSAGES.get(error.code, "{text}")), error.params)
    finally:
        current_locale.reset(token)
