"""Measurability: numbers, number words, multipliers, fractions, thresholds and baselines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from koers.domain.coach.lemmas import noun_keys, word_keys
from koers.domain.coach.lexicon import Lexicon, word_set
from koers.domain.coach.tokens import Token

# Dutch writes numbers as one word ("vijfentwintig", "tweehonderd").
_NL_NUMBER = re.compile(
    r"^(?:één|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien"
    r"|zestien|zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig"
    r"|negentig|honderd|duizend|en)+$"
)
# "honderden", "duizenden" are vague plurals, not quantities.
_VAGUE_PLURAL = re.compile(r"(?:honderd|duizend)en$")
_CURRENCY = word_set("€ $ £ euro euro's dollar dollars eur usd")
_PERCENT = word_set("% procent percent pp procentpunt procentpunten percentage")
_MORE_LESS = word_set("meer minder more fewer less extra hoger lager higher lower")
_UP_DOWN = word_set("omhoog omlaag up down")
_ARROWS = word_set("-> →")


@dataclass(frozen=True)
class Measures:
    """What a statement says about size: a measure at all, its baseline, and how it is phrased."""

    positions: tuple[int, ...]
    output_counts: tuple[int, ...]
    has_baseline: bool
    relative: bool
    threshold: bool

    @property
    def measurable(self) -> bool:
        """Any number, quantity or target outside deadlines and labels."""
        return bool(self.positions)

    @property
    def only_output(self) -> bool:
        """Every measure counts work done ("12 blogartikelen")."""
        return bool(self.positions) and set(self.positions) <= set(self.output_counts)


def is_number_word(token: Token, lex: Lexicon) -> bool:
    """A written number ("twaalf", "twenty-five"), not an article or a vague plural."""
    if token.kind != "word" or token.low in ("een", "en"):
        return False
    parts = token.low.split("-")
    if all(p in lex.number_words for p in parts):
        return True
    return lex.lang == "nl" and bool(_NL_NUMBER.match(token.low)) and not _VAGUE_PLURAL.search(token.low)


def _is_quantity(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    token = tokens[i]
    if not token.free:
        return False
    if token.kind == "num" or is_number_word(token, lex):
        return True
    if token.kind != "word":
        return False
    if word_keys(token.low, lex.lang) & lex.multipliers:
        return True
    prev = tokens[i - 1].low if i > 0 else ""
    nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
    if token.low in lex.fractions and (prev in lex.fraction_leads or nxt in ("of", "van")):
        return True
    # "boven het branchegemiddelde", "above industry average": a target set by a benchmark.
    if noun_keys(token.low, lex.lang) & lex.benchmarks:
        window = {t.low for t in tokens[max(0, i - 3) : i]}
        return bool(window & lex.thresholds)
    return False


def is_plain_count(tokens: list[Token], i: int) -> bool:
    """A count of things: no percentage, no amount of money."""
    nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
    prev = tokens[i - 1].low if i > 0 else ""
    return nxt not in _PERCENT and nxt not in _CURRENCY and prev not in _CURRENCY


def _counts_output(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """Whether the noun phrase after position i ("12 blogartikelen", "number of webinars") is output."""
    phrase: list[str] = []
    for token in tokens[i + 1 : i + 5]:
        if not phrase and token.low in ("of", "van"):
            continue
        if token.kind != "word" or token.low in lex.stopwords:
            break
        output = noun_keys(token.low, lex.lang) & lex.output_nouns
        if not output and word_keys(token.low, lex.lang) & lex.verbs:
            break
        phrase.append(token.low)
    # The head of the phrase decides: "webinar attendees" counts people, not webinars.
    return bool(phrase) and bool(noun_keys(phrase[-1], lex.lang) & lex.output_nouns)


def _has_baseline(tokens: list[Token], quantities: set[int], lex: Lexicon) -> bool:
    if any(t.ref for t in tokens):
        return True
    for i, token in enumerate(tokens):
        if token.low in lex.baseline_from or token.low in ("plaats", "instead"):
            after = sorted(j for j in quantities if i < j <= i + 4)
            if after and any(
                tokens[k].low in lex.baseline_to or tokens[k].low in _ARROWS
                for k in range(after[0] + 1, min(after[0] + 6, len(tokens)))
            ):
                return True
            if after and token.low in ("plaats", "instead"):
                return True
        if token.low in lex.current_words and any(i < j <= i + 3 for j in quantities):
            return True
        if token.low in _ARROWS and (i - 1 in quantities or i - 2 in quantities):
            return True
    return False


def find_measures(tokens: list[Token], lex: Lexicon) -> Measures:
    """Find the measures of a tokenised statement."""
    positions = [i for i in range(len(tokens)) if _is_quantity(tokens, i, lex)]
    quantities = set(positions)
    output_counts = []
    for i in positions:
        if is_plain_count(tokens, i) and _counts_output(tokens, i, lex):
            output_counts.append(i)
    for i, token in enumerate(tokens):
        if token.low in lex.count_markers and _counts_output(tokens, i, lex):
            output_counts.extend(positions)
    relative = False
    threshold = False
    for i in positions:
        window_before = {t.low for t in tokens[max(0, i - 3) : i]}
        nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
        nxt2 = tokens[i + 2].low if i + 2 < len(tokens) else ""
        if word_keys(tokens[i].low, lex.lang) & lex.multipliers or tokens[i].low in lex.fractions:
            relative = True
        if window_before & (lex.relative_leads | _UP_DOWN) or {nxt, nxt2} & _MORE_LESS:
            relative = True
        if window_before & lex.thresholds:
            threshold = True
    return Measures(
        positions=tuple(positions),
        output_counts=tuple(sorted(set(output_counts))),
        has_baseline=_has_baseline(tokens, quantities, lex),
        relative=relative,
        threshold=threshold,
    )
