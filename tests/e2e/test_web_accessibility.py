"""Accessibility checks over every page: labelled controls, one h1, a language, headings in order, alt texts."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.e2e.test_web_queries import _ids
from tests.e2e.web_pages import pages


class Page(HTMLParser):
    """Collects what the checks need from one page."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.headings: list[int] = []
        self.html_lang: str | None = None
        self.images_without_text: list[str] = []
        self._label_depth = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(str(a["for"]))
        elif (
            tag in ("input", "select", "textarea")
            and a.get("type") not in ("hidden", "submit", "button")
            and "hidden" not in a
        ):
            self.controls.append({**a, "_wrapped": "yes" if self._label_depth else None})
        elif tag in ("h1", "h2", "h3", "h4"):
            self.headings.append(int(tag[1]))
        elif tag == "svg" and a.get("role") == "img" and not a.get("aria-label"):
            self.images_without_text.append(str(a.get("class")))
        elif tag == "img" and a.get("alt") is None:
            self.images_without_text.append(str(a.get("src")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_depth -= 1


def test_every_page_is_labelled_titled_and_ordered(sqlite_api):
    problems = []
    urls = pages(sqlite_api.client.app, _ids(sqlite_api))
    for url in ["/login", *urls]:
        sqlite_api.client.cookies.clear()
        response = sqlite_api.client.get(url, cookies={} if url == "/login" else sqlite_api.cookies("admin"))
        assert response.status_code == 200, url
        page = Page()
        page.feed(response.text)
        if page.html_lang not in ("nl", "en"):
            problems.append(f"{url}: <html lang> is {page.html_lang!r}")
        if page.headings.count(1) != 1:
            problems.append(f"{url}: {page.headings.count(1)} h1 headings")
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            if after > before + 1:
                problems.append(f"{url}: heading level jumps from h{before} to h{after}")
        for control in page.controls:
            labelled = control.get("_wrapped") or control.get("aria-label") or control.get("aria-labelledby")
            if not labelled and control.get("id") not in page.label_for:
                problems.append(f"{url}: {control.get('name')!r} has no label")
        duplicates = {i for i in page.ids if page.ids.count(i) > 1}
        if duplicates:
            problems.append(f"{url}: duplicate ids {sorted(duplicates)}")
        if page.images_without_text:
            problems.append(f"{url}: images without a text alternative {page.images_without_text}")
    assert problems == []
