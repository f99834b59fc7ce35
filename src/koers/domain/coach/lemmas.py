"""Lemma look-ups through simplemma, cached, with fall-backs for forms its dictionaries miss."""

from __future__ import annotations

from functools import lru_cache

import simplemma

# Dutch separable-verb particles: "opgezet" -> "op" + "gezet" -> "opzetten".
_NL_PARTICLES = (
    "terug",
    "samen",
    "binnen",
    "door",
    "mee",
    "over",
    "voor",
    "weg",
    "aan",
    "uit",
    "bij",
    "toe",
    "op",
    "in",
    "af",
    "na",
    "om",
)
_warmed = False


def warm_up() -> None:
    """Load simplemma's nl and en dictionaries once, so the first lint is not the slow one."""
    global _warmed
    if not _warmed:
        simplemma.lemmatize("analyseren", lang="nl")
        simplemma.lemmatize("analysing", lang="en")
        _warmed = True


@lru_cache(maxsize=65536)
def lemma(token: str, lang: str) -> str:
    """The dictionary form of a lowercase token; separable-verb underscores are dropped."""
    warm_up()
    return simplemma.lemmatize(token, lang=lang).lower().replace("_", "")


@lru_cache(maxsize=65536)
def is_known(token: str, lang: str) -> bool:
    """Whether simplemma's dictionary for lang knows the token."""
    warm_up()
    return simplemma.is_known(token, lang=lang)


@lru_cache(maxsize=65536)
def word_keys(token: str, lang: str) -> frozenset[str]:
    """Forms to match a token against lexicon entries: itself, its lemma and rule-based stems."""
    keys = {token, lemma(token, lang)}
    if lang == "nl":
        keys.update(_dutch_participle(token))
    else:
        keys.update(_english_stems(token))
    return frozenset(k for k in keys if k)


@lru_cache(maxsize=65536)
def noun_keys(token: str, lang: str) -> frozenset[str]:
    """Like word_keys, plus the head of a Dutch compound ("blogartikelen" -> "artikel")."""
    keys = set(word_keys(token, lang))
    if "-" in token:
        # "lean-trainingen", "kaizen-events": the last part is the head.
        last = token.rsplit("-", 1)[1]
        keys.update({last, lemma(last, lang)})
    if lang == "nl":
        head = compound_head(token)
        if head:
            keys.update({head, lemma(head, lang)})
    # Plurals simplemma leaves alone ("events", "studies", "demo's").
    for key in list(keys):
        if key.endswith("ies") and lang == "en":
            keys.add(key[:-3] + "y")
        elif key.endswith(("'s", "’s")):
            keys.add(key[:-2])
        elif key.endswith("s"):
            keys.add(key[:-1])
    return frozenset(keys)


@lru_cache(maxsize=65536)
def compound_head(token: str) -> str:
    """The longest known tail of a Dutch compound, or "" when there is none."""
    word = token.split("-")[-1]
    # A head of four letters or more after a modifier of three or more ("klant|onderzoek").
    for start in range(3, len(word) - 3):
        tail = word[start:]
        if is_known(tail, "nl"):
            return tail
    return ""


def _dutch_participle(token: str) -> set[str]:
    for particle in _NL_PARTICLES:
        if token.startswith(particle + "ge") and len(token) > len(particle) + 4:
            base = lemma(token[len(particle) :], "nl")
            if base.endswith("en"):
                return {particle + base}
    return set()


def _english_stems(token: str) -> set[str]:
    # simplemma reads "building", "writing" as nouns; the verb matters here.
    stems: set[str] = set()
    for suffix in ("ing", "ed"):
        if token.endswith(suffix) and len(token) > len(suffix) + 2:
            stem = token[: -len(suffix)]
            stems.update({stem, stem + "e"})
            if len(stem) > 2 and stem[-1] == stem[-2]:
                stems.add(stem[:-1])
    return stems
