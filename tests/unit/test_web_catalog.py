"""Every word on every page exists in Dutch and English: templates hold no untranslated literals."""

from __future__ import annotations

import re
from pathlib import Path

from koers.domain.errors import LITERAL
from koers.domain.messages import MESSAGES
from koers.web import i18n
from koers.web.catalog import messages
from koers.web.routes.objectives import PLAINER

TEMPLATES = Path(i18n.__file__).with_name("templates")
# the brand, each language's own name on the switch, and a protocol's name, which Dutch writes the same way
ALLOWED_WORDS = {"Koers", "English", "Nederlands", "HTTP"}
JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
BRACES = re.compile(r"(?<!{){(\w*)[^{}]*}(?!})")  # {name}, {name:g}, {name!r}; not {{escaped}}
TEXT_ATTRIBUTES = re.compile(r'\b(aria-label|title|placeholder|alt)="([^"]*)"')


def test_every_translatable_text_has_a_dutch_translation():
    dutch: set[str] = set()
    for message in i18n.catalogue("nl"):
        if message.id and message.string:  # a plural message's id is (singular, plural); both forms are extracted
            dutch.update(message.id if isinstance(message.id, tuple) else (message.id,))
    missing = sorted({f"{text!r} ({where})" for text, where in messages() if text not in dutch})
    assert missing == [], "add these to a .po file under src/koers/web/translations/nl/"


def test_dutch_translations_keep_their_placeholders():
    for message in i18n.catalogue("nl"):
        if message.id:
            assert sorted(re.findall(r"%\(\w+\)s", str(message.id))) == sorted(
                re.findall(r"%\(\w+\)s", str(message.string))
            ), message.id
            assert sorted(BRACES.findall(str(message.id))) == sorted(BRACES.findall(str(message.string))), message.id


def test_the_domain_messages_are_covered():
    """Error messages and formulas are extracted from the domain too, so a new code without Dutch fails above."""
    found = {text for text, _where in messages()}
    assert {text for code, text in MESSAGES.items() if code != LITERAL} - found == set()
    assert "score = Σ(score × weight) / Σ weight" in found
    assert set(PLAINER) - found == set(), "the page words a formula step that the domain no longer has"


def test_templates_hold_no_english_literals():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text()
        for name, value in TEXT_ATTRIBUTES.findall(source):
            if value and "{{" not in value:
                offenders.append(f"{template.name}: {name}={value!r}")
        text = TAG.sub(" ", JINJA.sub(" ", source))
        words = {w for w in re.findall(r"[A-Za-zÀ-ÿ]{2,}", text) if w not in ALLOWED_WORDS}
        if words:
            offenders.append(f"{template.name}: {sorted(words)}")
    assert offenders == []


def test_numbers_and_dates_follow_the_language():
    from datetime import date

    token = i18n.current_locale.set("nl")
    try:
        assert i18n.number(7.5) == "7,5" and i18n.score(50) == "50,0"
        assert "nov" in i18n.day(date(2026, 11, 28))
    finally:
        i18n.current_locale.reset(token)
    token = i18n.current_locale.set("en")
    try:
        assert i18n.number(7.5) == "7.5" and i18n.number(12345.5) == "12,345.5"
        assert i18n.day(date(2026, 11, 28)) == "Nov 28, 2026"
    finally:
        i18n.current_locale.reset(token)


def test_accept_language_picks_the_best_known_language():
    assert i18n.negotiate("en-GB,en;q=0.9,nl;q=0.8") == "en"
    assert i18n.negotiate("de-DE,de;q=0.9,nl;q=0.5,en;q=0.4") == "nl"
    assert i18n.negotiate("fr") == "nl"
    assert i18n.negotiate(None) == "nl"
