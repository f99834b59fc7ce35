"""Every page and form, in Dutch and in English, as an admin, a team lead and a member: nothing left untranslated.

In Dutch every text the pages ask the catalogue for must be in it (the Dutch translations object is instrumented to
record each message it does not know). In both languages no value label (level, type, visibility, role, cycle
status, kind, confidence, status...) may appear in the other language. The pages come from the app's own route list,
so a page added later is covered without touching this test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest

from koers import i18n
from koers.services import organisation as org
from koers.services.passwords import hash_password
from koers.services.sessions import start_session
from koers.vocabulary import LABELS
from koers.web.session import SESSION_COOKIE
from tests.e2e.api_support import PASSWORD, Api, make_api
from tests.e2e.web_pages import NOT_PAGES, RECORD_OF_PREFIX, fill, pages, web_routes

CALLERS = ("admin", "lead", "member")  # builders' admin; owner leads team Support; a member of Support who leads none


class Texts(HTMLParser):
    """The visible text pieces of a page, each trimmed (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skip:
            self.pieces.append(text)


def shown_words(page: str) -> set[str]:
    """What a label could be on a page: each text piece, each part in parentheses, each part after a colon."""
    parser = Texts()
    parser.feed(page)
    found = set()
    for piece in parser.pieces:
        found.add(piece)
        found.update(part.strip() for part in re.findall(r"\(([^()]*)\)", piece))
        found.update(part.strip() for part in re.findall(r":\s*([^:()]+)$", piece))
    return found


def label_words() -> dict[str, set[str]]:
    """Per language, the value labels that differ from the other language's word (so seeing them is a fault)."""
    dutch = i18n.translations("nl")
    pairs = [(english, dutch.gettext(english)) for english in LABELS.values()]
    return {
        "en": {nl for en, nl in pairs if nl != en},  # a Dutch word on an English page
        "nl": {en for en, nl in pairs if nl != en},  # an English word on a Dutch page
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    api = make_api(f"sqlite:///{tmp_path_factory.mktemp('translated') / 'koers.db'}")
    with api.koers.uow() as uow:
        member = org.add_user(
            uow, "member@example.org", "member", "Mia Member", "nl", [api.ids["owner_team"]], hash_password(PASSWORD)
        )
        api.sessions["member"] = start_session(uow, member.id or 0)
    api.sessions["lead"] = api.sessions["owner"]
    api.ids |= {"admin_user": api.ids["admin"], "member_user": member.id or 0}
    yield api
    api.client.close()
    api.koers.engine.dispose()


@pytest.fixture
def misses(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """Messages the Dutch catalogue did not know, with the pages that asked for them."""
    dutch = i18n.translations("nl")
    known: Any = dutch._catalog  # type: ignore[attr-defined]
    found: dict[str, set[str]] = {}
    real_gettext, real_ngettext = dutch.gettext, dutch.ngettext

    def gettext(message: str) -> str:
        if message not in known:
            found.setdefault(message, set()).add(CURRENT[0])
        return real_gettext(message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        if (singular, 0) not in known:
            found.setdefault(singular, set()).add(CURRENT[0])
        return real_ngettext(singular, plural, n)

    monkeypatch.setattr(dutch, "gettext", gettext)
    monkeypatch.setattr(dutch, "ngettext", ngettext)
    return found


CURRENT = [""]  # the page being rendered, for the miss report


def user_id(api: Api, caller: str) -> int:
    return {"admin": api.ids["admin"], "lead": api.ids["owner"], "member": api.ids["member_user"]}[caller]


def visit(api: Api, caller: str, url: str) -> Any:
    api.client.cookies.clear()
    api.client.cookies.set(SESSION_COOKIE, api.sessions[caller][0])
    return api.client.get(url)


def unresolved(app: Any, ids: dict[str, int]) -> set[str]:
    """Pages whose path names a record the organisation has no kind for (a webhook, a link's secret): filled with
    1, they answer 404 — in the reader's language, which is still checked."""
    found = set()
    for path in web_routes(app, "GET"):
        segments = path.strip("/").split("/")
        params = [i for i, segment in enumerate(segments) if segment.startswith("{")]
        if path not in NOT_PAGES and any(not i or segments[i - 1] not in RECORD_OF_PREFIX for i in params):
            found.add(fill(path, ids))
    return found


def test_the_route_list_holds_the_pages_people_use(site: Api):
    urls = pages(site.client.app, site.ids)
    assert {"/organisation", "/objectives/new", "/admin/users", "/admin/cycles", "/week", "/kpis"} <= set(urls)
    assert len(urls) >= 25


def test_every_page_speaks_one_language_for_every_role(site: Api, misses: dict[str, set[str]]):
    wrong = label_words()
    broken, foreign = [], []
    urls = pages(site.client.app, site.ids)
    unknown = unresolved(site.client.app, site.ids)
    # Dutch first, then English, for every page: a word fixed into a template at its first rendering shows up as
    # the wrong language in the second round.
    for lang in ("nl", "en"):
        with site.koers.uow() as uow:
            for caller in CALLERS:
                uow.users.set_fields(user_id(site, caller), locale=lang)
        for caller in CALLERS:
            for url in urls:
                CURRENT[0] = f"{caller} {url}"
                response = visit(site, caller, url)
                refused = response.status_code >= 400 and not (url in unknown and response.status_code == 404)
                if response.status_code >= 500 or (caller == "admin" and refused):
                    broken.append(f"{lang} {caller} {url}: {response.status_code}")
                    continue
                assert f'lang="{lang}"' in response.text[:300], (lang, caller, url)
                seen = shown_words(response.text) & wrong[lang]
                if seen:
                    foreign.append(f"{lang} {caller} {url}: {sorted(seen)}")
    missing = sorted(f"{message!r} on {sorted(where)[:3]}" for message, where in misses.items())
    assert broken == [], "pages that fail (an admin may open every page):\n" + "\n".join(broken)
    assert foreign == [], "value labels in the other language:\n" + "\n".join(foreign)
    assert missing == [], "add these to src/koers/web/translations/nl/*.po:\n" + "\n".join(missing)


def test_the_label_check_sees_a_label_in_the_wrong_language():
    """The check above must be able to fail: a Dutch status word on an English page is seen, wherever it sits."""
    wrong = label_words()
    page = '<p>2026-Q3 (in voorbereiding)</p><span class="badge">lid</span><p>confidence: op koers</p>'
    assert shown_words(page) & wrong["en"] == {"in voorbereiding", "lid", "op koers"}
    assert shown_words("<option>tactical</option><span>Status: done</span>") & wrong["nl"] == {"tactical", "done"}


def test_the_instrumented_catalogue_records_a_message_it_does_not_know(misses: dict[str, set[str]]):
    token = i18n.current_locale.set("nl")
    try:
        CURRENT[0] = "probe"
        assert i18n.gettext_("Save") == "Opslaan" and i18n.gettext_("A sentence no catalogue has") == (
            "A sentence no catalogue has"
        )
        i18n.ngettext_("%(num)d goal", "%(num)d goals", 2)
    finally:
        i18n.current_locale.reset(token)
    assert misses == {"A sentence no catalogue has": {"probe"}}
