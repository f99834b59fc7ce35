"""The quality coach as you type: feedback on a title, in the title's own language (an htmx partial)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain.coach import lint
from koers.web import i18n
from koers.web.forms import Typed, Writer
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.vocabulary import N_

router = APIRouter(include_in_schema=False)
COACH_KINDS = ("objective", "key_result")
SEVERITIES = {"error": N_("Problem"), "warning": N_("Warning"), "info": N_("Tip")}


def coach(text: Any, kind: str) -> dict[str, Any] | None:
    """The coach's feedback on a title, worded wholly in the title's own language (None for an empty title)."""
    cleaned = str(text or "").strip()[:500]
    if not cleaned:
        return None
    try:
        result = lint(cleaned, kind, "auto")
    except ValueError:
        return None
    token = i18n.current_locale.set(result.lang)
    try:
        return {
            "lang": result.lang,
            "verdict": result.verdict,
            "verdict_label": _("Looks good") if result.verdict == "good" else _("Needs work"),
            "heading": _("Quality coach"),
            "findings": [
                {"severity": f.severity, "severity_label": _(SEVERITIES.get(f.severity, f.severity))}
                | {"message": f.message, "suggestion": f.suggestion}
                for f in result.findings
            ],
        }
    finally:
        i18n.current_locale.reset(token)


@router.post("/coach")
def coach_feedback(request: Request, user: Writer, form: Typed, kind: str | None = None) -> Response:
    """The coach's feedback on the text being typed (an htmx partial; it never blocks saving)."""
    text = form.get("text") if "text" in form else form.get("title")
    sent = form.get("kind")
    chosen = sent if sent in COACH_KINDS else kind if kind in COACH_KINDS else "key_result"
    return render(request, "partials/coach_feedback.html", {"coach": coach(text, str(chosen))})
