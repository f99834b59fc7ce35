"""Builders for test data: one place that knows how to make a cycle, a team, a user, an objective, a key result."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from koers.domain import model
from koers.services import objectives as goals
from koers.services import organisation as org
from koers.services.check_ins import CheckInResult, record_check_in
from koers.services.kpis import create_kpi, record_measurement
from koers.storage.unit_of_work import UnitOfWork

TODAY = date.today()
_numbers = itertools.count(1)


def cycle(
    uow: UnitOfWork, name: str = "Q", days_before: int = 30, days_after: int = 60, status: str = "active"
) -> model.Cycle:
    """An active cycle around today."""
    return org.create_cycle(
        uow, name, TODAY - timedelta(days=days_before), TODAY + timedelta(days=days_after), status=status
    )


def team(uow: UnitOfWork, name: str | None = None, **fields: Any) -> model.Team:
    """A team with a name of its own unless told otherwise."""
    return org.create_team(uow, name or f"Team {next(_numbers)}", **fields)


def user(
    uow: UnitOfWork,
    email: str | None = None,
    role: str = "member",
    teams: list[model.Team] | None = None,
    **fields: Any,
) -> model.User:
    """A member (or admin) with an address of their own, in these teams."""
    team_ids = [t.id for t in teams or [] if t.id is not None]
    address = f"person{next(_numbers)}@example.org" if email is None else email
    return org.add_user(uow, address, role=role, team_ids=team_ids, **fields)


def objective(uow: UnitOfWork, cycle_id: int, title: str = "Klanten behouden", **fields: Any) -> model.Objective:
    """A tactical committed objective unless told otherwise."""
    return goals.create_objective(uow, model.Objective(title=title, cycle_id=cycle_id, **fields))


def key_result(uow: UnitOfWork, objective_id: int, kind: str = "increase", **fields: Any) -> model.KeyResult:
    """A key result with sensible numbers for its kind."""
    defaults: dict[str, Any] = {
        "increase": {"baseline": 70, "target": 80},
        "decrease": {"baseline": 10, "target": 5},
        "range": {"baseline": 9.5, "target_low": 3, "target_high": 4},
        "above": {"target": 50},
        "below": {"target": 4},
        "milestone": {},
    }[kind]
    values = {"title": f"{kind} key result", **defaults, **fields}
    return goals.create_key_result(uow, model.KeyResult(objective_id=objective_id, kind=kind, **values))


def kpi(uow: UnitOfWork, name: str = "Churn", **fields: Any) -> model.Kpi:
    """A lower-is-better KPI unless told otherwise."""
    values = {"unit": "%", "direction": "lower_is_better", "green_at": 5, "red_at": 9, **fields}
    return create_kpi(uow, model.Kpi(name=name, **values))


def check_in(
    uow: UnitOfWork,
    key_result_id: int,
    value: float,
    confidence: str | None = None,
    note: str = "",
    author_id: int | None = None,
    created_at: datetime | None = None,
) -> CheckInResult:
    """Record a check-in (now unless `created_at` says otherwise), with its scores."""
    return record_check_in(uow, key_result_id, value, confidence, note, author_id, created_at)


def measurement(uow: UnitOfWork, kpi_id: int, value: float, **fields: Any) -> model.Measurement:
    """Record a KPI measurement (now unless `at` says otherwise)."""
    return record_measurement(uow, kpi_id, value, **fields)


def ago(**delta: float) -> datetime:
    """A moment in the past, UTC."""
    return datetime.now(UTC) - timedelta(**delta)


def mixed_organisation(uow: UnitOfWork) -> dict[str, Any]:
    """A bit of everything, made in the order an import makes it (so ids survive a round trip).

    Three teams and users; a closed, an active and a planned cycle; every kind of key result, two of them
    following KPIs; an alignment tree; archived records; backdated history; an edit after check-ins.
    """
    company = team(uow, "Company")
    sales, support = team(uow, "Sales", parent_id=company.id), team(uow, "Support", parent_id=company.id)
    admin = user(uow, "admin@example.org", role="admin", teams=[company], name="Ada")
    seller = user(uow, "seller@example.org", teams=[sales], name="Sam", locale="en")
    helper = user(uow, "helper@example.org", teams=[support])
    org.update_team(uow, company.id, {"lead_id": admin.id})
    past = cycle(uow, "Q1", days_before=150, days_after=-60)
    now = cycle(uow, "Q2")
    later = cycle(uow, "Q3", days_before=-70, days_after=160, status="planning")
    churn = kpi(uow, team_id=sales.id)
    visits = kpi(uow, "Visits", unit="", direction="higher_is_better", green_at=50, red_at=30, owner_id=helper.id)
    old = objective(uow, past.id, "Old", type="aspirational", team_id=sales.id)
    top = objective(uow, now.id, "Company", level="strategic")
    selling = objective(uow, now.id, "Sell", team_id=sales.id, owner_id=seller.id, parent_id=top.id)
    helping = objective(uow, now.id, "Help", team_id=support.id, visibility="team", parent_id=top.id)
    dropped = objective(uow, now.id, "Dropped", parent_id=top.id)
    planned = objective(uow, later.id, "Next")
    followed = key_result(uow, old.id, "decrease", kpi_id=churn.id)
    check_in(uow, followed.id, 8.5, created_at=ago(days=90))
    grown = key_result(uow, selling.id, weight=2)
    check_in(uow, grown.id, 74, created_at=ago(days=10), confidence="at_risk")
    check_in(uow, grown.id, 77, created_at=ago(days=1), confidence="on_track", author_id=seller.id, note="good week")
    goals.update_key_result(uow, grown.id, {"target": 85})
    check_in(uow, key_result(uow, selling.id, "range").id, 6, created_at=ago(days=5))
    check_in(uow, key_result(uow, selling.id, "milestone").id, 1)
    stale = key_result(uow, selling.id)
    check_in(uow, stale.id, 79)
    goals.archive_key_result(uow, stale.id)
    kept = key_result(uow, helping.id, "above", kpi_id=visits.id, target=50)
    check_in(uow, kept.id, 55, created_at=ago(days=3))
    low = key_result(uow, helping.id, "below", target=4)
    check_in(uow, low.id, 3, created_at=ago(days=6))
    check_in(uow, low.id, 5, created_at=ago(days=2))
    check_in(uow, key_result(uow, dropped.id).id, 80)
    goals.archive_objective(uow, dropped.id)
    check_in(uow, key_result(uow, planned.id).id, 75)
    measurement(uow, churn.id, 9, at=ago(days=120))
    measurement(uow, churn.id, 8, at=ago(days=70), source="import", note="from the old sheet")
    org.close_cycle(uow, past.id)
    measurement(uow, churn.id, 6)  # after the close: Q1's key result keeps 8
    measurement(uow, visits.id, 70, at=ago(days=40))  # before Q2 began
    measurement(uow, visits.id, 60, at=ago(days=5))
    measurement(uow, visits.id, 40, at=ago(days=4))
    goals.create_initiative(uow, model.Initiative("Call lost customers", objective_id=selling.id, owner_id=seller.id))
    goals.create_initiative(
        uow, model.Initiative("Open on Saturdays", status="in_progress", key_result_id=kept.id, due_date=TODAY)
    )
    return {"admin": admin, "seller": seller, "helper": helper, "top": top, "churn": churn, "visits": visits}


_WEEKLY = {"confidence": "on_track", "note": "Weekly update."}


@dataclass(frozen=True)
class Organisation:
    """The ids end-to-end tests need from `organisation`, so that no test looks a record up by its title."""

    admin: int
    owner: int  # member of team A, owns its objectives
    other: int  # member of team B
    company_team: int
    owner_team: int
    other_team: int
    year_cycle: int
    cycle: int  # the active quarter
    closed_cycle: int  # the previous quarter, closed with grades
    strategic: int
    objective: int  # team A's objective: a decrease, an increase and a range key result, each following a KPI
    key_result: int  # its decrease key result, 10 → 5 %
    increase_key_result: int  # 70 → 80
    range_key_result: int  # 9.5 → 3–4 min
    team_only_objective: int  # team A's, visible to team A only
    other_objective: int  # team B's
    kpi: int  # lower is better, green up to 5 %, red above 9 %, followed by `key_result`
    initiative: int  # on `objective`, in progress
    too_easy_objective: int  # team A's aspirational objective in the closed quarter, graded 1.0


def _quarter(day: date) -> tuple[str, date, date]:
    """Name, first and last day of the calendar quarter holding `day`."""
    q = (day.month - 1) // 3
    start = date(day.year, 3 * q + 1, 1)
    end = date(day.year + (q == 3), (3 * q + 3) % 12 + 1, 1) - timedelta(days=1)
    return f"{day.year}-Q{q + 1}", start, end


def organisation(uow: UnitOfWork, password_hash: str | None = None) -> Organisation:
    """A small organisation with everything the end-to-end suites show, in neutral English titles.

    A year cycle with a strategic objective; the active quarter with team A's and team B's objectives aligned under
    it (one visible to team A only); a closed previous quarter with grades, where team A's aspirational objective
    reached 1.0; key results of every kind with check-ins; three KPIs with measurements that key results follow;
    initiatives. Everyone has `password_hash` and Dutch as language. The same calls in the same order give the
    same ids every time.
    """
    q_name, q_start, q_end = _quarter(TODAY)
    p_name, p_start, p_end = _quarter(q_start - timedelta(days=1))
    year = org.create_cycle(uow, str(TODAY.year), date(TODAY.year, 1, 1), date(TODAY.year, 12, 31))
    quarter = org.create_cycle(uow, q_name, q_start, q_end)
    previous = org.create_cycle(uow, p_name, p_start, p_end)
    company = team(uow, "Company")
    support, delivery = team(uow, "Support", parent_id=company.id), team(uow, "Delivery", parent_id=company.id)
    admin = org.add_user(uow, "admin@example.org", "admin", "Ada Admin", "nl", [company.id or 0], password_hash)
    owner = org.add_user(uow, "owner@example.org", "member", "Olivia Owner", "nl", [support.id or 0], password_hash)
    other = org.add_user(uow, "other@example.org", "member", "Oscar Other", "nl", [delivery.id or 0], password_hash)
    for lead_of, lead in ((company, admin), (support, owner), (delivery, other)):
        org.update_team(uow, lead_of.id or 0, {"lead_id": lead.id})

    history = [ago(weeks=5 - week, hours=2) for week in range(6)]  # weekly, the newest two hours ago
    cancellations = kpi(uow, "Cancellations", team_id=support.id, owner_id=owner.id, target=5)
    satisfaction = kpi(
        uow, "Satisfaction", unit="", direction="higher_is_better", target=80, green_at=80, red_at=70,
        team_id=support.id, owner_id=owner.id,
    )  # fmt: skip
    checkout = kpi(
        uow, "Checkout time", unit="min", target=4, green_at=4, red_at=8, team_id=delivery.id, owner_id=other.id
    )
    for followed, values in (
        (cancellations, (10.4, 9.9, 9.5, 9.1, 8.8, 8.6)),  # amber
        (satisfaction, (69, 70, 70, 71, 72, 72)),  # amber
        (checkout, (9.8, 9.4, 9.1, 8.7, 8.5, 8.2)),  # red
    ):
        for at, value in zip(history, values, strict=True):
            measurement(uow, followed.id or 0, value, at=at, source="import")

    strategic = objective(
        uow, year.id or 0, "Become the shop customers come back to", level="strategic", type="aspirational",
        owner_id=admin.id,
    )  # fmt: skip
    focus = objective(
        uow, quarter.id or 0, "Keep customers longer", description="Too many customers do not come back.",
        team_id=support.id, owner_id=owner.id, parent_id=strategic.id,
    )  # fmt: skip
    fewer = key_result(
        uow, focus.id or 0, "decrease", title="Cancellations from 10% to 5%", unit="%", owner_id=owner.id,
        kpi_id=cancellations.id,
    )  # fmt: skip
    happier = key_result(
        uow, focus.id or 0, title="Satisfaction from 70 to 80", baseline=70, target=80, owner_id=owner.id,
        kpi_id=satisfaction.id,
    )  # fmt: skip
    quicker = key_result(
        uow, focus.id or 0, "range", title="Checkout time to 3–4 minutes", unit="min", owner_id=owner.id,
        kpi_id=checkout.id,
    )  # fmt: skip
    funnel = goals.create_initiative(
        uow, model.Initiative("Analyse the sales funnel", "in_progress", objective_id=focus.id, owner_id=owner.id)
    )
    goals.create_initiative(
        uow, model.Initiative("Train the support desk", "in_progress", key_result_id=happier.id, owner_id=owner.id)
    )
    goals.create_initiative(
        uow, model.Initiative("Make registration optional", key_result_id=quicker.id, due_date=q_end)
    )

    internal = objective(
        uow, quarter.id or 0, "Reorganise the support desk", team_id=support.id, owner_id=owner.id,
        parent_id=strategic.id, visibility="team",
    )  # fmt: skip
    solved = key_result(uow, internal.id or 0, title="First-contact resolution from 55% to 75%", baseline=55, target=75)
    waiting = key_result(
        uow, internal.id or 0, "decrease", title="Response time from 20 to 8 hours", baseline=20, target=8
    )
    delivering = objective(
        uow, quarter.id or 0, "Deliver orders faster", team_id=delivery.id, owner_id=other.id, parent_id=strategic.id
    )
    on_time = key_result(uow, delivering.id or 0, "above", title="On-time deliveries above 90%", unit="%", target=90)
    damaged = key_result(uow, delivering.id or 0, "below", title="Damaged parcels below 2%", unit="%", target=2)
    contract = key_result(uow, delivering.id or 0, "milestone", title="New carrier contract signed")
    for kr, author, values in (
        (solved, owner, (58, 63)),
        (waiting, owner, (18, 14.5)),
        (on_time, other, (86, 91)),
        (damaged, other, (2.6, 2.2)),
        (contract, other, (0, 0)),
    ):
        for days, value in zip((14, 3), values, strict=True):
            check_in(uow, kr.id or 0, value, created_at=ago(days=days), author_id=author.id, **_WEEKLY)
    goals.create_initiative(uow, model.Initiative("Compare carriers", key_result_id=contract.id, owner_id=other.id))

    too_easy = _closed_quarter(uow, previous, (support, owner), (delivery, other))
    records = {
        "admin": admin, "owner": owner, "other": other, "company_team": company, "owner_team": support,
        "other_team": delivery, "year_cycle": year, "cycle": quarter, "closed_cycle": previous,
        "strategic": strategic, "objective": focus, "key_result": fewer, "increase_key_result": happier,
        "range_key_result": quicker, "team_only_objective": internal, "other_objective": delivering,
        "kpi": cancellations, "initiative": funnel,
    }  # fmt: skip
    return Organisation(**{name: record.id or 0 for name, record in records.items()}, too_easy_objective=too_easy)


def _closed_quarter(
    uow: UnitOfWork, quarter: model.Cycle, team_a: tuple[model.Team, model.User], team_b: tuple[model.Team, model.User]
) -> int:
    """Close `quarter` after weekly check-ins: team A's aspirational objective reaches 1.0, team B's committed 0.5."""
    (support, owner), (delivery, other) = team_a, team_b
    answered = objective(
        uow, quarter.id or 0, "Answer questions sooner", type="aspirational", team_id=support.id, owner_id=owner.id
    )
    found = objective(uow, quarter.id or 0, "Find products sooner", team_id=delivery.id, owner_id=other.id)
    for goal, author, kind, baseline, target, final in (
        (answered, owner, "decrease", 20, 8, 8),
        (answered, owner, "increase", 55, 75, 75),
        (found, other, "increase", 30, 45, 37.5),
    ):
        kr = key_result(uow, goal.id or 0, kind, baseline=baseline, target=target, owner_id=author.id)
        for week in range(1, 4):
            at = datetime.combine(quarter.start_date, time(10), tzinfo=UTC) + timedelta(weeks=4 * week - 1)
            value = baseline + (final - baseline) * week / 3
            check_in(uow, kr.id or 0, value, created_at=at, author_id=author.id, **_WEEKLY)
    closed_at = datetime.combine(quarter.end_date + timedelta(days=1), time(12), tzinfo=UTC)
    org.close_cycle(uow, quarter.id or 0, now=closed_at)
    return answered.id or 0


MARKER = "Walvis"  # in every title below, and in no other record: a response that holds it shows a private record


def private_records(uow: UnitOfWork, built: Organisation) -> dict[str, int]:
    """Team A's records that only team A (and admins) may see, each titled with MARKER, for the outsider tests.

    A team-visible objective aligned under the public strategic one, with two key results (one with a check-in), an
    initiative on the objective and one on a key result; a public objective aligned under the private one.
    """
    hidden = objective(
        uow, built.cycle, f"Geheim doel {MARKER}", description=f"Geheime reden {MARKER}", team_id=built.owner_team,
        owner_id=built.owner, parent_id=built.strategic, visibility="team",
    )  # fmt: skip
    first = key_result(uow, hidden.id or 0, title=f"Geheim resultaat {MARKER} een", baseline=0, target=10)
    second = key_result(uow, hidden.id or 0, "milestone", title=f"Geheim resultaat {MARKER} twee")
    check_in(uow, first.id or 0, 4, note=f"Geheime notitie {MARKER}", author_id=built.owner)
    on_objective = goals.create_initiative(
        uow, model.Initiative(f"Geheim initiatief {MARKER} doel", objective_id=hidden.id, owner_id=built.owner)
    )
    on_key_result = goals.create_initiative(
        uow, model.Initiative(f"Geheim initiatief {MARKER} resultaat", key_result_id=first.id)
    )
    child = objective(
        uow, built.cycle, "Public child of a private parent", team_id=built.owner_team, parent_id=hidden.id
    )
    return {
        "objective": hidden.id or 0,
        "key_result": first.id or 0,
        "milestone": second.id or 0,
        "initiative": on_objective.id or 0,
        "key_result_initiative": on_key_result.id or 0,
        "public_child": child.id or 0,
    }
