"""Per-language word lists of lemmas, expanded once through simplemma so any inflection matches."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from types import ModuleType

from koers.domain.coach import words_en, words_nl
from koers.domain.coach.lemmas import lemma


@dataclass(frozen=True)
class Lexicon:
    """The word lists for one language; every set holds entries and their simplemma lemmas."""

    lang: str
    activity_verbs: frozenset[str]
    activity_phrases: re.Pattern[str]
    activity_nouns: frozenset[str]
    output_nouns: frozenset[str]
    effort_verbs: frozenset[str]
    change_verbs: frozenset[str]
    achieve_verbs: frozenset[str]
    decrease_verbs: frozenset[str]
    maintain_verbs: frozenset[str]
    maintain_weak_verbs: frozenset[str]
    light_verbs: frozenset[str]
    vague_words: frozenset[str]
    generic_words: frozenset[str]
    number_words: frozenset[str]
    multipliers: frozenset[str]
    fractions: frozenset[str]
    fraction_leads: frozenset[str]
    stopwords: frozenset[str]
    means_markers: frozenset[str]
    coordinators: frozenset[str]
    baseline_from: frozenset[str]
    baseline_to: frozenset[str]
    current_words: frozenset[str]
    relative_leads: frozenset[str]
    thresholds: frozenset[str]
    benchmarks: frozenset[str]
    count_markers: frozenset[str]

    @cached_property
    def outcome_verbs(self) -> frozenset[str]:
        """Verbs that say what changes or is won: they make a measured statement an outcome."""
        return self.change_verbs | self.achieve_verbs

    @cached_property
    def verbs(self) -> frozenset[str]:
        """Every verb the coach knows, used to spot a purpose clause ("to reduce ...")."""
        return (
            self.activity_verbs | self.outcome_verbs | self.maintain_verbs | self.maintain_weak_verbs | self.light_verbs
        )


def word_set(words: str) -> frozenset[str]:
    """The whitespace-separated words of a string, as a set."""
    return frozenset(words.split())


def _lemmatised(words: str, lang: str) -> frozenset[str]:
    entries = words.split()
    return frozenset(entries) | frozenset(lemma(w, lang) for w in entries)


@lru_cache(maxsize=2)
def lexicon_for(lang: str) -> Lexicon:
    """The lexicon for "nl" or "en", built on first use."""
    source: ModuleType = words_nl if lang == "nl" else words_en

    def lem(name: str) -> frozenset[str]:
        return _lemmatised(getattr(source, name), lang)

    def plain(name: str) -> frozenset[str]:
        return word_set(getattr(source, name))

    return Lexicon(
        lang=lang,
        activity_verbs=lem("ACTIVITY_VERBS"),
        activity_phrases=re.compile(source.ACTIVITY_PHRASES),
        activity_nouns=lem("ACTIVITY_NOUNS"),
        output_nouns=lem("OUTPUT_NOUNS"),
        effort_verbs=lem("EFFORT_VERBS"),
        change_verbs=lem("CHANGE_VERBS"),
        achieve_verbs=lem("ACHIEVE_VERBS"),
        decrease_verbs=lem("DECREASE_VERBS"),
        maintain_verbs=lem("MAINTAIN_VERBS"),
        maintain_weak_verbs=lem("MAINTAIN_WEAK_VERBS"),
        light_verbs=lem("LIGHT_VERBS"),
        vague_words=lem("VAGUE_WORDS"),
        generic_words=lem("GENERIC_WORDS"),
        number_words=plain("NUMBER_WORDS"),
        multipliers=lem("MULTIPLIERS"),
        fractions=plain("FRACTIONS"),
        fraction_leads=plain("FRACTION_LEADS"),
        stopwords=plain("STOPWORDS"),
        means_markers=plain("MEANS_MARKERS"),
        coordinators=plain("COORDINATORS"),
        baseline_from=plain("BASELINE_FROM"),
        baseline_to=plain("BASELINE_TO"),
        current_words=plain("CURRENT_WORDS"),
        relative_leads=plain("RELATIVE_LEADS"),
        thresholds=plain("THRESHOLDS"),
        benchmarks=lem("BENCHMARKS"),
        count_markers=plain("COUNT_MARKERS"),
    )
