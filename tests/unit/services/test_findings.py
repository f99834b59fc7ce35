"""The coach keeps a trace: findings stored on a goal at save time, kept for the same text, recomputed on a change."""

from __future__ import annotations

from datetime import date

from koers.domain import model
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.findings import findings_of, flag_counts, open_findings, text_hash
from koers.services.read.report import cycle_report
from koers.services.transfer import export_document, import_document
from tests import builders as b

ACTIVITY = "Workshops organiseren voor klanten"  # an activity: the coach's problem "activity"
OUTCOME = "Klanten behouden"


def codes(found: list[dict]) -> list[str]:
    return [f["code"] for f in found]


def test_saving_a_goal_keeps_what_the_coach_found_until_its_text_changes(uow):
    cycle = b.cycle(uow)
    objective = b.objective(uow, cycle.id, ACTIVITY)
    assert codes(findings_of(uow, "objective", objective.id)) == ["activity"]
    stored = uow.coach_findings.of_goal("objective", objective.id)
    assert stored["lang"] == "nl" and len(stored["text_hash"]) == 64

    goals.update_objective(uow, objective.id, {"description": "Why now"})  # same text: the same row, untouched
    assert uow.coach_findings.of_goal("objective", objective.id) == stored

    goals.update_objective(uow, objective.id, {"title": OUTCOME})  # a good text: the flag goes
    assert findings_of(uow, "objective", objective.id) == []
    assert uow.coach_findings.of_goal("objective", objective.id) is None


def test_key_results_are_flagged_through_the_same_service_and_recomputed_on_a_change(uow):
    objective = b.objective(uow, b.cycle(uow).id)
    kr = b.key_result(uow, objective.id, title="50 klanten per week bellen", baseline=0, target=50)
    assert codes(findings_of(uow, "key_result", kr.id)) == ["activity"]
    goals.update_key_result(uow, kr.id, {"title": "Call 50 customers a week and write 3 blog posts"})
    assert uow.coach_findings.of_goal("key_result", kr.id)["lang"] == "en"
    goals.update_key_result(uow, kr.id, {"title": "Churn omlaag van 5% naar 3%"})
    assert findings_of(uow, "key_result", kr.id) == []


def test_what_the_cycle_already_answers_is_not_kept(uow):
    """Every goal lies in a cycle (its deadline); a milestone is measured by being done."""
    objective = b.objective(uow, b.cycle(uow).id)
    no_deadline = b.key_result(uow, objective.id, "decrease", title="Churn van 10% naar 5%", baseline=10, target=5)
    milestone = b.key_result(uow, objective.id, "milestone", title="Nieuw vervoerscontract getekend")
    assert findings_of(uow, "key_result", no_deadline.id) == []
    assert findings_of(uow, "key_result", milestone.id) == []
    goals.update_key_result(uow, milestone.id, {"kind": "increase", "baseline": 0, "target": 1})
    assert codes(findings_of(uow, "key_result", milestone.id)) == ["not-measurable"]  # no longer a milestone


def test_the_hash_is_of_the_text_without_its_surrounding_spaces():
    assert text_hash(" Klanten behouden ") == text_hash("Klanten behouden") != text_hash("Klanten  behouden")


def test_the_list_groups_per_team_and_hides_private_objectives_from_outsiders(store):
    with store.uow() as uow:
        cycle = b.cycle(uow)
        a, other = b.team(uow, "Alpha"), b.team(uow, "Beta")
        outsider = org.add_user(uow, "o@example.org", "member", "O", "nl", [other.id])
        insider = org.add_user(uow, "i@example.org", "member", "I", "nl", [a.id])
        public = b.objective(uow, cycle.id, ACTIVITY, team_id=a.id)
        hidden = b.objective(uow, cycle.id, "Een nieuwe prijsstrategie ontwikkelen", team_id=a.id, visibility="team")
        b.key_result(uow, hidden.id, title="Zes webinars organiseren", baseline=0, target=6)
        b.objective(uow, cycle.id, "Het CRM migreren", team_id=other.id)
        closed = org.create_cycle(uow, "Old", date(2020, 1, 1), date(2020, 3, 31))
        b.objective(uow, closed.id, "Het archief opruimen en digitaliseren", team_id=a.id)
        org.close_cycle(uow, closed.id)
    with store.uow(read_only=True, actor=insider) as uow:
        seen = open_findings(uow)
    assert [(t["name"], [g["title"] for g in t["goals"]]) for t in seen["teams"]] == [
        ("Alpha", ["Een nieuwe prijsstrategie ontwikkelen", "Zes webinars organiseren", ACTIVITY]),
        ("Beta", ["Het CRM migreren"]),
    ]  # the closed cycle's goals are history: not listed unless that cycle is asked for
    with store.uow(read_only=True, actor=outsider) as uow:
        seen = open_findings(uow)
        assert [g["id"] for t in seen["teams"] for g in t["goals"]] == [public.id, public.id + 2]
        assert open_findings(uow, team_id=a.id)["goals"] == 1
        assert open_findings(uow, uow.cycles.get(closed.id))["goals"] == 1


def test_the_cycle_report_counts_the_flags_per_team_of_what_its_reader_may_see(store):
    with store.uow() as uow:
        cycle = b.cycle(uow)
        a, other = b.team(uow, "Alpha"), b.team(uow, "Beta")
        outsider = org.add_user(uow, "o@example.org", "member", "O", "nl", [other.id])
        flagged = b.objective(uow, cycle.id, OUTCOME, team_id=a.id)
        b.key_result(uow, flagged.id, title="20 demo's geven", baseline=0, target=20)
        b.key_result(uow, flagged.id, "decrease", title="Churn van 10% naar 5%", baseline=10, target=5)
        hidden = b.objective(uow, cycle.id, ACTIVITY, team_id=a.id, visibility="team")
        b.objective(uow, cycle.id, "Het CRM migreren", team_id=other.id)
        assert flag_counts(uow, [flagged, hidden], uow.key_results.list(), {a.id: "Alpha"})["total"] == 2
        report = cycle_report(uow, cycle, date.today())
    assert report["coach_flags"] == {
        "total": 3,
        "by_team": [{"team": "Alpha", "goals": 2}, {"team": "Beta", "goals": 1}],
    }
    with store.uow(read_only=True, actor=outsider) as uow:
        assert cycle_report(uow, uow.cycles.get(cycle.id), date.today())["coach_flags"]["total"] == 2


def test_an_import_keeps_the_flags_as_every_other_save_does(make_store):
    source, target = make_store(), make_store()
    with source.uow() as uow:
        objective = b.objective(uow, b.cycle(uow).id, ACTIVITY)
        b.key_result(uow, objective.id, title="Call 50 customers a week", baseline=0, target=50)
        document = export_document(uow, date.today())
        uow.coach_findings.clear("objective", objective.id)
    with target.uow() as uow:
        import_document(uow, document)
        imported = uow.objectives.list()[0]
        kr = uow.key_results.list()[0]
        assert codes(findings_of(uow, "objective", imported.id)) == ["activity"]
        assert codes(findings_of(uow, "key_result", kr.id)) == ["activity"]
        assert isinstance(imported, model.Objective)
