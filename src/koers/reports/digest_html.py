"""The weekly digest as an HTML e-mail body: inline styles and tables, which mail clients keep."""

from __future__ import annotations

from typing import Any

from koers.reports import html_report, templating

__all__ = ["digest_html", "html_report"]  # importing html_report registers the `reason` filter both templates use


def digest_html(digest: dict[str, Any], lang: str | None) -> str:
    """The digest of `services.read.digest.team_digest` as an e-mail body in `lang`."""
    return templating.render("digest.html", digest, lang)
