"""Language detection for OKR statements: Dutch or English."""

from __future__ import annotations

import re
from functools import lru_cache

from koers.domain.coach.lemmas import compound_head, is_known
from koers.domain.coach.lexicon import word_set

LANGUAGES = ("nl", "en")

# Function words decide most short statements; dictionary look-ups settle the rest.
_NL_CUES = word_set(
    """de het een van naar voor met en op te bij door aan uit om zijn wordt worden onze ons wij meer minder
    nieuwe nieuw dit deze dat die jaar eind maand kwartaal binnen onder boven minimaal verhogen
    verlagen verminderen klanten minstens ten opzichte houden halveren verdubbelen"""
)
_EN_CUES = word_set(
    """the a an of to for from with and on by at our we more less new this that these than are be
    year end month quarter within under below above least reduce increase grow keep cut raise improve
    customers double halve"""
)
_NL_DECIMAL = re.compile(r"\d,\d{1,2}(?!\d)")
_EN_DECIMAL = re.compile(r"\d\.\d{1,2}(?!\d)")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Letter patterns that English rarely has.
_NL_SPELLING = re.compile(r"ij|oe|aa|uu|ui|sch|eeu|ieu|(?<=\w)en$")


@lru_cache(maxsize=8192)
def detect_language(text: str) -> str:
    """Return "nl" or "en" for the text; ties go to Dutch spelling cues, then English."""
    words = [w.lower() for w in _WORD.findall(text)]
    nl = en = 0.0
    for word in words:
        if word in _NL_CUES:
            nl += 2
        if word in _EN_CUES:
            en += 2
        known_nl, known_en = is_known(word, "nl"), is_known(word, "en")
        if known_nl and not known_en:
            nl += 1
        elif known_en and not known_nl:
            en += 1
        elif not known_nl and not known_en and compound_head(word):
            # Dutch glues compounds together ("klanttevredenheid"); English leaves a space.
            nl += 1
    # 2,5 is a Dutch decimal, 2.5 an English one (three digits after the mark group thousands).
    nl += len(_NL_DECIMAL.findall(text))
    en += len(_EN_DECIMAL.findall(text))
    if nl == en:
        nl += sum(0.5 for w in words if _NL_SPELLING.search(w))
    return "nl" if nl > en else "en"
