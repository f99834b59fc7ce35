"""Time expressions: deadlines (Q3, eind 2026, by June), and comparison periods (vs last year)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS_FULL = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|january|february|march|may|june|july|august|october"
)
_MONTHS_SHORT = "jan|feb|mrt|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec"
_MONTH = f"(?:{_MONTHS_FULL}|{_MONTHS_SHORT})"
_YEAR = r"(?:19|20)\d{2}"
_PERIOD = (
    r"(?:kwartaal|quarter|jaar|year|maand|month|week|halfjaar|schooljaar|school\s+year|studiejaar"
    r"|academic\s+year|collegejaar|boekjaar|fiscal\s+year|financial\s+year|semester|trimester|term"
    r"|cyclus|cycle|periode|sprint|seizoen|season)"
)
_COUNT = (
    r"(?:\d+|een|één|a|an|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|achttien|two|three"
    r"|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|anderhalf)"
)
_SPAN_UNITS = r"(?:weken|week|maanden|maand|jaar|jaren|kwartalen|kwartaal|weeks|months|month|years|year|quarters)"
_ORDINAL = (
    r"(?:eerste|tweede|derde|vierde|laatste|1e|2e|3e|4e|1ste|2de|3de|4de|first|second|third|fourth|last"
    r"|1st|2nd|3rd|4th)"
)
_SEASON = (
    r"(?:zomer|zomervakantie|zomerstop|winter|lente|voorjaar|najaar|herfst|kerst|kerstmis|feestdagen"
    r"|jaarwisseling|summer|spring|autumn|fall|christmas|holidays|holiday\s+season)"
)

_DEADLINE = re.compile(
    "|".join(
        (
            r"\b[qk][1-4](?:\s*[-/'’]?\s*(?:20)?\d{2}\b)?",
            rf"\b{_YEAR}\s*[-/]\s*q[1-4]\b",
            rf"\bh[12]\b(?:\s*{_YEAR})?",
            r"\bfy\s*['’]?\d{2,4}\b",
            r"\b(?:kwartaal|quarter)\s+[1-4]\b",
            rf"\b{_ORDINAL}\s+(?:kwartaal|quarter|helft|half|jaarhelft|halfjaar)\b(?:\s+(?:van\s+|of\s+)?{_YEAR})?",
            rf"\b(?:dit|deze|het|volgend|volgende|komend|komende|huidige|lopende|this|next|the|current|coming"
            rf"|eind|einde|end\s+of(?:\s+the)?|ultimo|medio)\s+(?:(?:nieuwe|new|volgende|next|huidige|current)\s+)?"
            rf"{_PERIOD}\b",
            r"\b(?:year[- ]end|end[- ]of[- ]year|eoy|eoq|jaareinde)\b",
            rf"\b\d{{1,2}}(?:e|ste|de|st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:\s+{_YEAR})?",
            rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR})?",
            r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}\b",
            rf"\b{_YEAR}-\d{{2}}-\d{{2}}\b",
            rf"\b(?:{_MONTHS_FULL})\b(?:\s+{_YEAR})?",
            rf"\b(?:binnen|within|in|over)\s+(?:(?:de|het|the)\s+)?(?:komende\s+|volgende\s+|next\s+|coming\s+)?"
            rf"(?:{_COUNT}\s+)?{_SPAN_UNITS}\b",
            rf"\b(?:de|the)\s+(?:komende|volgende|next|coming)\s+{_COUNT}\s+(?:dagen|days)\b",
            rf"\b(?:voor|vóór|na|tegen|by|before|after|end\s+of|eind|einde|in|tijdens|during|ahead\s+of|deze|dit"
            rf"|this|next|volgende|komende)\s+(?:(?:de|het|the)\s+)?{_SEASON}\b",
        )
    )
)

_REFERENCE = re.compile(
    r"\b(?:ten\s+opzichte\s+van|t\.o\.v\.?|vergeleken\s+met|in\s+vergelijking\s+met|compared\s+(?:to|with)"
    r"|versus|vs\.?|than|dan|als|on|over|relative\s+to)\s+(?:(?:het|de|the|same|dezelfde)\s+)?"
    rf"(?:(?:vorig\w*|afgelopen|last|previous|prior)(?:\s+{_PERIOD})?|{_YEAR}|q[1-4]\w*|baseline|nulmeting"
    r"|periode\s+vorig\s+jaar|period\s+last\s+year)"
    r"|\b(?:year[- ]over[- ]year|year[- ]on[- ]year|yoy|jaar[- ]op[- ]jaar)\b"
)

# Capitalised only: "may" and "march" are also ordinary words.
_AMBIGUOUS_MONTHS = ("may", "march", "mar")


@dataclass(frozen=True)
class TimeSpans:
    """Character spans of the deadlines and the comparison periods found in a text."""

    deadlines: tuple[tuple[int, int], ...]
    references: tuple[tuple[int, int], ...]


def find_time_spans(text: str, low: str) -> TimeSpans:
    """Find deadline and reference spans; low is text lower-cased with the same length."""
    references = tuple(m.span() for m in _REFERENCE.finditer(low))
    deadlines = []
    for match in _DEADLINE.finditer(low):
        start, end = match.span()
        if _inside(start, end, references):
            continue
        word = low[start:end].split()[0]
        if word in _AMBIGUOUS_MONTHS and not text[start].isupper():
            continue
        deadlines.append((start, end))
    return TimeSpans(deadlines=tuple(deadlines), references=references)


def _inside(start: int, end: int, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(s <= start and end <= e for s, e in spans)
