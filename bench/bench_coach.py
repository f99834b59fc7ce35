"""Benchmark the OKR quality coach against its budgets: 5 ms per statement, 10 s per 10,000.

Run: .venv/bin/python bench/bench_coach.py   (prints figures and budget ratios; ratio < 1 is within budget)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from koers.domain.coach import lint, lint_document

STATEMENT_BUDGET_MS = 5.0
DOCUMENT_BUDGET_S = 10.0
DOCUMENT_STATEMENTS = 10_000
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "coach_corpus.tsv"

_NL_SUBJECTS = ["churn", "de NPS", "omzet uit België", "levertijd", "het verzuim", "de conversie", "wachttijd"]
_EN_SUBJECTS = ["churn", "NPS", "revenue from Belgium", "delivery time", "sick leave", "conversion", "wait time"]
_PLACES = [
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Haarlem",
    "Arnhem",
    "Enschede",
    "Amersfoort",
    "Zaanstad",
    "Leiden",
    "Maastricht",
    "Dordrecht",
    "Zoetermeer",
    "Zwolle",
    "Deventer",
    "Delft",
    "Alkmaar",
    "Venlo",
    "Antwerpen",
    "Gent",
    "Brugge",
    "Leuven",
    "Hasselt",
    "Mechelen",
    "Namen",
    "Luik",
    "London",
    "Leeds",
    "Bristol",
    "Dublin",
    "Cork",
    "Boston",
    "Denver",
]
_NL_TEMPLATES = [
    "{s} in {p} van {a}% naar {b}% voor eind Q{q}",
    "{s} in {p} verhogen met {a}% in {y}",
    "Meer {s} in {p} in Q{q}",
    "{a} blogartikelen over {s} in {p} publiceren",
    "{s} in {p} onder de {a}% houden",
    "{s} in {p} halveren en {a} nieuwe klanten werven voor 1 juli",
    "Een plan maken voor {s} in {p}",
]
_EN_TEMPLATES = [
    "Reduce {s} in {p} from {b}% to {a}% by end of Q{q}",
    "Grow {s} in {p} by {a}% in {y}",
    "Improve {s} in {p} this quarter",
    "Hold {a} workshops about {s} in {p}",
    "Keep {s} in {p} below {a}%",
    "Double {s} in {p} and win {a} new customers by June 30",
    "Analyse {s} in {p} for the board",
]


def corpus_statements() -> list[tuple[str, str]]:
    """(text, kind) pairs from the labelled corpus."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")][1:]
    return [(row[0], row[2]) for row in rows]


def generated_statement(rng: random.Random) -> str:
    """A varied key result, so caches of whole texts do not flatter the figures."""
    dutch = rng.random() < 0.5
    template = rng.choice(_NL_TEMPLATES if dutch else _EN_TEMPLATES)
    subject = rng.choice(_NL_SUBJECTS if dutch else _EN_SUBJECTS)
    return template.format(
        s=subject,
        p=rng.choice(_PLACES),
        a=rng.randint(2, 95),
        b=rng.randint(2, 95),
        q=rng.randint(1, 4),
        y=rng.randint(2026, 2030),
    )


def generated_document(count: int, seed: int = 7) -> dict[str, Any]:
    """An export document with count statements: objectives with four key results each."""
    rng = random.Random(seed)
    objectives = []
    made = 0
    while made < count:
        key_results = [{"id": f"k{made + i}", "title": generated_statement(rng)} for i in range(4)]
        objectives.append({"id": f"o{made}", "title": "Klanten behouden", "key_results": key_results})
        made += 1 + len(key_results)
    return {"objectives": objectives}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench_statements() -> None:
    started = time.perf_counter()
    lint("Warm-up: simplemma laadt zijn woordenboeken", kind="key_result")
    lint("Warm-up: simplemma loads its dictionaries", kind="key_result")
    print(f"warm-up (loading nl and en dictionaries): {(time.perf_counter() - started) * 1000:.0f} ms")
    statements = corpus_statements()
    for label, rounds in (("first sight", 1), ("repeated, cached", 3)):
        timings = []
        for _ in range(rounds):
            for text, kind in statements:
                start = time.perf_counter()
                lint(text, kind=kind)
                timings.append((time.perf_counter() - start) * 1000)
        median, p95, worst = statistics.median(timings), percentile(timings, 0.95), max(timings)
        print(
            f"per statement, {label} ({len(timings)} lints): median {median:.3f} ms, p95 {p95:.3f} ms, "
            f"max {worst:.3f} ms; p95/budget {p95 / STATEMENT_BUDGET_MS:.3f} (budget {STATEMENT_BUDGET_MS} ms)"
        )


def bench_document() -> None:
    document = generated_document(DOCUMENT_STATEMENTS)
    titles = [kr["title"] for o in document["objectives"] for kr in o["key_results"]]
    start = time.perf_counter()
    entries = lint_document(document)
    elapsed = time.perf_counter() - start
    print(
        f"lint_document, {len(entries)} statements: {elapsed:.2f} s; "
        f"time/budget {elapsed / DOCUMENT_BUDGET_S:.3f} (budget {DOCUMENT_BUDGET_S} s); "
        f"{elapsed / len(entries) * 1000:.3f} ms per statement ({len(set(titles))} distinct key results "
        f"of {len(titles)})"
    )


def main() -> int:
    print(f"Python {sys.version.split()[0]}")
    bench_statements()
    bench_document()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
