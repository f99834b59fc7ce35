"""Every word of the reports (cycle report, spreadsheet headers, weekly digest) exists in Dutch, with its placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

from koers import i18n, reports
from koers.reports import templating

REPORTS = Path(reports.__file__).parent
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "gettext_": None, "ngettext_": (1, 2)}
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}


def _texts() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        REPORTS,
        method_map=[("templates/**.html", "jinja2"), ("**.py", "python")],
        options_map=OPTIONS,
        keywords=KEYWORDS,
    ):
        found.update(m for m in (message if isinstance(message, tuple) else (message,)) if m)
    return found


def test_every_report_text_has_a_dutch_translation_with_the_same_placeholders():
    dutch = {str(m.id): str(m.string) for m in i18n.catalogue("nl") if m.id}
    texts = _texts()
    assert {"Cycle report %(cycle)s", "Weekly digest %(team)s", "Key result"} <= texts
    assert sorted(t for t in texts if t not in dutch) == []
    for text in texts:
        assert sorted(re.findall(r"%\(\w+\)s", text)) == sorted(re.findall(r"%\(\w+\)s", dutch[text])), text


def test_a_report_speaks_the_language_asked_for_and_dutch_otherwise():
    assert templating.translated("nl", "Key result") == "Kernresultaat"
    assert templating.translated("en", "Key result") == "Key result"
    assert templating.language("fr") == "nl" and templating.language(None) == "nl"
