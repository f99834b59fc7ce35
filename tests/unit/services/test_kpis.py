"""KPI measurements: the KPI's current value, and key results that follow it (open cycles only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from koers.domain.errors import PermissionDenied, ValidationError
from koers.services import kpis
from koers.services import organisation as org
from koers.services.check_ins import record_check_in
from koers.services.kpis import record_measurement
from tests import builders as b


def follower(uow, churn, kind="decrease", **numbers):
    """A key result (baseline 10, target 5 for decrease) that follows the KPI, in an active cycle."""
    return b.key_result(uow, b.objective(uow, b.cycle(uow).id).id, kind, kpi_id=churn.id, **numbers)


def test_a_kpi_shows_its_newest_measurement_not_its_last_recorded(uow):
    churn = b.kpi(uow)
    record_measurement(uow, churn.id, 7, at=b.ago(hours=1))
    record_measurement(uow, churn.id, 9, at=b.ago(days=3))  # late entry of an older value
    stored = uow.kpis.get(churn.id)
    assert stored.current == 7


def test_a_linked_key_result_follows_the_newest_of_check_in_and_measurement(uow):
    churn = b.kpi(uow)
    kr = follower(uow, churn)
    record_check_in(uow, kr.id, 8, created_at=b.ago(hours=2))
    record_measurement(uow, churn.id, 6, at=b.ago(hours=1))
    stored = uow.key_results.get(kr.id)
    assert (stored.current, stored.score) == (6, 80.0)  # measurement is newer: (10 - 6) / (10 - 5) = 0.8
    record_check_in(uow, kr.id, 7)
    stored = uow.key_results.get(kr.id)
    assert (stored.current, stored.score) == (7, 60.0)  # check-in is newer: (10 - 7) / 5 = 0.6
    record_measurement(uow, churn.id, 5, at=b.ago(hours=3))
    assert uow.key_results.get(kr.id).current == 7  # an older measurement changes nothing


def test_a_measurement_moves_the_objective_above_the_linked_key_result(uow):
    churn = b.kpi(uow)
    kr = follower(uow, churn)
    record_measurement(uow, churn.id, 8)  # (10 - 8) / 5 = 0.4 -> 40.0
    assert uow.objectives.get(kr.objective_id).score == 40.0


def test_key_results_of_a_closed_cycle_keep_their_final_value(uow):
    churn = b.kpi(uow)
    closed = b.key_result(uow, b.objective(uow, b.cycle(uow, "Q1").id).id, "decrease", kpi_id=churn.id)
    record_measurement(uow, churn.id, 8, at=b.ago(minutes=10))  # 40.0
    org.close_cycle(uow, uow.objectives.get(closed.objective_id).cycle_id)
    open_kr = b.key_result(uow, b.objective(uow, b.cycle(uow, "Q2").id).id, "decrease", kpi_id=churn.id)
    record_measurement(uow, churn.id, 5)  # (10 - 5) / 5 = 1.0 -> 100.0
    final = uow.key_results.get(closed.id)
    assert (final.current, final.score) == (8, 40.0)
    assert uow.objectives.get(closed.objective_id).score == 40.0
    assert uow.key_results.get(open_kr.id).score == 100.0


def test_a_maintain_key_result_counts_this_cycles_measurements_and_check_ins(uow):
    visits = b.kpi(uow, "Visits", direction="higher_is_better", unit="", green_at=50, red_at=30)
    record_measurement(uow, visits.id, 70, at=b.ago(days=40))  # before the cycle began 30 days ago: not counted
    kr = follower(uow, visits, "above", target=50)
    record_measurement(uow, visits.id, 60, at=b.ago(days=5))  # met
    record_measurement(uow, visits.id, 40, at=b.ago(days=4))  # missed
    assert uow.key_results.get(kr.id).score == 50.0  # 1 of 2
    record_check_in(uow, kr.id, 55)  # met
    assert uow.key_results.get(kr.id).score == 66.7  # 2 of 3 = 0.6667


def test_an_archived_kpi_takes_no_measurements(uow):
    churn = b.kpi(uow)
    kpis.archive_kpi(uow, churn.id)
    with pytest.raises(ValidationError) as refused:
        record_measurement(uow, churn.id, 7)
    assert refused.value.code == "kpi.archived"
    assert uow.kpis.get(churn.id).current is None


def test_a_measurement_from_the_future_is_refused(uow):
    churn = b.kpi(uow)
    with pytest.raises(ValidationError) as refused:
        record_measurement(uow, churn.id, 7, at=datetime.now(UTC) + timedelta(days=1))
    assert (refused.value.code, refused.value.field) == ("moment.in_future", "at")


def test_an_unknown_source_is_refused(uow):
    churn = b.kpi(uow)
    with pytest.raises(ValidationError) as refused:
        record_measurement(uow, churn.id, 7, source="guess")
    assert (refused.value.code, refused.value.field) == ("field.not_one_of", "source")


def test_only_the_kpis_team_and_owner_record_measurements(store):
    with store.uow() as uow:
        sales, support = b.team(uow, "Sales"), b.team(uow, "Support")
        seller, helper = b.user(uow, teams=[sales]), b.user(uow, teams=[support])
        churn = b.kpi(uow, team_id=sales.id)
        owned = b.kpi(uow, "NPS", direction="higher_is_better", green_at=30, red_at=0, owner_id=helper.id)
    with store.uow(actor=helper) as uow, pytest.raises(PermissionDenied) as refused:
        record_measurement(uow, churn.id, 7)
    assert refused.value.code == "measurement.forbidden"
    with store.uow(actor=helper) as uow:
        record_measurement(uow, owned.id, 40)
    with store.uow(actor=seller) as uow:
        record_measurement(uow, churn.id, 6)
    with store.uow() as uow:
        assert (uow.kpis.get(churn.id).current, uow.kpis.get(owned.id).current) == (6, 40)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"direction": "in_range", "target_low": 3}, "kpi.range_needs_bounds"),
        ({"direction": "in_range", "target_low": 5, "target_high": 3}, "kpi.range_inverted"),
        ({"direction": "higher_is_better", "green_at": 30, "red_at": 50}, "kpi.red_above_green"),
        ({"direction": "lower_is_better", "green_at": 9, "red_at": 5}, "kpi.red_below_green"),
    ],
)
def test_a_kpi_whose_status_cannot_be_told_is_refused(uow, fields, code):
    with pytest.raises(ValidationError) as refused:
        b.kpi(uow, **fields)
    assert refused.value.code == code
    assert uow.kpis.list() == []


def test_a_member_cannot_hand_their_kpi_to_another_team(store):
    with store.uow() as uow:
        sales, support = b.team(uow, "Sales"), b.team(uow, "Support")
        seller = b.user(uow, teams=[sales])
        churn = b.kpi(uow, team_id=sales.id)
    with store.uow(actor=seller) as uow, pytest.raises(PermissionDenied) as refused:
        kpis.update_kpi(uow, churn.id, {"team_id": support.id})
    assert refused.value.code == "kpi.team_forbidden"
    with store.uow(actor=seller) as uow:
        kpis.update_kpi(uow, churn.id, {"name": "Monthly churn"})
    with store.uow() as uow:
        assert (uow.kpis.get(churn.id).name, uow.kpis.get(churn.id).team_id) == ("Monthly churn", sales.id)
