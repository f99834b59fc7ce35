"""Finding every translatable text in the web templates and modules (for the catalogue completeness test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import extract_from_dir

WEB = Path(__file__).parent
METHOD_MAP = [("templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "gettext_": None, "ngettext_": (1, 2)}


def messages() -> Iterator[tuple[str, str]]:
    """(message id, where it was found) for every text the web part translates."""
    for filename, lineno, message, _comments, _context in extract_from_dir(
        WEB, method_map=METHOD_MAP, options_map=OPTIONS, keywords=KEYWORDS
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                yield text, f"{filename}:{lineno}"
