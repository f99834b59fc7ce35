"""Tokens of a statement, each marked as part of a deadline, a comparison period or a label."""

from __future__ import annotations

import re
from dataclasses import dataclass

from koers.domain.coach.lexicon import word_set
from koers.domain.coach.timeframes import find_time_spans

_TOKEN = re.compile(
    r"(?P<ident>[^\W\d_]+\d\w*)"
    r"|(?P<num>\d+(?:[.,]\d+)*(?:[^\W\d_]+)?)"
    r"|(?P<word>[^\W\d_]+(?:[-'’&][^\W\d_]+)*)"
    r"|(?P<punct>->|→|[%€$£<>≤≥;,:()/&+±])"
)
# A year right after these words is a time frame ("in 2026", "eind 2026", "by 2030").
_YEAR_LEADS = word_set(
    """in voor vóór eind einde begin medio uiterlijk tegen tot by before end of until till during since
    sinds fy boekjaar fiscal year jaar schooljaar zomer summer ultimo per na after vanaf van from the de
    het this dit"""
)
# A number right after these words names a thing ("lijn 2", "ISO 27001", "grades 5 and 6").
_LABELS = word_set(
    """iso nen iec versie version v release fase phase stap step sprint lijn line hal hall afdeling ward
    groep group groups klas class leerjaar grade grades year years niveau level tier gebouw building kamer
    room dock gate terminal zone route windows office web industry industrie covid artikel article
    hoofdstuk chapter module wave golf ronde round"""
)
_RANGE_LINKS = word_set("en and t/m tot met to")
_BASELINE_TO = word_set("naar to tot")


@dataclass
class Token:
    """One token: its lowercase form, kind (word, num, ident, punct) and time or label marks."""

    low: str
    kind: str
    start: int
    end: int
    time: bool = False
    ref: bool = False
    label: bool = False

    @property
    def free(self) -> bool:
        """Not part of a deadline, a comparison period or a label: it may carry a measure."""
        return not (self.time or self.ref or self.label)


def lower_same_length(text: str) -> str:
    """Lower-case text without changing its length, so spans stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters ("İ") grow when lower-cased; keep those as they are.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def tokenize(text: str) -> list[Token]:
    """Split a statement into tokens and mark deadlines, comparison periods, years and labels."""
    low = lower_same_length(text)
    spans = find_time_spans(text, low)
    tokens = []
    for match in _TOKEN.finditer(low):
        kind = match.lastgroup or "word"
        start, end = match.span()
        token = Token(low=match.group(), kind=kind, start=start, end=end)
        token.time = any(s <= start and end <= e for s, e in spans.deadlines)
        token.ref = any(s <= start and end <= e for s, e in spans.references)
        tokens.append(token)
    _mark_years(tokens)
    _mark_labels(tokens)
    return tokens


def _is_year(token: Token) -> bool:
    return token.kind == "num" and len(token.low) == 4 and token.low.isdigit() and 1900 <= int(token.low) <= 2099


def _mark_years(tokens: list[Token]) -> None:
    for i, token in enumerate(tokens):
        if not _is_year(token) or token.time or token.ref:
            continue
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        # "van 2000 naar 3000": a count with a baseline, not a year.
        if nxt is not None and nxt.low in _BASELINE_TO:
            continue
        led = prev is not None and (prev.low in _YEAR_LEADS or prev.time)
        closing = nxt is None or nxt.kind == "punct"
        if led or closing:
            token.time = True


def _mark_labels(tokens: list[Token]) -> None:
    labelled = False
    for i, token in enumerate(tokens):
        if token.kind == "num" and i > 0 and (tokens[i - 1].low in _LABELS or labelled):
            token.label = True
            labelled = True
        elif labelled and token.low in _RANGE_LINKS:
            continue
        else:
            labelled = False
        if token.kind == "ident" and not token.time:
            token.label = True
