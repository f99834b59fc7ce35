"""The OKR quality coach on single statements: what a user typing a key result would notice."""

from __future__ import annotations

import dataclasses

import pytest

from koers.domain.coach import Finding, LintResult, lint


def codes(text: str, kind: str = "key_result", lang: str = "auto") -> list[str]:
    return list(lint(text, kind=kind, lang=lang).codes)


@pytest.mark.parametrize(
    "text",
    [
        "Klantfeedback van Q2 geanalyseerd",
        "Analyseer de oorzaken van opzeggingen",
        "De salesfunnel analyseren",
        "Het nieuwe CRM geïmplementeerd bij sales",
        "De app wordt gelanceerd in maart",
        "Marketing organiseert een klantendag",
        "Onderzocht waarom klanten weggaan",
        "Analysing the onboarding funnel",
        "Analyzed churn drivers for the board",
        "Implemented SSO for enterprise tenants",
        "Migrating the billing system to the cloud",
        "Built a new partner portal",
        "Launched the referral programme",
        "Conducting user interviews with SMB clients",
    ],
)
def test_activity_verbs_are_recognised_in_any_inflection(text: str) -> None:
    result = lint(text)
    assert result.verdict == "needs_work"
    assert result.codes[0] == "activity"


@pytest.mark.parametrize(
    "text",
    [
        "Tien nieuwe resellers actief in België voor Q3",
        "Twaalf nieuwe enterprise-klanten voor eind 2026",
        "Vijfentwintig nieuwe franchisenemers in 2027",
        "Foutpercentage bij orderverwerking halveren voor eind Q2",
        "Organisch verkeer verdubbelen in het derde kwartaal",
        "De helft minder klachten over bezorging voor 1 juli",
        "Double trial signups this quarter",
        "Triple the number of demo requests by June",
        "Cut infrastructure cost per customer by a third by end of 2026",
        "Twenty-five new partners signed by Q4",
        "Half of all invoices processed automatically by end of 2026",
        "Zero lost-time accidents in 2026",
    ],
)
def test_number_words_and_multipliers_are_measures(text: str) -> None:
    result = lint(text)
    assert "not-measurable" not in result.codes
    assert result.verdict == "good"


@pytest.mark.parametrize(
    "text",
    [
        "Een sterker merk neerzetten in 2027",
        "Meer omzet in Q3",
        "Betere onboarding voor eind maart",
        "More engagement on our community forum in Q4",
        "A stronger brand by 2027",
        "Improve NPS this quarter",
    ],
)
def test_a_year_or_quarter_alone_is_a_deadline_not_a_measure(text: str) -> None:
    result = lint(text)
    assert result.codes == ("not-measurable",)
    assert result.verdict == "needs_work"


def test_a_large_count_is_not_mistaken_for_a_year() -> None:
    assert "not-measurable" not in codes("2000 nieuwe klanten voor eind 2026")
    assert codes("Het aantal abonnees groeit van 2000 naar 2050 in Q4") == []


@pytest.mark.parametrize(
    "text",
    [
        "Meer leads genereren",
        "Betere producten maken",
        "Zoveel mogelijk nieuwe klanten werven",
        "Klantloyaliteit verbeteren",
        "Improve employee engagement",
        "Get more visibility on social media",
        "Better patient outcomes",
    ],
)
def test_vague_goals_without_a_measure_are_not_measurable(text: str) -> None:
    result = lint(text)
    assert result.codes == ("not-measurable",)
    assert result.findings[0].severity == "error"


@pytest.mark.parametrize(
    "text",
    [
        "12 blogartikelen publiceren",
        "Twaalf blogartikelen voor eind Q2",
        "Zes webinars organiseren voor bestaande klanten",
        "Hold 5 workshops for partners",
        "Write 8 case studies about enterprise customers",
        "Send 4 newsletters per quarter",
        "Double the number of webinars",
    ],
)
def test_counting_work_done_is_an_activity(text: str) -> None:
    result = lint(text)
    assert result.codes == ("activity",)
    assert result.verdict == "needs_work"


@pytest.mark.parametrize(
    "text",
    [
        "Onboard 40 new partners by June 30",
        "Acht nieuwe resellers actief in België voor eind september",
        "Sign 25 new enterprise customers by end of 2026",
        "Het aantal vergaderingen per week halveren voor Q3",
        "Deelnemers per webinar verdubbelen van 40 naar 80 voor eind Q2",
        "Kosten per factuur halveren door e-facturatie in te voeren, voor eind 2026",
        "Reduce churn from 8% to 5% by Q4 by implementing a loyalty programme",
    ],
)
def test_counted_outcomes_stay_outcomes(text: str) -> None:
    result = lint(text)
    assert "activity" not in result.codes
    assert result.verdict == "good"


def test_activity_suggestion_points_to_initiatives() -> None:
    nl = lint("Blokkades identificeren en elimineren die bijdragen aan churn").findings[0]
    en = lint("Redesign the pricing page").findings[0]
    assert "initiatief" in nl.suggestion
    assert "initiative" in en.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "20% meer sales van product X voor Q3",
        "Churn van 10% naar 5% in het derde kwartaal",
        "NPS naar 80 voor eind 2026",
        "Levertijd onder de 48 uur voor 1 juli",
        "Conversie minimaal 3% by June",
        "Reduce response time to under 2 hours this quarter",
        "Revenue from €1M to €1.5M by June 30",
        "Grow MRR to $120k by the end of the year",
    ],
)
def test_time_frames_satisfy_the_deadline_check(text: str) -> None:
    assert "no-deadline" not in codes(text)


