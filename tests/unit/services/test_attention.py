"""What needs attention, calibration over closed cycles, ambition across cycles, guardrails: the services."""

from __future__ import annotations

import pytest

from koers.domain.errors import NotFound, PermissionDenied
from koers.services import organisation as org
from koers.services.guardrails import guardrail_kpi_ids, set_guardrails
from koers.services.read.ambition import ambition
from koers.services.read.attention import attention, attention_by_team
from koers.services.read.calibration import calibration_report
from tests import builders as b

# b.cycle(): 30 of its 90 days have passed, so a committed key result is expected at 100 · 30/90 = 33.3:
# on track from 0.9 · 33.3 = 30, at risk from 0.6 · 33.3 = 20. Key results run from 70 to 80 (score 10 per unit).


def reasons(data):
    return {item["key_result_id"]: item["reasons"] for item in data["items"]}


def test_each_reason_fires_exactly_when_it_should(store):
    with store.uow() as uow:
        team = b.team(uow, "Sales")
        goal = b.objective(uow, b.cycle(uow).id, "Grow", team_id=team.id)
        late = b.key_result(uow, goal.id, title="late")
        # score 70 (on track); 10 days ago is always before this calendar week's Monday
        b.check_in(uow, late.id, 77, created_at=b.ago(days=10))
        fortnightly = b.key_result(uow, goal.id, title="fortnightly")
        uow.key_results.set_fields(fortnightly.id, cadence_days=14)
        # 7 days ago is always last calendar week: within a 14-day cadence (this week and the one before)
        b.check_in(uow, fortnightly.id, 77, created_at=b.ago(days=7))
        off = b.key_result(uow, goal.id, title="off")
        b.check_in(uow, off.id, 71)  # score 10 < 20: off track; one value, so no forecast
        risk = b.key_result(uow, goal.id, title="risk")
        b.check_in(uow, risk.id, 72.5)  # score 25: 20 ≤ 25 < 30, at risk
        flat = b.key_result(uow, goal.id, title="flat")
        b.check_in(uow, flat.id, 78, created_at=b.ago(days=20))
        b.check_in(uow, flat.id, 78, confidence="on_track")  # slope 0: ends at 78, score 80 < 100; says on track
        doubt = b.key_result(uow, goal.id, title="doubt")
        b.check_in(uow, doubt.id, 78, created_at=b.ago(days=20))
        b.check_in(uow, doubt.id, 78, confidence="at_risk")  # the same forecast, but it does not claim on track
        rising = b.key_result(uow, goal.id, title="rising")
        b.check_in(uow, rising.id, 70, created_at=b.ago(days=20))
        # slope 5/20 = 0.25 a day: 75 + 0.25 · ~60 days ≈ 90 > 80 at the end: score 100, on track (score 50)
        b.check_in(uow, rising.id, 75, confidence="on_track")
    with store.uow(read_only=True) as uow:
        found = reasons(attention(uow, b.TODAY))
    assert found == {
        late.id: ["no_recent_check_in"],
        off.id: ["off_track"],
        risk.id: ["at_risk"],
        flat.id: ["forecast_below_target", "confidence_disagrees"],
        doubt.id: ["forecast_below_target"],
    }
    assert fortnightly.id not in found and rising.id not in found


def test_only_started_active_cycles_count(store):
    with store.uow() as uow:
        now = b.objective(uow, b.cycle(uow, "Now").id, "Now")
        listed = b.key_result(uow, now.id)  # no value, 30 days into the cycle: late
        planned = b.objective(uow, b.cycle(uow, "Planned", status="planning").id, "Planned")
        b.key_result(uow, planned.id)
        later = b.objective(uow, b.cycle(uow, "Later", days_before=-5, days_after=90).id, "Later")
        b.key_result(uow, later.id)  # active but not started: nothing to attend to yet
        old = b.cycle(uow, "Old", days_before=200, days_after=-110)
        b.key_result(uow, b.objective(uow, old.id, "Old").id)
        org.close_cycle(uow, old.id)
    with store.uow(read_only=True) as uow:
        assert reasons(attention(uow, b.TODAY)) == {listed.id: ["no_recent_check_in"]}


