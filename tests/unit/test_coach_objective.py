"""The coach on whole objectives and on export documents."""

from __future__ import annotations

from typing import Any

import pytest

from koers.domain.coach import lint_document, lint_objective

GOOD_KRS = [
    "Churn reduceren van 10% naar 5% voor eind Q4",
    "NPS omhoog van 70 naar 80 voor eind Q4",
    "Gemiddelde aankooptijd van 9,5 naar 3 à 4 minuten voor eind Q4",
]


def test_a_well_formed_objective_has_no_findings() -> None:
    result = lint_objective("Klanten behouden", GOOD_KRS)
    assert result.to_dict() == {"verdict": "good", "lang": "nl", "findings": []}


@pytest.mark.parametrize(("count", "code"), [(0, "too-few-key-results"), (1, "too-few-key-results")])
def test_fewer_than_two_key_results(count: int, code: str) -> None:
    result = lint_objective("Klanten behouden", GOOD_KRS[:count])
    assert result.codes == (code,)
    assert str(count) in result.findings[0].message


@pytest.mark.parametrize("count", [2, 5])
def test_two_to_five_key_results_are_fine(count: int) -> None:
    krs = (GOOD_KRS * 2)[:count]
    assert lint_objective("Klanten behouden", krs).codes == ()


def test_more_than_five_key_results() -> None:
    result = lint_objective("Keep our customers", [f"Churn from {n + 6}% to {n}% by Q4" for n in range(6)])
    assert result.codes == ("too-many-key-results",)
    assert result.lang == "en"
    assert "6 key results" in result.findings[0].message


def test_activity_key_result_is_moved_to_initiatives() -> None:
    result = lint_objective("Klanten behouden", [*GOOD_KRS[:2], "De online sales funnel analyseren"])
    assert result.codes == ("activity-key-result",)
    finding = result.findings[0]
    assert "De online sales funnel analyseren" in finding.message
    assert "initiatieven" in finding.suggestion


def test_key_result_that_keeps_a_value_becomes_a_kpi() -> None:
    result = lint_objective("Keep our customers", ["Churn from 8% to 5% by Q4", "Keep NPS above 50"])
    assert result.codes == ("maintain-key-result",)
    assert "KPI" in result.findings[0].suggestion


def test_objective_findings_come_first_and_decide_the_verdict() -> None:
    result = lint_objective("Een nieuw CRM implementeren", ["12 blogartikelen publiceren"])
    assert result.codes == ("activity", "too-few-key-results", "activity-key-result")
    assert result.verdict == "needs_work"


def test_objective_with_a_number_is_warned_not_failed() -> None:
    result = lint_objective("Klanten behouden: churn halveren", GOOD_KRS)
    assert result.codes == ("objective-is-a-number",)
    assert result.verdict == "good"


@pytest.mark.parametrize(
    ("title", "key_results"),
    [("", GOOD_KRS), ("Klanten behouden", "Churn van 10% naar 5%"), ("Klanten behouden", ["", "x"])],
)
def test_lint_objective_rejects_bad_input(title: str, key_results: Any) -> None:
    with pytest.raises(ValueError):
        lint_objective(title, key_results)


def _document() -> dict[str, Any]:
    return {
        "cycles": [{"id": "c1", "name": "2026-Q4"}],
        "objectives": [
            {
                "id": "o1",
                "title": "Klanten behouden",
                "cycle_id": "c1",
                "key_results": [
                    {"id": "k1", "title": "Churn reduceren van 10% naar 5%"},
                    {"id": "k2", "title": "De online sales funnel analyseren"},
                ],
            },
            {"id": "o2", "title": "Grow in Germany"},
        ],
    }


def test_lint_document_returns_one_entry_per_objective_and_key_result() -> None:
    entries = lint_document(_document())
    assert [(e["kind"], e["id"], e["objective_id"]) for e in entries] == [
        ("objective", "o1", "o1"),
        ("key_result", "k1", "o1"),
        ("key_result", "k2", "o1"),
        ("objective", "o2", "o2"),
    ]
    for entry in entries:
        assert set(entry) == {"kind", "id", "objective_id", "title", "verdict", "lang", "findings"}
    assert entries[2]["verdict"] == "needs_work"
    assert entries[2]["findings"][0]["code"] == "activity"
    assert [f["code"] for f in entries[3]["findings"]] == ["too-few-key-results"]


def test_the_cycle_is_the_deadline_of_its_key_results() -> None:
    with_cycle = lint_document(_document())[1]
    document = _document()
    del document["objectives"][0]["cycle_id"]
    without_cycle = lint_document(document)[1]
    assert "no-deadline" not in [f["code"] for f in with_cycle["findings"]]
    assert "no-deadline" in [f["code"] for f in without_cycle["findings"]]


def test_lint_document_tolerates_missing_optional_keys() -> None:
    assert lint_document({}) == []
    assert lint_document({"objectives": []}) == []
    entries = lint_document({"objectives": [{"title": "Klanten behouden", "key_results": [{"title": "NPS naar 80"}]}]})
    assert [e["id"] for e in entries] == [None, None]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "document must be an object"),
        ({"objectives": {"title": "x"}}, r"document.objectives must be a list"),
        ({"objectives": ["Klanten behouden"]}, r"objectives\[0\] must be an object"),
        ({"objectives": [{"id": 1}]}, r"objectives\[0\].title must be a string"),
        ({"objectives": [{"title": 42}]}, r"objectives\[0\].title must be a string"),
        ({"objectives": [{"title": "x", "key_results": "NPS"}]}, r"objectives\[0\].key_results must be a list"),
        (
            {"objectives": [{"title": "x", "key_results": [{"title": None}]}]},
            r"objectives\[0\].key_results\[0\].title must be a string",
        ),
        ({"objectives": [{"title": "  "}]}, r"objectives\[0\].title is empty"),
    ],
)
def test_lint_document_rejects_a_wrong_shape(document: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        lint_document(document)
