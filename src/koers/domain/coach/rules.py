"""Rules that turn an analysed statement into findings (SPEC §5 codes)."""

from __future__ import annotations

from koers.domain.coach.lexicon import word_set
from koers.domain.coach.messages import finding, quote
from koers.domain.coach.result import ERROR, INFO, WARNING, Finding
from koers.domain.coach.statement import Statement

# Verbs that make a thing; "optioneel maken" is a change to build, "beter maken" a vague wish.
_MAKE_VERBS = word_set("maken make")
_RANGE_LEADS = word_set("tussen between tot")
_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


def key_result_findings(st: Statement) -> list[Finding]:
    """Findings for a key result: activity, not-measurable, compound, maintain, deadline, baseline."""
    found: list[Finding] = []
    m = st.measures
    if is_activity(st, kind="key_result"):
        key = "activity-count" if (m.output_counts or st.effort_verbs) and m.measurable else "activity"
        found.append(finding("activity", ERROR, st.lang, key, verb=_activity_word(st)))
    elif not m.measurable:
        vague = st.tokens[st.comparatives[0]].low if st.comparatives else ""
        found.append(finding("not-measurable", ERROR, st.lang, subject=subject(st), vague_word=vague))
    elif st.maintains:
        found.append(finding("maintain-value", WARNING, st.lang))
    else:
        if not st.has_deadline:
            found.append(finding("no-deadline", WARNING, st.lang))
        if not m.has_baseline and (m.relative or st.find(st.lex.change_verbs)):
            found.append(finding("no-baseline", INFO, st.lang))
    if is_compound(st):
        found.append(finding("compound", WARNING, st.lang))
    return sorted(found, key=lambda f: _ORDER[f.severity])


def objective_findings(st: Statement) -> list[Finding]:
    """Findings for an objective's own title: activity, vague-only, a number, compound."""
    found: list[Finding] = []
    if is_activity(st, kind="objective"):
        found.append(finding("activity", ERROR, st.lang, "objective-activity", verb=_activity_word(st)))
    elif not st.content_words:
        found.append(finding("vague-objective", ERROR, st.lang))
    if st.measures.measurable and not found:
        token = st.tokens[st.measures.positions[0]]
        measure = st.text[token.start : token.end]
        found.append(finding("objective-is-a-number", WARNING, st.lang, measure=measure))
    if is_compound(st):
        found.append(finding("compound", WARNING, st.lang))
    return sorted(found, key=lambda f: _ORDER[f.severity])


def is_activity(st: Statement, kind: str) -> bool:
    """Describes work done rather than an outcome; a count of output stays an activity."""
    m = st.measures
    # Counting less output ("het aantal vergaderingen halveren") is an efficiency outcome.
    counts_work = bool(m.output_counts or st.effort_verbs) and not st.find(st.lex.decrease_verbs)
    work = bool(st.activity_words or st.activity_phrase or counts_work)
    if not work and st.output_nouns and not m.measurable:
        work = True
    if not work and kind == "key_result" and not m.measurable and not st.comparatives:
        # "Gebruikersregistratie optioneel maken": making a thing is the work itself.
        work = any(st.keys(i) & _MAKE_VERBS for i in st.light_verbs) and not st.outcome_verbs
    if not work:
        return False
    if st.activity_words and not (st.activity_phrase or st.output_nouns or m.measurable) and st.manner_comparative:
        # "Studenten beter voorbereiden": a wish about how well, which is a vague outcome.
        return False
    # An outcome that is measured as well ("Churn met 5% verlagen door X in te voeren") wins.
    return not (m.measurable and not m.only_output and st.outcome_verbs)


def _activity_word(st: Statement) -> str:
    hits = st.activity_words or st.output_nouns or st.effort_verbs or st.light_verbs
    if hits:
        token = st.tokens[hits[0]]
        return st.text[token.start : token.end]
    return quote(st.text, 40)


def subject(st: Statement) -> str:
    """What the statement is about, from its content words, for a rewrite template."""
    lex = st.lex
    verbs = lex.verbs
    words = [i for i in st.content_words if i < st.main_end and not (st.keys(i) & verbs)]
    if not words:
        return ""
    first, last = words[0], words[-1]
    if last - first > 5:
        last = first
    text = st.text[st.tokens[first].start : st.tokens[last].end]
    return text[:1].upper() + text[1:]


def _segments(st: Statement) -> list[tuple[int, int]]:
    lex, tokens = st.lex, st.tokens
    cuts = []
    for i, token in enumerate(tokens):
        is_link = token.low in lex.coordinators or token.low in (";", ",", "&")
        if st.lang == "nl" and token.low == "als" and "zowel" in st.words[:i]:
            is_link = True
        if not is_link or i == 0 or i + 1 >= len(tokens):
            continue
        prev, nxt = tokens[i - 1], tokens[i + 1]
        # "tussen 3 en 4", "5 and 6", "tot en met": a range, not a second goal.
        if (prev.kind == "num" and nxt.kind == "num") or prev.low in _RANGE_LEADS:
            continue
        if i > 1 and tokens[i - 2].low in _RANGE_LEADS:
            continue
        cuts.append(i)
    bounds = [-1, *cuts, len(tokens)]
    return [(bounds[k] + 1, bounds[k + 1]) for k in range(len(bounds) - 1)]


def is_compound(st: Statement) -> bool:
    """Two goals in one statement ("Omzet +10% en churn naar 2%")."""
    segments = _segments(st)
    if len(segments) < 2:
        return False
    measured = set(st.measures.positions)
    outcome = set(st.outcome_verbs)
    work = set(st.activity_words) | set(st.output_nouns)
    comparative = set(st.comparatives)
    verbs = st.lex.verbs
    content = {i for i in st.content_words if not (st.keys(i) & verbs)}
    goals = activities = 0
    for start, end in segments:
        span = set(range(start, end))
        if not span & content:
            continue
        if span & (measured | outcome | comparative):
            goals += 1
        elif span & work:
            activities += 1
    return goals >= 2 or (goals >= 1 and activities >= 1)