def test_an_outsider_sees_neither_team_only_items_nor_their_number(store):
    with store.uow() as uow:
        sales, support = b.team(uow, "Sales"), b.team(uow, "Support")
        seller, helper = b.user(uow, teams=[sales]), b.user(uow, teams=[support])
        cycle = b.cycle(uow)
        hidden = b.key_result(uow, b.objective(uow, cycle.id, "Secret", team_id=sales.id, visibility="team").id)
        shown = b.key_result(uow, b.objective(uow, cycle.id, "Open", team_id=sales.id).id)
    with store.uow(read_only=True, actor=seller) as uow:
        assert set(reasons(attention(uow, b.TODAY))) == {hidden.id, shown.id}
    with store.uow(read_only=True, actor=helper) as uow:
        assert set(reasons(attention(uow, b.TODAY))) == {shown.id}
        assert set(reasons(attention(uow, b.TODAY, team_id=sales.id))) == {shown.id}
        page = attention_by_team(uow, b.TODAY)
        assert [(t["name"], len(t["items"])) for t in page["teams"]] == [("Sales", 1)]
        assert len(page["items"]) == 1
    with store.uow(read_only=True, actor=seller) as uow:
        assert attention(uow, b.TODAY, team_id=support.id) == {"items": []}


def test_guardrail_fires_when_the_key_result_improved_while_its_guardrail_kpi_is_red(store):
    with store.uow() as uow:
        goal = b.objective(uow, b.cycle(uow).id, "Keep customers")
        churn = b.key_result(uow, goal.id, "decrease", title="churn", baseline=10, target=5)
        b.check_in(uow, churn.id, 9, created_at=b.ago(days=20))
        # 9 -> 6: p 0.2 -> 0.8 (score 80, on track); slope -3/20 = -0.15 a day: ends below 5, score 100
        b.check_in(uow, churn.id, 6)
        prices = b.kpi(uow, "Price", direction="higher_is_better", green_at=100, red_at=90)
        b.measurement(uow, prices.id, 85)  # 85 < 90: red
        assert set_guardrails(uow, churn.id, [prices.id, prices.id]) == [prices.id]
    with store.uow(read_only=True) as uow:
        assert reasons(attention(uow, b.TODAY)) == {churn.id: ["guardrail"]}
        assert guardrail_kpi_ids(uow, churn.id) == [prices.id]
    with store.uow() as uow:
        b.measurement(uow, prices.id, 101)  # green again
    with store.uow(read_only=True) as uow:
        assert reasons(attention(uow, b.TODAY)) == {}
    with store.uow() as uow:
        assert set_guardrails(uow, churn.id, []) == []
        assert guardrail_kpi_ids(uow, churn.id) == []


def test_guardrails_name_existing_kpis_and_only_editors_set_them(store):
    with store.uow() as uow:
        sales, support = b.team(uow, "Sales"), b.team(uow, "Support")
        helper = b.user(uow, teams=[support])
        kr = b.key_result(uow, b.objective(uow, b.cycle(uow).id, "Ours", team_id=sales.id).id)
        kpi = b.kpi(uow)
        with pytest.raises(NotFound):
            set_guardrails(uow, kr.id, [kpi.id + 1])
    with store.uow(actor=helper) as uow, pytest.raises(PermissionDenied):
        set_guardrails(uow, kr.id, [kpi.id])