def test_a_measured_key_result_without_time_frame_gets_a_deadline_warning() -> None:
    result = lint("Totale churn verminderen met 5%")
    assert result.verdict == "good"
    assert "no-deadline" in result.codes
    assert next(f for f in result.findings if f.code == "no-deadline").severity == "warning"


def test_baseline_is_asked_only_when_the_starting_point_is_missing() -> None:
    assert "no-baseline" in codes("Totale churn verminderen met 5% voor Q3")
    assert "no-baseline" not in codes("Churn reduceren van 10% naar 5% voor Q3")
    assert "no-baseline" not in codes("Grow trial-to-paid conversion from 4% to 7% by June")
    assert "no-baseline" not in codes("Sales up 12% on last year by end of Q4")
    info = next(f for f in lint("Cut support cost by a third by Q3").findings if f.code == "no-baseline")
    assert info.severity == "info"


@pytest.mark.parametrize(
    "text",
    [
        "Infectiepercentage na operaties onder de 1% houden",
        "NPS blijft boven de 50",
        "Uptime van het platform op minimaal 99,9% houden",
        "Keep NPS above 50",
        "Maintain 99.9% platform uptime",
    ],
)
def test_keeping_a_value_suggests_a_kpi(text: str) -> None:
    result = lint(text)
    assert result.codes == ("maintain-value",)
    assert "KPI" in result.findings[0].suggestion
    assert result.verdict == "good"


def test_two_goals_in_one_statement_are_compound() -> None:
    result = lint("Maandelijkse churn verlagen van 2% naar 1,5% en NPS verhogen van 40 naar 50 voor Q4")
    assert result.codes == ("compound",)
    assert result.findings[0].severity == "warning"
    assert result.verdict == "good"
    assert "compound" in codes("Lower monthly churn to 1.5% and increase NPS to 50 by Q4")


@pytest.mark.parametrize(
    "text",
    [
        "Gemiddelde aankooptijd tussen 3 en 4 minuten voor Q4",
        "Blokkades identificeren en elimineren die bijdragen aan churn",
        "Reading scores in grades 5 and 6 from 62 to 70 by June",
        "Reduce average A&E wait from 5 hours to 3 hours by March 31",
    ],
)
def test_ranges_and_shared_objects_are_not_compound(text: str) -> None:
    assert "compound" not in codes(text)


def test_messages_follow_the_language_of_the_text() -> None:
    nl = lint("Meer leads genereren")
    en = lint("Generate more leads")
    assert (nl.lang, en.lang) == ("nl", "en")
    assert "Hoe weet je dat je er bent?" in nl.findings[0].message
    assert "How will you know you got there?" in en.findings[0].message
    assert "van X naar Y voor <einddatum>" in nl.findings[0].suggestion
    assert "from X to Y by <end date>" in en.findings[0].suggestion


def test_rewrite_template_names_the_subject() -> None:
    assert "‘Leads van X naar Y" in lint("Meer leads genereren").findings[0].suggestion
    assert "‘Employee engagement from X" in lint("Improve employee engagement").findings[0].suggestion


def test_explicit_language_overrides_detection() -> None:
    result = lint("Meer leads genereren", lang="en")
    assert result.lang == "en"
    assert "How will you know" in result.findings[0].message


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Klanttevredenheid 8", "nl"),
        ("Uptime 99,9%", "nl"),
        ("Uptime 99.9%", "en"),
        ("Churn reduceren", "nl"),
        ("Keep NPS above 50", "en"),
    ],
)
def test_language_detection_on_short_statements(text: str, lang: str) -> None:
    assert lint(text).lang == lang


@pytest.mark.parametrize("text", ["Klanten behouden", "Keep our customers", "Onze klanten voelen zich gehoord"])
def test_a_qualitative_objective_is_fine(text: str) -> None:
    result = lint(text, kind="objective")
    assert result.verdict == "good"
    assert result.findings == ()


def test_an_objective_that_is_a_number_is_warned() -> None:
    result = lint("20% meer omzet in 2026", kind="objective")
    assert result.codes == ("objective-is-a-number",)
    assert result.verdict == "good"
    assert "kernresultaat" in result.findings[0].message


@pytest.mark.parametrize(("text", "code"), [("Beter worden", "vague-objective"), ("Implement a new CRM", "activity")])
def test_objective_errors(text: str, code: str) -> None:
    result = lint(text, kind="objective")
    assert result.codes == (code,)
    assert result.verdict == "needs_work"


def test_result_json_has_exactly_the_spec_shape() -> None:
    data = lint("Meer leads genereren").to_dict()
    assert set(data) == {"verdict", "lang", "findings"}
    assert data["verdict"] == "needs_work"
    assert set(data["findings"][0]) == {"code", "severity", "message", "suggestion"}
    assert lint("Churn van 10% naar 5% voor eind Q3").to_dict() == {"verdict": "good", "lang": "nl", "findings": []}


def test_results_are_immutable_values() -> None:
    result = lint("Meer leads genereren")
    assert isinstance(result, LintResult)
    assert isinstance(result.findings[0], Finding)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.findings[0].code = "x"  # type: ignore[misc]
    assert lint("Meer leads genereren") == result


def test_errors_come_before_warnings() -> None:
    result = lint("Omzet verhogen en kosten verlagen")
    assert [f.severity for f in result.findings] == ["error", "warning"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "Meer leads", "kind": "initiative"}, "kind must be one of"),
        ({"text": "Meer leads", "lang": "de"}, "lang must be one of"),
        ({"text": ""}, "empty"),
        ({"text": "   \n"}, "empty"),
        ({"text": None}, "must be a string"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        lint(**kwargs)
