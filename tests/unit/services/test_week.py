"""My week (issue 15, team member): waiting follows the calendar week or the cadence, a card says at a glance why a
maintain or range key result has its score, and a check-in reports its objectives' new scores."""

from __future__ import annotations

from datetime import UTC, date, datetime

from koers.services import organisation as org
from koers.services.check_ins import record_check_in
from koers.services.read.week import my_week, score_changes
from tests import builders as b

MONDAY = date(2026, 11, 23)
THURSDAY_BEFORE = datetime(2026, 11, 19, 10, tzinfo=UTC)
MONDAY_MORNING = datetime(2026, 11, 23, 8, tzinfo=UTC)


def _titles(items):
    return sorted(item["title"] for item in items)


def test_on_monday_last_thursdays_check_in_waits_again_unless_the_cadence_is_a_fortnight(store):
    with store.uow() as uow:
        sales = b.team(uow, "Sales")
        seller = b.user(uow, teams=[sales])
        cycle = org.create_cycle(uow, "Q4 2026", date(2026, 10, 1), date(2026, 12, 31))
        goal = b.objective(uow, cycle.id, "Grow", team_id=sales.id)
        weekly = b.key_result(uow, goal.id, title="Weekly")
        b.check_in(uow, weekly.id, 75, created_at=THURSDAY_BEFORE)
        fortnightly = b.key_result(uow, goal.id, title="Fortnightly", cadence_days=14)
        b.check_in(uow, fortnightly.id, 75, created_at=THURSDAY_BEFORE)
        today = b.key_result(uow, goal.id, title="This morning")
        b.check_in(uow, today.id, 75, created_at=MONDAY_MORNING)
        b.key_result(uow, goal.id, title="Never")
    with store.uow(read_only=True) as uow:
        monday = my_week(uow, uow.users.get(seller.id), MONDAY)
        thursday = my_week(uow, uow.users.get(seller.id), date(2026, 11, 19))
        sunday = my_week(uow, uow.users.get(seller.id), date(2026, 11, 22))
    # The old rule (the last seven days) counted Thursday's check-in as this week's on Monday: 4 days < 7.
    assert _titles(monday["due"]) == ["Never", "Weekly"]
    assert _titles(monday["fresh"]) == ["Fortnightly", "This morning"]
    assert "Weekly" in _titles(thursday["fresh"]) and "Weekly" in _titles(sunday["fresh"])


def test_a_maintain_key_result_carries_the_formula_its_card_explains(store):
    with store.uow() as uow:
        sales = b.team(uow, "Sales")
        seller = b.user(uow, teams=[sales])
        goal = b.objective(uow, b.cycle(uow).id, "Quality", team_id=sales.id)
        errors = b.key_result(uow, goal.id, "below", title="Errors", target=1, unit="%")
        for n, value in enumerate([0.5, 2, 1, 3, 0.8, 4, 5, 6, 7]):
            b.check_in(uow, errors.id, value, created_at=b.ago(days=20 - n))
        inside = b.key_result(uow, goal.id, "range", title="Stock", baseline=9.5, target_low=3, target_high=4)
        b.check_in(uow, inside.id, 3.5)
        b.key_result(uow, goal.id, "range", title="Range without a value")
        b.key_result(uow, goal.id, title="Plain")
    with store.uow(read_only=True) as uow:
        week = my_week(uow, uow.users.get(seller.id), b.TODAY)
    items = {item["title"]: item for item in week["due"] + week["fresh"]}
    below = items["Errors"]["glance"]
    assert (below.kind, below.symbols["met"], below.symbols["n"], below.symbols["t"]) == ("below", 3, 9, 1)
    assert items["Errors"]["score"] == round(100 * 3 / 9, 1)  # the same share the score used
    assert items["Stock"]["glance"].kind == "range_inside"
    assert items["Range without a value"]["glance"] is None and items["Plain"]["glance"] is None


def test_a_check_in_reports_its_objectives_score_before_and_after_as_the_reader_may_see_them(store):
    with store.uow() as uow:
        sales, board = b.team(uow, "Sales"), b.team(uow, "Board")
        seller = b.user(uow, teams=[sales])
        cycle = b.cycle(uow)
        secret = b.objective(uow, cycle.id, "Secret", team_id=board.id, visibility="team", level="strategic")
        goal = b.objective(uow, cycle.id, "Grow", team_id=sales.id, parent_id=secret.id)
        kr = b.key_result(uow, goal.id, baseline=0, target=100)
        b.check_in(uow, kr.id, 42)
    with store.uow(actor=seller) as uow:
        result = record_check_in(uow, kr.id, "47%", author_id=seller.id, locale="nl")
        changes = score_changes(uow, seller, result)
        same = score_changes(uow, seller, record_check_in(uow, kr.id, "47", locale="nl"))
    assert [(c["title"], c["before"], c["score"], c["change"]) for c in changes] == [("Grow", 42.0, 47.0, 5.0)]
    assert [(c["title"], c["change"]) for c in same] == [("Grow", 0.0)]  # unchanged, still said
