"""An activity with a number is still an activity: calls, visits and demos counted are work, not outcomes."""

from __future__ import annotations

import pytest

from koers.domain.coach import lint


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("50 klanten per week bellen", "bellen"),
        ("Bel elke week 40 bestaande klanten", "Bel"),
        ("Wekelijks 10 klanten bezoeken voor eind Q3", "bezoeken"),
        ("Call 50 customers a week", "Call"),
        ("Email 200 prospects every week", "Email"),
    ],
)
def test_a_counted_effort_is_an_activity_named_by_its_verb(text: str, verb: str) -> None:
    result = lint(text)
    assert result.verdict == "needs_work" and result.codes[0] == "activity"
    assert f"‘{verb}’" in result.findings[0].message  # the counted-work message, quoting the verb


@pytest.mark.parametrize(
    "text",
    [
        "Churn omlaag van 5% naar 3%",
        "30 nieuwe klanten per maand binnenhalen",
        "20.000 bezoeken per maand op de website",  # visits received: a noun, not visiting
        "20,000 visits a month on the website",
        "Call answer rate above 95% by the end of the year",  # a percentage, not a count of calls
        "Win 30 new customers per month",
    ],
)
def test_an_outcome_with_a_number_stays_an_outcome(text: str) -> None:
    assert "activity" not in lint(text).codes
