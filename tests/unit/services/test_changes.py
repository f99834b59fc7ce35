"""What changed in a week, and the roll-up per team: read models with hand-worked numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from koers.services import organisation as org
from koers.services.read.changes import changes, changes_page, week_start
from koers.services.read.team_rollup import team_rollup
from tests import builders as b

SINCE = b.TODAY - timedelta(days=5)

# b.cycle() runs from 30 days ago to 60 days ahead (90 days). A committed key result from 70 to 80 scores 10 per
# unit. On the day d days ago the expected score is 100 · (30 − d)/90; on track from 0.9 of it, at risk from 0.6.


def of_kind(data, kind):
    return [item for item in data["items"] if item["kind"] == kind]


def build(uow):
    sales = b.team(uow, "Sales")
    support = b.team(uow, "Support")
    cycle = b.cycle(uow)
    grow = b.objective(uow, cycle.id, "Grow", team_id=sales.id)
    kr = b.key_result(uow, grow.id, title="Revenue")
    # 20 days ago: 72 scores 20, expected 11.1: on track (before the window)
    b.check_in(uow, kr.id, 72, "on_track", created_at=b.ago(days=20))
    # 2 days ago: 73 scores 30, expected 31.1, on track from 28: still on track
    b.check_in(uow, kr.id, 73, "on_track", created_at=b.ago(days=2))
    # 1 day ago: 72.5 scores 25, expected 32.2, on track from 29, at risk from 19.3: at risk
    b.check_in(uow, kr.id, 72.5, "at_risk", "slower", created_at=b.ago(days=1))
    hidden = b.objective(uow, cycle.id, "Private", team_id=support.id, visibility="team")
    secret = b.key_result(uow, hidden.id, title="Secret")
    b.check_in(uow, secret.id, 75, created_at=b.ago(days=1))
    churn = b.kpi(uow, "Churn", team_id=support.id)  # lower is better: green ≤ 5, red > 9
    b.measurement(uow, churn.id, 6, at=b.ago(days=10))  # amber, before the window
    b.measurement(uow, churn.id, 4, at=b.ago(days=2))  # green: a change
    b.measurement(uow, churn.id, 4.5, at=b.ago(days=1))  # still green: none
    outsider = b.user(uow, teams=[sales])
    return {"sales": sales, "support": support, "grow": grow, "kr": kr, "secret": secret, "churn": churn,
            "outsider": outsider, "hidden": hidden}  # fmt: skip


def test_check_ins_carry_the_key_results_score_before_and_after(store):
    with store.uow() as uow:
        built = build(uow)
        data = changes(uow, SINCE)
    mine = [i for i in of_kind(data, "check_in") if i["key_result_id"] == built["kr"].id]
    assert [(i["score_before"], i["score"], i["value_before"], i["value"]) for i in mine] == [
        (30.0, 25.0, 73.0, 72.5),  # newest first
        (20.0, 30.0, 72.0, 73.0),
    ]
    assert [(i["confidence_before"], i["confidence"], i["note"]) for i in mine] == [
        ("on_track", "at_risk", "slower"),
        ("on_track", "on_track", ""),
    ]
    assert all(i["objective_id"] == built["grow"].id for i in mine)


def test_a_pace_change_between_consecutive_values_is_a_status_item(store):
    with store.uow() as uow:
        built = build(uow)
        data = changes(uow, SINCE)
    statuses = [i for i in of_kind(data, "status") if i["key_result_id"] == built["kr"].id]
    assert [(i["status_before"], i["status"], i["score_before"], i["score"], i["cause"]) for i in statuses] == [
        ("on_track", "at_risk", 30.0, 25.0, "check_in")
    ]


def test_kpi_colour_changes_against_the_measurement_before(store):
    with store.uow() as uow:
        built = build(uow)
        data = changes(uow, SINCE)
    colours = of_kind(data, "kpi_colour")
    assert [(i["kpi_id"], i["colour_before"], i["colour"], i["value_before"], i["value"]) for i in colours] == [
        (built["churn"].id, "amber", "green", 6.0, 4.0)
    ]
    assert colours[0]["key_result_id"] is None and colours[0]["score"] is None


def test_new_and_closed_objectives(store):
    with store.uow() as uow:
        old = b.cycle(uow, "Old", days_before=100, days_after=-10)
        done = b.objective(uow, old.id, "Finished")
        kr = b.key_result(uow, done.id)
        b.check_in(uow, kr.id, 77, created_at=b.ago(days=20))  # 70 → 80: 77 scores 70
        org.close_cycle(uow, old.id)
        data = changes(uow, SINCE)
    objectives = {(i["change"], i["objective_id"]): i for i in of_kind(data, "objective")}
    assert set(objectives) == {("created", done.id), ("closed", done.id)}
    assert objectives[("closed", done.id)]["score"] == 70.0
    assert objectives[("closed", done.id)]["grade"] == 0.7
    assert objectives[("created", done.id)]["score"] is None


def test_private_records_never_leak_and_the_team_filter_narrows(store):
    with store.uow() as uow:
        built = build(uow)
    with store.uow(read_only=True, actor=built["outsider"]) as uow:
        data = changes(uow, SINCE)
    assert built["secret"].id not in {i["key_result_id"] for i in data["items"]}
    assert built["hidden"].id not in {i["objective_id"] for i in data["items"]}
    with store.uow(read_only=True) as uow:
        everything = changes(uow, SINCE)
        sales = changes(uow, SINCE, team_id=built["sales"].id)
    assert built["secret"].id in {i["key_result_id"] for i in everything["items"]}
    assert {i["team_id"] for i in sales["items"]} == {built["sales"].id}
    assert not of_kind(sales, "kpi_colour")  # the KPI is Support's


def test_a_future_since_and_a_window_before_anything_are_empty(store):
    with store.uow() as uow:
        build(uow)
        assert changes(uow, b.TODAY + timedelta(days=1)) == {"items": []}
        assert changes(uow, b.TODAY - timedelta(days=400), b.TODAY - timedelta(days=300)) == {"items": []}
        # a week that ends before the newest values: only what fell in it
        window = changes(uow, b.TODAY - timedelta(days=25), b.TODAY - timedelta(days=15))
    assert [(i["kind"], i["score_before"], i["score"]) for i in window["items"] if i["kind"] != "kpi_colour"] == [
        ("status", 0.0, 20.0),  # at the same moment a pace change comes first
        ("check_in", 0.0, 20.0),
    ]


def test_maintain_key_results_replay_the_share_of_values_met(store):
    with store.uow() as uow:
        goal = b.objective(uow, b.cycle(uow).id)
        kr = b.key_result(uow, goal.id, kind="above", target=50)
        b.check_in(uow, kr.id, 60, created_at=b.ago(days=9))  # 1 of 1 met: 100
        b.check_in(uow, kr.id, 40, created_at=b.ago(days=3))  # 1 of 2: 50
        b.check_in(uow, kr.id, 55, created_at=b.ago(days=2))  # 2 of 3: 66.7
        data = changes(uow, SINCE)
    assert [(i["score_before"], i["score"]) for i in of_kind(data, "check_in")] == [(50.0, 66.7), (100.0, 50.0)]


def test_a_measurement_of_a_followed_kpi_moves_the_key_result(store):
    with store.uow() as uow:
        goal = b.objective(uow, b.cycle(uow).id)
        churn = b.kpi(uow, "Churn")
        kr = b.key_result(uow, goal.id, kind="decrease", baseline=10, target=5, kpi_id=churn.id)
        b.measurement(uow, churn.id, 9, at=b.ago(days=20))  # score 20; expected 11.1: on track
        b.measurement(uow, churn.id, 9, at=b.ago(days=1))  # score 20; expected 32.2, at risk from 19.3
        data = changes(uow, SINCE)
    statuses = of_kind(data, "status")
    assert [(i["key_result_id"], i["status_before"], i["status"], i["cause"]) for i in statuses] == [
        (kr.id, "on_track", "at_risk", "kpi")
    ]
    assert not of_kind(data, "check_in")


def test_the_page_shows_one_iso_week_with_its_pickers(store):
    with store.uow() as uow:
        build(uow)
        monday = week_start(b.TODAY)
        page = changes_page(uow, b.TODAY)
        earlier = changes_page(uow, b.TODAY, monday - timedelta(days=12))
    assert page["since"] == monday and monday.weekday() == 0
    assert page["next"] is None and page["previous"] == monday - timedelta(days=7)
    assert earlier["since"] == monday - timedelta(days=14)
    assert earlier["next"] == monday - timedelta(days=7)
    assert len(page["weeks"]) == 13
    in_week = [i for i in page["items"] if i["at"] >= datetime.combine(monday, datetime.min.time(), tzinfo=UTC)]
    assert in_week == page["items"]


def test_team_rollup_averages_the_stored_scores_and_counts_statuses(store):
    with store.uow() as uow:
        sales = b.team(uow, "Sales")
        cycle = b.cycle(uow)
        later = b.cycle(uow, "Next", days_before=-70, days_after=160, status="planning")
        one = b.objective(uow, cycle.id, "One", team_id=sales.id)
        b.check_in(uow, b.key_result(uow, one.id).id, 75)  # 50: on track (expected 33.3)
        two = b.objective(uow, cycle.id, "Two", team_id=sales.id)
        b.check_in(uow, b.key_result(uow, two.id).id, 71)  # 10: off track (below 20)
        b.objective(uow, cycle.id, "Three", team_id=sales.id)  # no key results: no score, not started
        fresh = b.objective(uow, later.id, "Next quarter", team_id=sales.id)
        b.check_in(uow, b.key_result(uow, fresh.id).id, 80)  # 100, but its cycle has not started
        b.objective(uow, cycle.id, "Company", level="strategic")
        data = team_rollup(uow, b.TODAY)
        only = team_rollup(uow, b.TODAY, cycle.id)
    teams = {item["team_id"]: item for item in data["items"]}
    assert list(teams) == [None, sales.id]  # the organisation's own first
    row = teams[sales.id]
    assert row["average_score"] == 30.0  # (50 + 10) / 2: no score and the planned cycle left out
    assert row["objective_count"] == 4
    assert row["statuses"] == {"on_track": 1, "at_risk": 0, "off_track": 1, "achieved": 1, "not_started": 1}
    assert {o["title"] for o in row["objectives"]} == {"One", "Two", "Three", "Next quarter"}
    assert {item["team_id"]: item["objective_count"] for item in only["items"]} == {None: 1, sales.id: 3}
