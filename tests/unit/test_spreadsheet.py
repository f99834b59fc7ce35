"""CSV exports: text a spreadsheet would run as a formula is neutralised; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from koers.reports.spreadsheet import key_results_csv, neutralise


@pytest.mark.parametrize("text", ["=1+1", "+31 6 1234", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_text_that_starts_like_a_formula_gets_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Churn halveren", "", "a=b", -2.5, 7, None])
def test_everything_else_is_left_as_it_is(value):
    assert neutralise(value) == value


def test_the_key_results_csv_neutralises_titles_and_keeps_negative_numbers():
    document = {
        "cycles": [{"id": 1, "name": "2026-Q4"}],
        "objectives": [
            {
                "id": 1,
                "cycle_id": 1,
                "team_id": None,
                "title": "=cmd|' /C calc'!A0",
                "key_results": [{"id": 2, "title": "@SUM(1)", "kind": "increase", "baseline": -3.0, "target": 5.0}],
            }
        ],
    }
    rows = list(csv.DictReader(io.StringIO(key_results_csv(document))))
    assert rows[0]["objective"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["key_result"] == "'@SUM(1)"
    assert rows[0]["baseline"] == "-3.0"  # a number is data, not a formula
