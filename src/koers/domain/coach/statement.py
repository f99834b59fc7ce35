"""What a statement says: its main clause, its verbs, its measures and its deadline."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from koers.domain.coach.lemmas import lemma, noun_keys, word_keys
from koers.domain.coach.lexicon import Lexicon, lexicon_for, word_set
from koers.domain.coach.measures import Measures, find_measures, is_plain_count
from koers.domain.coach.tokens import Token, lower_same_length, tokenize

_ENGLISH_MODALS = word_set("will must should shall can we to and or")
_DETERMINERS = word_set("de het een the a an")
# "going to renew" states intent, it does not start a purpose clause.
_DEADLINE_LEADS = word_set("eind einde begin uiterlijk end start")  # "voor eind Q3", "by the end of Q3"
_INTENT_WORDS = word_set("going want wants need needs have has plan plans aim aims intend")


@dataclass
class Statement:
    """A key result or objective, analysed once; rules read its properties."""

    text: str
    lang: str

    @cached_property
    def lex(self) -> Lexicon:
        """The lexicon of the statement's language."""
        return lexicon_for(self.lang)

    @cached_property
    def tokens(self) -> list[Token]:
        """The statement's tokens."""
        return tokenize(self.text)

    @cached_property
    def words(self) -> list[str]:
        """Lowercase words in order."""
        return [t.low for t in self.tokens]

    @cached_property
    def main_end(self) -> int:
        """Index where the main clause ends: before "om ... te", "door ... te", "to <verb>", "by <verb>ing"."""
        lex, words = self.lex, self.words
        for i, word in enumerate(words):
            rest = words[i + 1 :]
            if self.lang == "nl":
                if word in ("zodat", "waardoor", "opdat"):
                    return i
                if word in ("om", "door") and "te" in rest:
                    return i
                if word in lex.means_markers - {"door"} and i > 0:
                    return i
            else:
                nxt = rest[0] if rest else ""
                auxiliary = i > 0 and words[i - 1] in _INTENT_WORDS
                if word == "to" and nxt and word_keys(nxt, "en") & lex.verbs and i > 0 and not auxiliary:
                    return i
                if word in ("by", "through") and nxt.endswith("ing"):
                    return i
                if word == "so" and nxt == "that":
                    return i
                if word == "in" and rest[:2] == ["order", "to"]:
                    return i
        return len(words)

    @cached_property
    def measures(self) -> Measures:
        """Numbers, quantities and baselines in the statement."""
        return find_measures(self.tokens, self.lex)

    @cached_property
    def has_deadline(self) -> bool:
        """A time frame is named (Q3, eind 2026, by June 30, this quarter)."""
        return any(t.time for t in self.tokens)

    def keys(self, i: int) -> frozenset[str]:
        """Lexicon keys (form, lemma, stems) of token i."""
        return word_keys(self.tokens[i].low, self.lang)

    def find(self, words: frozenset[str], start: int = 0, end: int | None = None) -> list[int]:
        """Positions of word tokens in [start, end) that match an entry of words."""
        stop = len(self.tokens) if end is None else end
        return [i for i in range(start, stop) if self.tokens[i].kind == "word" and self.keys(i) & words]

    @cached_property
    def first_content(self) -> int:
        """Index of the first word that is not a function word, or -1."""
        for i, token in enumerate(self.tokens):
            if token.kind == "word" and token.low not in self.lex.stopwords:
                return i
        return -1

    def _verb_position(self, i: int) -> bool:
        # English nouns and verbs share forms ("survey", "release"): a verb leads, follows a modal
        # or "and", or carries a verb ending. Dutch word order makes every form a verb here.
        if self.lang == "nl":
            return True
        token = self.tokens[i].low
        if i == self.first_content or token.endswith(("ed", "ing")):
            return True
        # Irregular participles ("built", "written"); plural nouns also differ from their lemma.
        if not token.endswith("s") and lemma(token, "en") != token:
            return True
        return i > 0 and self.tokens[i - 1].low in _ENGLISH_MODALS

    @cached_property
    def activity_words(self) -> list[int]:
        """Activity verbs in the main clause, and an activity noun heading the statement."""
        hits = [i for i in self.find(self.lex.activity_verbs, end=self.main_end) if self._verb_position(i)]
        first = self.first_content
        if first >= 0 and noun_keys(self.tokens[first].low, self.lang) & self.lex.activity_nouns:
            hits.append(first)
        return hits

    @cached_property
    def activity_phrase(self) -> bool:
        """A multi-word activity ("in kaart brengen", "set up", "roll out") in the main clause."""
        main = lower_same_length(self.text)[: self._main_char_end]
        return bool(self.lex.activity_phrases.search(main))

    @property
    def _main_char_end(self) -> int:
        if self.main_end >= len(self.tokens):
            return len(self.text)
        return self.tokens[self.main_end].start

    @cached_property
    def output_nouns(self) -> list[int]:
        """Nouns in the statement's first phrase that name produced work (workshops, case studies)."""
        found = []
        start = max(self.first_content, 0)
        for i in range(start, self.main_end):
            token = self.tokens[i]
            if token.kind != "word" or (token.low in self.lex.stopwords and token.low not in _DETERMINERS):
                break
            if noun_keys(token.low, self.lang) & self.lex.output_nouns:
                found.append(i)
        return found

    @cached_property
    def effort_verbs(self) -> list[int]:
        """Verbs of contact or effort with a plain count ("50 klanten per week bellen", "Call 50 customers a week").

        The verb must be the statement's own: in Dutch the first word or the main clause's last (so the noun
        "20.000 bezoeken per maand" is no visiting), in English a verb position and no plural ("visits").
        """
        m = self.measures
        if not any(is_plain_count(self.tokens, i) for i in m.positions):
            return []
        # The main clause's last word before a deadline ("... bezoeken voor eind Q3").
        end = min(self.main_end, len(self.tokens))
        end = next((i for i in range(end) if self.tokens[i].time), end)
        while end > 0 and (
            self.tokens[end - 1].low in self.lex.stopwords or self.tokens[end - 1].low in _DEADLINE_LEADS
        ):
            end -= 1
        words = [i for i in range(end) if self.tokens[i].kind == "word"]
        hits = []
        for i in self.find(self.lex.effort_verbs, end=self.main_end):
            if self.lang == "nl":
                own = i in (0, words[-1] if words else -1)  # "Bel 50 klanten", "50 klanten bellen"
            else:
                own = self._verb_position(i) and not self.tokens[i].low.endswith("s")
            if own:
                hits.append(i)
        return hits

    @cached_property
    def manner_comparative(self) -> bool:
        """A comparison that qualifies the doing ("beter voorbereiden", "monitor more closely")."""
        for i in self.comparatives:
            nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
            if nxt is None or nxt.kind != "word" or nxt.low in self.lex.stopwords or nxt.low.endswith("ly"):
                return True
            if self.keys(i + 1) & self.lex.verbs:
                return True
        return False

    @cached_property
    def outcome_verbs(self) -> list[int]:
        """Verbs (and up/down words) that say what changes or is won."""
        return self.find(self.lex.outcome_verbs)

    @cached_property
    def light_verbs(self) -> list[int]:
        """Verbs that only say something is made or offered ("maken", "create", "provide")."""
        return self.find(self.lex.light_verbs, end=self.main_end)

    @cached_property
    def comparatives(self) -> list[int]:
        """Vague comparison words: meer, beter, sneller, happier, more reliable."""
        found = []
        for i, token in enumerate(self.tokens):
            if token.kind != "word":
                continue
            if self.keys(i) & self.lex.vague_words or (
                token.low.endswith(("er", "ere")) and self._is_comparative(token.low)
            ):
                found.append(i)
        return found

    def _is_comparative(self, word: str) -> bool:
        base = lemma(word, self.lang)
        stem = word[:-3] if word.endswith("ere") else word[:-2]
        if len(base) < 3 or len(base) >= len(word) or word_keys(word, self.lang) & self.lex.verbs:
            return False
        # "sneller" -> "snel", "betrouwbaarder" -> "betrouwbaar", "happier" -> "happy".
        return stem.startswith(base[:-1]) or base.startswith(stem[:-1])

    @cached_property
    def maintains(self) -> bool:
        """Only keeps a value where it is ("onder 3% houden", "keep NPS above 50")."""
        lex = self.lex
        if not self.measures.measurable or self.measures.has_baseline:
            return False
        if self.find(lex.change_verbs) or (self.measures.relative and not self.measures.threshold):
            return False
        if self.find(lex.maintain_verbs):
            return True
        anchored = {"op", "at", "on"} | lex.thresholds
        return bool(self.find(lex.maintain_weak_verbs)) and any(w in anchored for w in self.words)

    @cached_property
    def content_words(self) -> list[int]:
        """Words that are not function words, vague words, generic verbs or time words."""
        lex = self.lex
        skip = lex.stopwords | lex.vague_words | lex.generic_words | lex.light_verbs
        return [
            i
            for i, t in enumerate(self.tokens)
            if t.kind == "word" and t.free and not (self.keys(i) & skip) and i not in self.comparatives
        ]


@lru_cache(maxsize=4096)
def analyse(text: str, lang: str) -> Statement:
    """The analysed statement, shared by lint and lint_objective for the same text."""
    return Statement(text, lang)
