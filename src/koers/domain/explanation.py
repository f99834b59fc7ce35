"""How a score came about, as formulas with the numbers filled in (SPEC §3 rules, spelled out)."""

from __future__ import annotations

from collections.abc import Sequence

from koers.domain.scoring import Target, progress, score_from_progress


def _n(number: float) -> str:
    return f"{number:g}"


def key_result_formula(goal: Target, value: float | None, cycle_values: Sequence[float] = ()) -> dict[str, str]:
    """`rule` (symbolic), `filled` (numbers in) and `score` lines for a key result."""
    p = progress(goal, value, cycle_values)
    v = goal.start if value is None else value
    b = goal.start
    kind = goal.kind
    if kind == "increase":
        rule, filled = "p = (v − b) / (t − b)", f"p = ({_n(v)} − {_n(b)}) / ({_n(goal.target or 0)} − {_n(b)})"
    elif kind == "decrease":
        rule, filled = "p = (b − v) / (b − t)", f"p = ({_n(b)} − {_n(v)}) / ({_n(b)} − {_n(goal.target or 0)})"
    elif kind == "range":
        lo, hi = goal.target_low or 0.0, goal.target_high or 0.0
        if lo <= v <= hi:
            rule, filled = "p = 1 when lo ≤ v ≤ hi", f"{_n(lo)} ≤ {_n(v)} ≤ {_n(hi)}, so p = 1"
        elif b > hi:
            rule, filled = (
                "baseline above the range: p = (b − v) / (b − hi)",
                f"p = ({_n(b)} − {_n(v)}) / ({_n(b)} − {_n(hi)})",
            )
        elif b < lo:
            rule, filled = (
                "baseline below the range: p = (v − b) / (lo − b)",
                f"p = ({_n(v)} − {_n(b)}) / ({_n(lo)} − {_n(b)})",
            )
        else:
            rule, filled = "baseline inside the range and v outside it: p = 0", "p = 0"
    elif kind in ("above", "below"):
        sign = "≥" if kind == "above" else "≤"
        met = sum(1 for x in cycle_values if (x >= (goal.target or 0) if kind == "above" else x <= (goal.target or 0)))
        rule = f"p = share of this cycle's values {sign} t"
        filled = (
            f"p = {met} / {len(cycle_values)} values {sign} {_n(goal.target or 0)}"
            if cycle_values
            else "no values yet, p = 0"
        )
    else:
        rule, filled = "p = v (0 not done, 1 done)", f"p = {_n(v)}"
    score = score_from_progress(p)
    return {
        "rule": rule,
        "filled": f"{filled} = {p:.4g}",
        "score": f"score = round(100 × clamp({p:.4g}, 0, 1), 1) = {score:.1f}",
    }


def objective_formula(
    key_results: Sequence[tuple[str, float, float]], aligned: Sequence[tuple[str, float | None]]
) -> dict[str, str]:
    """How an objective's score follows from its key results (title, score, weight) or aligned objectives."""
    if key_results:
        total = sum(w for _, _, w in key_results)
        terms = " + ".join(f"{_n(s)} × {_n(w)}" for _, s, w in key_results)
        value = sum(s * w for _, s, w in key_results) / total
        return {
            "rule": "score = Σ(score × weight) / Σ weight",
            "filled": f"({terms}) / {_n(total)} = {round(value, 1):.1f}",
        }
    scored = [(title, s) for title, s in aligned if s is not None]
    if scored:
        mean = sum(s for _, s in scored) / len(scored)
        terms = " + ".join(_n(s) for _, s in scored)
        return {
            "rule": "no key results: score = mean of aligned objectives",
            "filled": f"({terms}) / {len(scored)} = {round(mean, 1):.1f}",
        }
    return {"rule": "no key results and no scored aligned objectives: no score", "filled": "score = none"}
