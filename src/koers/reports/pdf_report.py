"""The cycle report as PDF: WeasyPrint lays out the HTML report (charts are inline SVG, so nothing is fetched)."""

from __future__ import annotations

from typing import Any

from koers.reports.html_report import cycle_report_html


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's URL fetcher: a report needs nothing from outside, so a reference to anything is refused."""
    raise ValueError(f"reports fetch nothing ({url[:80]})")


def html_to_pdf(html: str) -> bytes:
    """A PDF of a standalone HTML document."""
    from weasyprint import HTML  # imported late: loading Pango costs a moment that HTML and CSV reports need not pay

    return HTML(string=html, url_fetcher=_refuse).write_pdf()


def cycle_report_pdf(report: dict[str, Any], lang: str | None, viewer: str | None = None) -> bytes:
    """The report of `services.read.report.cycle_report` as PDF in `lang`."""
    return html_to_pdf(cycle_report_html(report, lang, viewer))