def test_calibration_brier_over_closed_cycles(store):
    with store.uow() as uow:
        sales = b.team(uow, "Sales")
        ann, bob = b.user(uow, teams=[sales]), b.user(uow, teams=[sales])
        outsider = b.user(uow)
        old = b.cycle(uow, "Old", days_before=200, days_after=-110)
        goal = b.objective(uow, old.id, "Grow", team_id=sales.id, visibility="team")
        hit = b.key_result(uow, goal.id)
        b.check_in(uow, hit.id, 80, confidence="on_track", author_id=ann.id)  # ended at 100: (0.9 − 1)² = 0.01
        miss = b.key_result(uow, goal.id)
        b.check_in(uow, miss.id, 75, confidence="at_risk", author_id=bob.id)  # ended at 50: (0.5 − 0)² = 0.25
        b.check_in(uow, miss.id, 75, author_id=bob.id)  # no confidence: not counted
        open_kr = b.key_result(uow, b.objective(uow, b.cycle(uow).id, "Open").id)
        b.check_in(uow, open_kr.id, 80, confidence="off_track", author_id=ann.id)  # an open cycle: not counted
        org.close_cycle(uow, old.id)
    with store.uow(read_only=True) as uow:
        report = calibration_report(uow)
        assert report["brier"] == pytest.approx((0.01 + 0.25) / 2)  # 0.13
        assert report["check_ins"] == 2
        assert [(o["owner_id"], o["check_ins"]) for o in report["owners"]] == [(ann.id, 1), (bob.id, 1)]
        assert [o["brier"] for o in report["owners"]] == pytest.approx([0.01, 0.25])
        assert [(lv["confidence"], lv["achieved"], lv["check_ins"]) for lv in report["levels"]] == [
            ("on_track", 1.0, 1),
            ("at_risk", 0.0, 1),
            ("off_track", None, 0),
        ]
        assert calibration_report(uow, owner_id=bob.id)["brier"] == pytest.approx(0.25)
        assert calibration_report(uow, team_id=sales.id + 1)["check_ins"] == 0
    with store.uow(read_only=True, actor=outsider) as uow:
        assert calibration_report(uow) == {
            "brier": None,
            "check_ins": 0,
            "owners": [],
            "levels": [
                {"confidence": "on_track", "predicted": 0.9, "achieved": None, "check_ins": 0},
                {"confidence": "at_risk", "predicted": 0.5, "achieved": None, "check_ins": 0},
                {"confidence": "off_track", "predicted": 0.1, "achieved": None, "check_ins": 0},
            ],
        }


def test_ambition_spreads_grades_per_team_and_cycle_and_flags(store):
    with store.uow() as uow:
        sales = b.team(uow, "Sales")
        old = b.cycle(uow, "Old", days_before=200, days_after=-110)
        easy = b.objective(uow, old.id, "Easy", team_id=sales.id, type="aspirational")
        for value in (80, 80, 75):  # two of three aspirational key results reach 100: 2 > 3/2, too easy a team
            b.check_in(uow, b.key_result(uow, easy.id).id, value)  # mean (100 + 100 + 50) / 3 = 83.3: green
        missed = b.objective(uow, old.id, "Missed", team_id=sales.id)
        b.check_in(uow, b.key_result(uow, missed.id).id, 72)  # 20: red, a committed objective that missed
        done = b.objective(uow, old.id, "Done", team_id=sales.id, type="aspirational")
        b.check_in(uow, b.key_result(uow, done.id).id, 80)  # 100: graded 1.0, too easy
        org.close_cycle(uow, old.id)
    with store.uow(read_only=True) as uow:
        view = ambition(uow)
    assert view["cycles"] == [{"id": old.id, "name": "Old"}]
    [row] = view["teams"]
    assert row["name"] == "Sales"
    assert row["cycles"][0]["spread"] == {"red": 1, "yellow": 0, "green": 2}
    assert (row["cycles"][0]["easy_team"], row["cycles"][0]["reached"]) == (True, 3)
    assert [(f["title"], f["flag"]) for f in view["flags"]] == [("Done", "too_easy"), ("Missed", "missed")]
