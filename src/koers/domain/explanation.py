"""How a score came about, as structured formulas (SPEC §3 rules, spelled out), and their plain-text rendering.

A formula is data: its kind, the symbols with their numbers, and steps. Each step is an English
template with `{name:spec}` placeholders (wrapped in N_ so Babel extracts it) and the values that fill
it. An adapter translates a template through its catalogue and formats the numbers in its locale;
`render` does that for plain text, and with the defaults gives the English text `koers explain` prints.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from koers.domain.messages import N_
from koers.domain.scoring import Target, progress, score_from_progress

Value = float | int | str | tuple["Step", ...]


@dataclass(frozen=True)
class Step:
    """One line of a formula: an English template with `{name:spec}` placeholders and the values that fill it.

    A value is a number (formatted with the placeholder's spec), a string (a symbol, used as is) or a
    tuple of Steps (terms, rendered each and joined with " + ").
    """

    template: str
    values: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True)
class Formula:
    """How one score came about.

    kind: which rule applied ("increase", "decrease", "range_inside", "range_above", "range_below",
    "range_none", "above", "below", "above_empty", "below_empty", "milestone", "weighted", "aligned", "none");
    symbols: the numbers by symbol (b, t, v, lo, hi, p, score, ...);
    rule: the rule in symbols (a Step without values); filled: the rule with the numbers in;
    score: how progress becomes the score (key results only).
    """

    kind: str
    symbols: Mapping[str, float]
    rule: Step
    filled: Step
    score: Step | None = None

    def steps(self) -> dict[str, Step]:
        """The steps by name: rule, filled and (for key results) score."""
        named = {"rule": self.rule, "filled": self.filled}
        return named if self.score is None else {**named, "score": self.score}

    def text(
        self, number: Callable[[float, str], str] | None = None, translate: Callable[[str], str] | None = None
    ) -> dict[str, str]:
        """Each step rendered as plain text (English with the defaults)."""
        return {name: render(step, number, translate) for name, step in self.steps().items()}


def english_number(value: float, spec: str) -> str:
    """A number as Python's format spec writes it: the English plain-text form."""
    return format(value, spec)


def render(
    step: Step, number: Callable[[float, str], str] | None = None, translate: Callable[[str], str] | None = None
) -> str:
    """A step as text: its template (translated when `translate` is given) with each value formatted by `number`."""
    number = number or english_number
    template = translate(step.template) if translate else step.template
    pieces: list[str] = []
    for literal, name, spec, _conversion in string.Formatter().parse(template):
        pieces.append(literal)
        if name is None:
            continue
        value = step.values[name]
        if isinstance(value, tuple):
            pieces.append(" + ".join(render(term, number, translate) for term in value))
        elif isinstance(value, str):
            pieces.append(value)
        else:
            pieces.append(number(value, spec or "g"))
    return "".join(pieces)


SCORE = N_("score = round(100 × clamp({p:.4g}, 0, 1), 1) = {score:.1f}")


def key_result_explanation(goal: Target, value: float | None, cycle_values: Sequence[float] = ()) -> Formula:
    """The formula of a key result's score: which rule, and the numbers in it."""
    p = progress(goal, value, cycle_values)
    v = goal.start if value is None else value
    b, t = goal.start, goal.target or 0.0
    symbols: dict[str, float] = {"b": b, "v": v, "p": p, "score": score_from_progress(p)}
    kind = goal.kind
    if kind == "increase":
        symbols["t"] = t
        rule = N_("p = (v − b) / (t − b)")
        filled = N_("p = ({v:g} − {b:g}) / ({t:g} − {b:g}) = {p:.4g}")
    elif kind == "decrease":
        symbols["t"] = t
        rule = N_("p = (b − v) / (b − t)")
        filled = N_("p = ({b:g} − {v:g}) / ({b:g} − {t:g}) = {p:.4g}")
    elif kind == "range":
        lo, hi = goal.target_low or 0.0, goal.target_high or 0.0
        symbols |= {"lo": lo, "hi": hi}
        if lo <= v <= hi:
            kind, rule = "range_inside", N_("p = 1 when lo ≤ v ≤ hi")
            filled = N_("{lo:g} ≤ {v:g} ≤ {hi:g}, so p = 1 = {p:.4g}")
        elif b > hi:
            kind, rule = "range_above", N_("baseline above the range: p = (b − v) / (b − hi)")
            filled = N_("p = ({b:g} − {v:g}) / ({b:g} − {hi:g}) = {p:.4g}")
        elif b < lo:
            kind, rule = "range_below", N_("baseline below the range: p = (v − b) / (lo − b)")
            filled = N_("p = ({v:g} − {b:g}) / ({lo:g} − {b:g}) = {p:.4g}")
        else:
            kind, rule = "range_none", N_("baseline inside the range and v outside it: p = 0")
            filled = N_("p = 0 = {p:.4g}")
    elif kind in ("above", "below"):
        met = sum(1 for x in cycle_values if (x >= t if kind == "above" else x <= t))
        symbols |= {"t": t, "met": met, "n": len(cycle_values)}
        if kind == "above":
            rule = N_("p = share of this cycle's values ≥ t")
            filled = N_("p = {met:d} / {n:d} values ≥ {t:g} = {p:.4g}")
        else:
            rule = N_("p = share of this cycle's values ≤ t")
            filled = N_("p = {met:d} / {n:d} values ≤ {t:g} = {p:.4g}")
        if not cycle_values:
            kind, filled = f"{kind}_empty", N_("no values yet, p = 0 = {p:.4g}")
    else:
        kind, rule, filled = "milestone", N_("p = v (0 not done, 1 done)"), N_("p = {v:g} = {p:.4g}")
    values = {name: (int(x) if name in ("met", "n") else x) for name, x in symbols.items()}
    return Formula(kind, symbols, Step(rule), Step(filled, values), Step(SCORE, values))


def _aligned_step(terms: tuple[Step, ...], hidden: int, count: int, score: float) -> Step:
    """The filled-in mean of aligned objectives; hidden ones are counted, never shown (their score nor title)."""
    values: dict[str, Value] = {"terms": terms, "hidden": hidden, "count": count, "score": score}
    if not hidden:
        return Step(N_("({terms}) / {count:d} = {score:.1f}"), values)
    if not terms:
        if hidden == 1:
            return Step(N_("(1 objective you cannot see) / {count:d} = {score:.1f}"), values)
        return Step(N_("({hidden:d} objectives you cannot see) / {count:d} = {score:.1f}"), values)
    if hidden == 1:
        return Step(N_("({terms} + 1 objective you cannot see) / {count:d} = {score:.1f}"), values)
    return Step(N_("({terms} + {hidden:d} objectives you cannot see) / {count:d} = {score:.1f}"), values)


def _left_out(formula: Formula, waiting: Sequence[str]) -> Formula:
    """The formula of a mean of aligned objectives, saying which ones it leaves out because their cycle has not
    started (SPEC §3)."""
    if not waiting:
        return formula
    values: dict[str, Value] = {"mean": (formula.filled,), "titles": ", ".join(waiting), "waiting": len(waiting)}
    if len(waiting) == 1:
        filled = Step(N_("{mean}; left out, its cycle has not started: {titles}"), values)
    else:
        filled = Step(N_("{mean}; left out, their cycle has not started: {titles}"), values)
    return Formula(formula.kind, {**formula.symbols, "not_started": len(waiting)}, formula.rule, filled)


def objective_explanation(
    key_results: Sequence[tuple[str, float, float]],
    aligned: Sequence[tuple[str, float | None]],
    hidden: Sequence[float | None] = (),
    not_started: Sequence[str] = (),
) -> Formula:
    """The formula of an objective's score from its key results (title, score, weight) or aligned objectives.

    `hidden` holds the scores of aligned objectives the viewer may not see: they count in the mean, as they do in
    the stored score, but the formula only says how many there are. `not_started` holds the titles of aligned
    objectives (that the viewer may see) left out of the mean because their cycle has not started: the formula
    names them; they are not in `aligned` (nor in `hidden`).
    """
    if key_results:
        total = sum(w for _, _, w in key_results)
        value = round(sum(s * w for _, s, w in key_results) / total, 1)
        terms = tuple(Step(N_("{score:g} × {weight:g}"), {"score": s, "weight": w}) for _, s, w in key_results)
        return Formula(
            "weighted",
            {"total": total, "score": value},
            Step(N_("score = Σ(score × weight) / Σ weight")),
            Step(N_("({terms}) / {total:g} = {score:.1f}"), {"terms": terms, "total": total, "score": value}),
        )
    scored = [s for _, s in aligned if s is not None]
    unseen = [s for s in hidden if s is not None]
    if scored or unseen:
        count = len(scored) + len(unseen)
        mean = round((sum(scored) + sum(unseen)) / count, 1)
        terms = tuple(Step(N_("{score:g}"), {"score": s}) for s in scored)
        return _left_out(
            Formula(
                "aligned",
                {"count": count, "hidden": len(unseen), "score": mean},
                Step(N_("no key results: score = mean of aligned objectives")),
                _aligned_step(terms, len(unseen), count, mean),
            ),
            not_started,
        )
    return _left_out(
        Formula(
            "none",
            {},
            Step(N_("no key results and no scored aligned objectives: no score")),
            Step(N_("score = none")),
        ),
        not_started,
    )


def key_result_formula(goal: Target, value: float | None, cycle_values: Sequence[float] = ()) -> dict[str, str]:
    """`rule` (symbolic), `filled` (numbers in) and `score` lines for a key result, in English."""
    return key_result_explanation(goal, value, cycle_values).text()


def objective_formula(
    key_results: Sequence[tuple[str, float, float]],
    aligned: Sequence[tuple[str, float | None]],
    not_started: Sequence[str] = (),
) -> dict[str, str]:
    """How an objective's score follows from its key results or aligned objectives, in English."""
    return objective_explanation(key_results, aligned, (), not_started).text()
