"""Formulas are data: a kind, symbols and steps; text is rendered from them in the reader's locale."""

from __future__ import annotations

from koers.domain.explanation import Step, key_result_explanation, objective_explanation, render
from koers.domain.scoring import Target


def dutch(value: float, spec: str) -> str:
    return format(value, spec).replace(".", ",")


def test_a_key_result_formula_names_its_rule_and_numbers() -> None:
    formula = key_result_explanation(Target("decrease", baseline=9.5, target=4), 6.75)
    assert formula.kind == "decrease"
    assert dict(formula.symbols) == {"b": 9.5, "v": 6.75, "t": 4, "p": 0.5, "score": 50.0}
    assert formula.text() == {
        "rule": "p = (b − v) / (b − t)",
        "filled": "p = (9.5 − 6.75) / (9.5 − 4) = 0.5",
        "score": "score = round(100 × clamp(0.5, 0, 1), 1) = 50.0",
    }


def test_the_same_formula_renders_in_dutch_with_a_catalogue_and_dutch_numbers() -> None:
    formula = key_result_explanation(Target("increase", baseline=4, target=9.5), 6.75)
    catalogue = {"p = ({v:g} − {b:g}) / ({t:g} − {b:g}) = {p:.4g}": "p = ({v:g} − {b:g}) / ({t:g} − {b:g}) ≈ {p:.4g}"}
    text = render(formula.filled, dutch, lambda template: catalogue.get(template, template))
    assert text == "p = (6,75 − 4) / (9,5 − 4) ≈ 0,5"


def test_range_and_share_kinds_are_told_apart() -> None:
    inside = key_result_explanation(Target("range", baseline=0, target_low=2, target_high=4), 3)
    assert (inside.kind, inside.text()["filled"]) == ("range_inside", "2 ≤ 3 ≤ 4, so p = 1 = 1")
    share = key_result_explanation(Target("above", target=10), 12, [8, 12, 11])
    assert (share.kind, share.text()["filled"]) == ("above", "p = 2 / 3 values ≥ 10 = 0.6667")
    empty = key_result_explanation(Target("below", target=10), None, [])
    assert (empty.kind, empty.text()["filled"]) == ("below_empty", "no values yet, p = 0 = 0")


def test_an_objective_formula_has_one_term_per_key_result() -> None:
    formula = objective_explanation([("a", 50, 1), ("b", 80, 2)], [])
    assert formula.kind == "weighted"
    terms = formula.filled.values["terms"]
    assert isinstance(terms, tuple) and len(terms) == 2
    assert formula.text() == {"rule": "score = Σ(score × weight) / Σ weight", "filled": "(50 × 1 + 80 × 2) / 3 = 70.0"}
    assert render(formula.filled, dutch) == "(50 × 1 + 80 × 2) / 3 = 70,0"
    aligned = objective_explanation([], [("x", 40.5), ("y", None)])
    assert (aligned.kind, aligned.text()["filled"]) == ("aligned", "(40.5) / 1 = 40.5")
    assert objective_explanation([], []).kind == "none"


def test_a_step_renders_symbols_as_given() -> None:
    assert render(Step("{v:g} {sign} {t:g}", {"v": 1.5, "sign": "≥", "t": 2})) == "1.5 ≥ 2"


def test_aligned_objectives_the_viewer_may_not_see_are_counted_but_not_shown():
    seen = objective_explanation([], [("Open", 37.3)], [80.0, None, 10.25])
    assert seen.text()["filled"] == "(37.3 + 2 objectives you cannot see) / 3 = 42.5"
    assert "80" not in seen.text()["filled"] and "10.25" not in seen.text()["filled"]
    assert seen.symbols["score"] == objective_explanation([], [("a", 37.3), ("b", 80.0), ("c", 10.25)]).symbols["score"]
    assert objective_explanation([], [], [80.0]).text()["filled"] == "(1 objective you cannot see) / 1 = 80.0"
    assert objective_explanation([], [("Open", 37.3)]).text()["filled"] == "(37.3) / 1 = 37.3"


def test_aligned_objectives_whose_cycle_has_not_started_are_named_and_left_out():
    # counted: 60 and 70 -> (60 + 70) / 2 = 65.0; "2027-Q1 plan" (planning) is not in the mean
    one = objective_explanation([], [("Q3", 60.0), ("Q4", 70.0)], (), ["2027-Q1 plan"])
    assert (one.kind, one.symbols["score"], one.symbols["not_started"]) == ("aligned", 65.0, 1)
    assert one.text()["filled"] == "(60 + 70) / 2 = 65.0; left out, its cycle has not started: 2027-Q1 plan"
    catalogue = {"{mean}; left out, its cycle has not started: {titles}": "{mean}; niet meegeteld: {titles}"}
    assert (
        render(one.filled, dutch, lambda t: catalogue.get(t, t)) == "(60 + 70) / 2 = 65,0; niet meegeteld: 2027-Q1 plan"
    )
    # with one hidden objective (90) counted: (60 + 90) / 2 = 75.0
    two = objective_explanation([], [("Q3", 60.0)], [90.0], ["A", "B"])
    assert two.text()["filled"] == (
        "(60 + 1 objective you cannot see) / 2 = 75.0; left out, their cycle has not started: A, B"
    )
    # nothing counted: no score, and it says why
    none = objective_explanation([], [], (), ["Next quarter"])
    assert (none.kind, none.text()["filled"]) == (
        "none",
        "score = none; left out, its cycle has not started: Next quarter",
    )
    # with key results of its own aligned objectives do not count at all: nothing to name
    assert (
        objective_explanation([("kr", 50.0, 1.0)], [], (), ["Next quarter"]).text()["filled"] == "(50 × 1) / 1 = 50.0"
    )
