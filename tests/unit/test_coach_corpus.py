"""The coach against its labelled corpus: verdict accuracy and per-code precision and recall.

Run with `pytest tests/unit/test_coach_corpus.py -s` to see the report. The holdout rows were
written before the rules and never used to tune them, so their score estimates unseen statements.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from koers.domain.coach import lint

CORPUS = Path(__file__).resolve().parents[1] / "data" / "coach_corpus.tsv"
SCORED_CODES = (
    "not-measurable",
    "activity",
    "compound",
    "no-deadline",
    "maintain-value",
    "vague-objective",
    "objective-is-a-number",
)
MIN_VERDICT_ACCURACY = 0.92
MIN_CODE_RECALL = 0.90


@dataclass(frozen=True)
class Row:
    text: str
    lang: str
    kind: str
    verdict: str
    codes: frozenset[str]
    split: str


@dataclass
class Score:
    """Verdict accuracy and per-code confusion counts over a set of rows."""

    rows: int = 0
    verdicts_right: int = 0
    languages_right: int = 0
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        result = lint(row.text, kind=row.kind)
        got = set(result.codes) & set(SCORED_CODES)
        self.rows += 1
        self.verdicts_right += result.verdict == row.verdict
        self.languages_right += result.lang == row.lang
        for code in SCORED_CODES:
            if code in row.codes and code in got:
                self.tp[code] += 1
            elif code in got:
                self.fp[code] += 1
            elif code in row.codes:
                self.fn[code] += 1
        if result.verdict != row.verdict or got != row.codes:
            self.misses.append(f"{row.text!r}: expected {sorted(row.codes)}, got {list(result.codes)}")

    @property
    def accuracy(self) -> float:
        return self.verdicts_right / self.rows

    @property
    def recall(self) -> float:
        found, missed = sum(self.tp.values()), sum(self.fn.values())
        return found / (found + missed) if found + missed else 1.0

    def report(self, name: str) -> str:
        lines = [
            f"{name}: {self.rows} statements, verdict accuracy {self.accuracy:.3f}, "
            f"expected-code recall {self.recall:.3f}, language {self.languages_right}/{self.rows}",
            f"  {'code':24} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}",
        ]
        for code in SCORED_CODES:
            tp, fp, fn = self.tp[code], self.fp[code], self.fn[code]
            precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
            recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
            lines.append(f"  {code:24} {precision:>9} {recall:>7} {tp:>4} {fp:>4} {fn:>4}")
        lines.extend(f"  miss: {miss}" for miss in self.misses)
        return "\n".join(lines)


def load_corpus() -> list[Row]:
    with CORPUS.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    rows = []
    for record in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        expected = record["expected_code"]
        rows.append(
            Row(
                text=record["text"],
                lang=record["lang"],
                kind=record["kind"],
                verdict=record["verdict"],
                codes=frozenset() if expected == "-" else frozenset(expected.split("|")),
                split=record["split"],
            )
        )
    return rows


@pytest.fixture(scope="module")
def corpus() -> list[Row]:
    return load_corpus()


@pytest.fixture(scope="module")
def scores(corpus: list[Row]) -> dict[str, Score]:
    result = {"dev": Score(), "holdout": Score(), "all": Score()}
    for row in corpus:
        result[row.split].add(row)
        result["all"].add(row)
    print()
    for name in ("dev", "holdout", "all"):
        print(result[name].report(name))
    return result


def test_corpus_is_large_varied_and_well_formed(corpus: list[Row]) -> None:
    assert len(corpus) >= 300
    langs = Counter(row.lang for row in corpus)
    verdicts = Counter(row.verdict for row in corpus)
    splits = Counter(row.split for row in corpus)
    assert set(langs) == {"nl", "en"} and min(langs.values()) / len(corpus) >= 0.4
    assert set(verdicts) == {"good", "needs_work"} and min(verdicts.values()) / len(corpus) >= 0.4
    assert set(splits) == {"dev", "holdout"} and splits["holdout"] / len(corpus) >= 0.15
    assert len({row.text for row in corpus}) == len(corpus), "duplicate statements"
    for row in corpus:
        assert row.kind in ("key_result", "objective"), row
        assert row.codes <= set(SCORED_CODES), row
        needs_error = bool(row.codes & {"not-measurable", "activity", "vague-objective"})
        assert needs_error == (row.verdict == "needs_work"), row


def test_verdict_accuracy_on_the_whole_corpus(scores: dict[str, Score]) -> None:
    assert scores["all"].accuracy >= MIN_VERDICT_ACCURACY


def test_expected_code_recall_on_the_whole_corpus(scores: dict[str, Score]) -> None:
    assert scores["all"].recall >= MIN_CODE_RECALL


def test_language_is_detected_for_the_whole_corpus(scores: dict[str, Score]) -> None:
    assert scores["all"].languages_right / scores["all"].rows >= 0.97
