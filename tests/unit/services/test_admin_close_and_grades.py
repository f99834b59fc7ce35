"""Issue 15, admin: closing asks first (days left, key results without a recent check-in) and refuses a cycle still
being planned; a closed cycle's grade can be set by hand with a note, by admins and the team's lead, beside the
computed one, with an audit entry."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from koers.domain import grading, model
from koers.domain.errors import NotFound, PermissionDenied, ValidationError
from koers.domain.permissions import can_override_grade
from koers.domain.validation import validate_cycle_close, validate_grade_override
from koers.services import audit
from koers.services import organisation as org
from koers.services.cycle_close import close_preview
from koers.services.grades import override_grade
from koers.services.transfer import export_document, import_document
from tests import builders as b

NOW = datetime(2026, 11, 16, 12, tzinfo=UTC)


# --- the domain rules ---


@pytest.mark.parametrize(("status", "code"), [("planning", "cycle.close_planning"), ("closed", "cycle.already_closed")])
def test_only_an_active_cycle_can_be_closed(status, code):
    with pytest.raises(ValidationError) as refused:
        validate_cycle_close(model.Cycle("2027-Q1", date(2027, 1, 1), date(2027, 3, 31), status))
    assert (refused.value.code, refused.value.params) == (code, {"name": "2027-Q1"})
    validate_cycle_close(model.Cycle("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "active"))


def test_a_grade_set_by_hand_is_between_0_and_1_and_says_why():
    assert validate_grade_override(0.8, "  De meting klopte niet. ") == (0.8, "De meting klopte niet.")
    assert validate_grade_override(None, "") == (None, "")  # removes the override
    for grade, note, code, field in [
        (0.8, "", "text.empty", "note"),
        (0.8, "   ", "text.empty", "note"),
        (1.2, "x", "number.too_large", "grade"),
        (-0.1, "x", "number.too_small", "grade"),
        (float("nan"), "x", "number.not_finite", "grade"),
        (True, "x", "number.invalid", "grade"),
    ]:
        with pytest.raises(ValidationError) as refused:
            validate_grade_override(grade, note)
        assert (refused.value.code, refused.value.field) == (code, field)


def test_the_grade_that_counts_is_the_one_set_by_hand():
    assert grading.final_grade(0.45, None) == 0.45
    assert grading.final_grade(0.45, 0.8) == 0.8
    assert grading.final_grade(None, 0.0) == 0.0  # a zero set by hand is a grade


def test_admins_and_the_teams_lead_may_override_a_grade():
    lead, member, admin = model.User("l@x", id=1), model.User("m@x", id=2), model.User("a@x", role="admin", id=3)
    team = model.Team("Support", lead_id=1, id=7)
    assert [can_override_grade(u, team) for u in (lead, member, admin, None)] == [True, False, True, True]
    assert [can_override_grade(u, None) for u in (lead, admin)] == [False, True]  # whole organisation: admins
    assert can_override_grade(member, model.Team("No lead", id=8)) is False


# --- the close step ---


def test_the_close_step_counts_days_left_and_key_results_quiet_for_14_days(uow):
    quarter = org.create_cycle(uow, "2026-Q4", date(2026, 10, 1), date(2026, 12, 31))
    goal = b.objective(uow, quarter.id, "Klanten behouden")
    fresh, stale, _never, archived = (b.key_result(uow, goal.id, title=t) for t in ("vers", "oud", "nooit", "weg"))
    # newest values: 13 days ago (counts as recent), exactly 14 days ago (quiet), none since the start (quiet)
    uow.key_results.set_fields(fresh.id, current_at=NOW - timedelta(days=13, hours=23))
    uow.key_results.set_fields(stale.id, current_at=NOW - timedelta(days=14))
    uow.key_results.set_fields(archived.id, archived=True)
    preview = close_preview(uow, quarter.id, now=NOW)
    assert preview["closable"] and preview["refusal"] is None
    assert preview["days_left"] == (date(2026, 12, 31) - date(2026, 11, 16)).days == 45
    assert [kr["title"] for kr in preview["quiet_key_results"]] == ["nooit", "oud"]  # never updated first
    assert [(g["title"], g["grade"]) for g in preview["grades"]] == [("Klanten behouden", 0.0)]
    assert uow.cycles.get(quarter.id).status == "active"  # the preview changes nothing


def test_a_cycle_not_yet_started_has_nothing_quiet_and_a_planning_one_cannot_be_closed(uow):
    planned = org.create_cycle(uow, "2027-Q1", date(2027, 1, 1), date(2027, 3, 31), "planning")
    b.key_result(uow, b.objective(uow, planned.id).id)
    preview = close_preview(uow, planned.id, now=NOW)
    assert preview["quiet_key_results"] == []  # counted from the cycle's start, which is still ahead
    assert (preview["closable"], preview["refusal"].code) == (False, "cycle.close_planning")
    with pytest.raises(ValidationError) as refused:
        org.close_cycle(uow, planned.id)
    assert refused.value.code == "cycle.close_planning"
    assert uow.cycles.get(planned.id).status == "planning"


def test_only_admins_see_the_close_step(store):
    with store.uow() as uow:
        cycle = b.cycle(uow)
        member = b.user(uow)
    with store.uow(actor=member) as uow, pytest.raises(PermissionDenied):
        close_preview(uow, cycle.id)


# --- grades set by hand ---


def _closed_objective(store):
    """Team Support (led by Lena) with an objective graded 0.45 in a closed quarter; Mo is a member."""
    with store.uow() as uow:
        support = b.team(uow, "Support")
        lena, mo = b.user(uow, teams=[support]), b.user(uow, teams=[support])
        org.update_team(uow, support.id, {"lead_id": lena.id})
        quarter = b.cycle(uow, "2026-Q3")
        goal = b.objective(uow, quarter.id, "Sneller antwoorden", team_id=support.id)
        b.check_in(uow, b.key_result(uow, goal.id).id, 74.5)  # (74.5 - 70) / 10 = 0.45 -> 45.0 -> grade 0.45
        org.close_cycle(uow, quarter.id)
    return goal.id, lena, mo


def test_the_teams_lead_overrides_a_grade_and_the_computed_one_stays(store):
    goal_id, lena, mo = _closed_objective(store)
    with store.uow(actor=lena) as uow:
        set_by_hand = override_grade(uow, goal_id, 0.7, "De enquête ging niet uit.", now=NOW)
    with store.uow(read_only=True) as uow:
        stored = uow.objectives.get(goal_id)
        entry = audit.entries(uow, "objective", goal_id)[0]
    assert (stored.grade, stored.grade_override, stored.grade_note) == (0.45, 0.7, "De enquête ging niet uit.")
    assert (stored.grade_overridden_by, stored.grade_overridden_at) == (lena.id, NOW)
    assert set_by_hand.grade_override == 0.7
    assert (entry["action"], entry["actor_id"]) == ("override_grade", lena.id)
    assert (entry["before"]["grade_override"], entry["after"]["grade_override"]) == (None, 0.7)

    with store.uow(actor=mo) as uow, pytest.raises(PermissionDenied) as refused:
        override_grade(uow, goal_id, 1.0, "Ik vind het beter.")
    assert refused.value.code == "grade.override_forbidden"

    with store.uow() as uow:  # no grade: the override goes, the computed grade counts again
        override_grade(uow, goal_id, None, "")
    with store.uow(read_only=True) as uow:
        stored = uow.objectives.get(goal_id)
        assert (stored.grade, stored.grade_override, stored.grade_note, stored.grade_overridden_by) == (
            0.45,
            None,
            "",
            None,
        )


def test_a_grade_can_only_be_overridden_after_the_close_and_not_on_a_hidden_objective(store):
    with store.uow() as uow:
        cycle = b.cycle(uow)
        open_goal = b.objective(uow, cycle.id)
        team = b.team(uow)
        hidden = b.objective(uow, cycle.id, team_id=team.id, visibility="team")
        outsider = b.user(uow)
    with store.uow() as uow, pytest.raises(ValidationError) as refused:
        override_grade(uow, open_goal.id, 0.5, "te vroeg")
    assert (refused.value.code, refused.value.field) == ("grade.cycle_open", "grade")
    with store.uow(actor=outsider) as uow, pytest.raises(NotFound):
        override_grade(uow, hidden.id, 0.5, "niet van mij")


def test_an_export_carries_the_grade_set_by_hand_and_an_import_keeps_it(store, make_store):
    goal_id, lena, _mo = _closed_objective(store)
    with store.uow(actor=lena) as uow:
        override_grade(uow, goal_id, 0.7, "De enquête ging niet uit.", now=NOW)
    with store.uow(read_only=True) as uow:
        document = export_document(uow, date.today())
    exported = next(o for o in document["objectives"] if o["title"] == "Sneller antwoorden")
    assert (exported["grade"], exported["grade_override"], exported["grade_note"]) == (
        0.45,
        0.7,
        "De enquête ging niet uit.",
    )
    other = make_store()
    with other.uow() as uow:
        import_document(uow, json.loads(json.dumps(document, default=str)))
    with other.uow(read_only=True) as uow:
        copy = next(o for o in uow.objectives.list() if o.title == "Sneller antwoorden")
        who = uow.users.get(copy.grade_overridden_by or 0)
    assert (copy.grade, copy.grade_override, copy.grade_note, copy.grade_overridden_at) == (
        0.45,
        0.7,
        "De enquête ging niet uit.",
        NOW,
    )
    assert who.email == lena.email
