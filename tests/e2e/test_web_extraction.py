"""A catalogue refresh keeps every message the web uses: each text the pages and the error messages ask the Dutch
catalogue for, and find there, is one that extraction (koers.web.catalog, the reports' Babel run) finds in the source.

A message translated only because a .po file happens to hold it, while the source passes it to gettext without
marking it (a bare string in a table, a fallback), would be dropped by the next `pybabel update` and the page would
turn English without any test noticing. The Dutch translations object records every message asked for while every
page renders for an admin and for a member, and while every error code is worded.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir

from koers import i18n, reports
from koers.domain.errors import KoersError
from koers.domain.messages import MESSAGES
from koers.web.catalog import messages
from koers.web.session import SESSION_COOKIE
from koers.wording import LABELS, localise
from tests.e2e.api_support import Api, make_api
from tests.e2e.test_web_queries import _ids
from tests.e2e.web_pages import pages

REPORT_OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "gettext_": None, "ngettext_": (1, 2)}


def extracted() -> set[str]:
    """Every message id extraction finds: the web's (with the domain texts it renders) and the reports'."""
    found = {text for text, _where in messages()}
    for _file, _line, message, _comments, _context in extract_from_dir(
        Path(reports.__file__).parent,
        method_map=[("templates/**.html", "jinja2"), ("**.py", "python")],
        options_map=REPORT_OPTIONS,
        keywords=KEYWORDS,
    ):
        found.update(m for m in (message if isinstance(message, tuple) else (message,)) if m)
    return found


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Messages the Dutch catalogue was asked for and knows, with where they were asked for."""
    dutch = i18n.translations("nl")
    known: Any = dutch._catalog  # type: ignore[attr-defined]
    found: dict[str, str] = {}
    real_gettext, real_ngettext = dutch.gettext, dutch.ngettext

    def gettext(message: str) -> str:
        if message in known:
            found.setdefault(message, WHERE[0])
        return real_gettext(message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        if (singular, 0) in known:
            found.setdefault(singular, WHERE[0])
        return real_ngettext(singular, plural, n)

    monkeypatch.setattr(dutch, "gettext", gettext)
    monkeypatch.setattr(dutch, "ngettext", ngettext)
    return found


WHERE = [""]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Api]:
    api = make_api(f"sqlite:///{tmp_path / 'koers.db'}")
    yield api
    api.client.close()
    api.koers.engine.dispose()


def params_of(template: str, name: str) -> dict[str, Any]:
    """A value for every placeholder of a template: a number where it formats one, `name` for the field's name."""
    params: dict[str, Any] = {}
    for _literal, field, spec, _conversion in string.Formatter().parse(template):
        if field:
            numeric = spec and spec[-1] in "dfg"
            params[field] = (3 if spec.endswith("d") else 2.5) if numeric else name if field == "name" else "x"
    return params


def test_every_error_message_the_web_words_is_extracted(asked: dict[str, str]):
    token = i18n.current_locale.set("nl")
    try:
        for code, template in MESSAGES.items():
            for name in ("", *LABELS):  # every field label a message can name
                WHERE[0] = f"error {code} name={name}"
                localise(KoersError(code, **params_of(template, name)))
    finally:
        i18n.current_locale.reset(token)
    assert len(asked) > 100
    found = extracted()
    assert {text: where for text, where in asked.items() if text not in found} == {}


def test_every_message_the_pages_ask_for_is_extracted(site: Api, asked: dict[str, str]):
    with site.koers.uow() as uow:
        for caller in ("admin", "owner"):
            uow.users.set_fields(site.ids["admin" if caller == "admin" else "owner_user"], locale="nl")
    for caller in ("admin", "owner"):
        for url in ["/login", *pages(site.client.app, _ids(site))]:
            WHERE[0] = f"{caller} {url}"
            site.client.cookies.clear()
            if url != "/login":
                site.client.cookies.set(SESSION_COOKIE, site.sessions[caller][0])
            site.client.get(url)  # whether each page renders is for the page tests: here, what it asked for
    assert len(asked) > 200
    found = extracted()
    assert {text: where for text, where in asked.items() if text not in found} == {}
