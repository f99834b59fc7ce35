"""Words of the OKR vocabulary as people read them (translated when shown): shared by the pages and the reports."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a text for the catalogue without translating it yet."""
    return message


LABELS = {
    "on_track": N_("on track"),
    "at_risk": N_("at risk"),
    "off_track": N_("off track"),
    "not_started": N_("not started"),
    "achieved": N_("achieved"),
    "green": N_("green"),
    "amber": N_("amber"),
    "red": N_("red"),
    "yellow": N_("yellow"),
    "strategic": N_("strategic"),
    "tactical": N_("tactical"),
    "committed": N_("committed"),
    "aspirational": N_("aspirational"),
    "public": N_("public"),
    "team": N_("team only"),
    "increase": N_("increase"),
    "decrease": N_("decrease"),
    "range": N_("range"),
    "above": N_("stay above"),
    "below": N_("stay below"),
    "milestone": N_("milestone"),
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
    "planning": N_("planning"),
    "active": N_("active"),
    "closed": N_("closed"),
    "higher_is_better": N_("higher is better"),
    "lower_is_better": N_("lower is better"),
    "in_range": N_("within a range"),
    "admin": N_("admin"),
    "member": N_("member"),
    "manual": N_("manual"),
    "sync": N_("sync"),
    "import": N_("import"),
}


def label(code: str | None) -> str:
    """The English label of a vocabulary code (translate it with _ when shown)."""
    if code is None:
        return "–"
    return LABELS.get(code, code)


# What people type for a check-in's confidence, beside the codes themselves: the one list every door reads (CLI,
# web form, import), matched after lower-casing with "-" and " " read as "_". The Dutch words follow the interface's
# wording, older and newer ("risico" and "loopt risico", "uit koers" and "niet op koers").
CONFIDENCE_WORDS: dict[str, tuple[str, ...]] = {
    "on_track": ("on_track", "op_koers"),
    "at_risk": ("at_risk", "risico", "loopt_risico"),
    "off_track": ("off_track", "uit_koers", "niet_op_koers"),
}
_CONFIDENCE_BY_WORD = {word: code for code, words in CONFIDENCE_WORDS.items() for word in words}


def confidence_code(text: str | None, field: str = "confidence") -> str | None:
    """The confidence code (on_track, at_risk, off_track) of what someone typed, Dutch or English; None for
    nothing; a ValidationError naming the codes for anything else."""
    if text is None or not text.strip():
        return None
    word = "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    code = _CONFIDENCE_BY_WORD.get(word)
    if code is None:
        from koers.domain.errors import ValidationError

        raise ValidationError(
            "field.not_one_of", field=field, name=field, allowed=", ".join(CONFIDENCE_WORDS), value=text
        )
    return code
