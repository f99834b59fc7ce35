"""Reading form fields as people type them (7,5 in Dutch), with messages in their language."""

from __future__ import annotations

from koers.domain.errors import ValidationError
from koers.web.i18n import gettext_ as _


def number(text: str | None, label: str, required: bool = True) -> float | None:
    """A number typed as 7.5 or 7,5; a clear error in the user's language otherwise."""
    cleaned = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        if required:
            raise ValidationError(_("%(field)s is required") % {"field": label}, field=label)
        return None
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    elif "," in cleaned and "." in cleaned:  # 1.234,5 (nl) or 1,234.5 (en)
        cleaned = (
            cleaned.replace(".", "").replace(",", ".")
            if cleaned.rfind(",") > cleaned.rfind(".")
            else cleaned.replace(",", "")
        )
    try:
        value = float(cleaned)
    except ValueError:
        raise ValidationError(_("%(field)s must be a number") % {"field": label}, field=label) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError(_("%(field)s must be a number") % {"field": label}, field=label)
    return value
