"""The cycle report as a download: its bytes, media type and headers, the same for the API and the web."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from koers.reports.formats import FORMATS, file_name, render_report

# A report is a document with its own inline style and inline SVG, and no script: it may show its style, nothing else.
REPORT_CSP: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True)
class ReportDownload:
    content: bytes
    media_type: str
    headers: dict[str, str]


def report_download(
    report: dict[str, Any], format: str, lang: str | None, viewer: str | None, *, html_inline: bool = False
) -> ReportDownload:
    """The report rendered in `format` (one of FORMATS), named as an attachment (HTML shown in the browser when
    `html_inline`); HTML gets a CSP without script."""
    disposition = "inline" if html_inline and format == "html" else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{file_name(report, format)}"'}
    if format == "html":
        headers["Content-Security-Policy"] = REPORT_CSP
    return ReportDownload(render_report(report, format, lang, viewer), FORMATS[format].media_type, headers)
