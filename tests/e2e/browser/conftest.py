"""A real browser (Debian's chromium, driven by Playwright) against Koers on a real server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.api_support import Api, live_server, make_api, make_demo_api

CHROMIUM = os.environ.get("KOERS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# Without these, chromium keeps reaching for Google's hosts, which this network refuses.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium for the session; a clear failure (not a skip) when it is missing in CI."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def site(sqlite_url: str) -> Iterator[tuple[Api, str]]:
    """`tests.builders.organisation` on a real server: (api with logins, base URL)."""
    api = make_api(sqlite_url)
    with live_server(api) as base:
        yield api, base
    api.client.close()
    api.koers.engine.dispose()


@pytest.fixture
def demo_site(sqlite_url: str) -> Iterator[tuple[Api, str]]:
    """The demo on a real server, for the tests about the demo itself: (api, base URL)."""
    api = make_demo_api(sqlite_url)
    with live_server(api) as base:
        yield api, base
    api.client.close()
    api.koers.engine.dispose()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser page at laptop size; its screenshot is saved as a test artifact at the end."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    tab = context.new_page()
    yield tab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def shoot(tab: Any, name: str) -> Path:
    """Save a named screenshot in the artifacts folder."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def log_in(tab: Any, base: str, email: str, password: str) -> None:
    """Log in through the form, as a person would."""
    tab.goto(f"{base}/login")
    tab.fill("#email", email)
    tab.fill("#password", password)
    tab.click("button:has-text('Inloggen'), button:has-text('Log in')")
    tab.wait_for_url(f"{base}/week")
