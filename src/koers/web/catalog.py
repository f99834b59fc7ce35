"""Finding every translatable text the web shows (for the catalogue completeness test).

That is the web templates and modules, and the domain's texts the web renders: the error messages
(`koers.domain.messages`) and the score formulas (`koers.domain.explanation`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import extract_from_dir, extract_from_file

from koers import vocabulary, wording
from koers.domain import explanation
from koers.domain import messages as domain_messages
from koers.reports import chart_frame, charts

WEB = Path(__file__).parent
# The vocabulary's labels are shared with the reports (koers.vocabulary) and shown on the pages.
DOMAIN_FILES = [Path(domain_messages.__file__), Path(explanation.__file__), Path(vocabulary.__file__)]
DOMAIN_FILES += [Path(charts.__file__), Path(chart_frame.__file__)]  # the charts' words, drawn on the pages too
DOMAIN_FILES += [Path(wording.__file__)]  # the errors' wording, shared with the CLI
METHOD_MAP = [("templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "gettext_": None, "ngettext_": (1, 2)}


def messages() -> Iterator[tuple[str, str]]:
    """(message id, where it was found) for every text the web part translates."""
    found = [
        (filename, lineno, message)
        for filename, lineno, message, _comments, _context in extract_from_dir(
            WEB, method_map=METHOD_MAP, options_map=OPTIONS, keywords=KEYWORDS
        )
    ]
    for path in DOMAIN_FILES:
        found += [
            (path.name, lineno, message)
            for lineno, message, _comments, _context in extract_from_file("python", path, keywords=KEYWORDS)
        ]
    for filename, lineno, message in found:
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                yield text, f"{filename}:{lineno}"
