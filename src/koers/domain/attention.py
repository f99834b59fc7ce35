"""What needs attention now: the reasons a key result of an open cycle is listed for its team (issue 10).

- `no_recent_check_in`: no value (check-in or linked-KPI measurement) in the current check-in period: the
  calendar week (Monday to Sunday) for the default cadence of 7 days, whole calendar weeks for 14, 21...,
  calendar days otherwise (`period_start`; `cadence_days`). A key result without any value counts from the
  cycle's start, so a cycle that began this week does not flag every key result at once.
- `off_track`, `at_risk`: its pace status (`koers.domain.pace`).
- `forecast_below_target`: the forecast score stays below success, the same bar calibration uses for the
  outcome (100 for a committed objective, 70 for an aspirational one; `calibration.SUCCESS_SCORE`).
- `confidence_disagrees`: the latest check-in says `on_track` while the forecast falls short.
- `guardrail`: the key result improved while one of its guardrail KPIs is amber or red
  (churn falls because prices fell).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from koers.domain.calibration import SUCCESS_SCORE
from koers.domain.scoring import MAINTAIN_KINDS, Target, progress

REASONS: Final = (
    "no_recent_check_in",
    "off_track",
    "at_risk",
    "forecast_below_target",
    "confidence_disagrees",
    "guardrail",
)
DEFAULT_CADENCE_DAYS: Final = 7
GUARDRAIL_ALARMS: Final = frozenset({"amber", "red"})


@dataclass(frozen=True)
class AttentionFacts:
    """What the reasons are decided on, for one key result."""

    now: datetime
    cycle_start: datetime
    last_value_at: datetime | None  # newest check-in or linked-KPI measurement
    cadence_days: int
    status: str  # pace status
    objective_type: str
    forecast_score: float | None
    latest_confidence: str | None
    improved: bool  # the score rose since the previous value (or over the cycle)
    guardrail_statuses: tuple[str | None, ...] = ()


def period_start(today: date, cadence_days: int) -> date:
    """The first day of the check-in period `today` lies in: a cadence of whole weeks follows the calendar
    (ISO weeks from Monday: 7 days is this week, 14 this week and the one before); any other cadence counts
    calendar days back from today (1 is today, 3 is today and the two days before)."""
    days = max(cadence_days, 1)
    if days % 7 == 0:
        return today - timedelta(days=today.weekday() + days - 7)
    return today - timedelta(days=days - 1)


def checked_in_this_period(today: date, last_value_on: date | None, cadence_days: int) -> bool:
    """True when the newest value (check-in or linked-KPI measurement) lies in the current check-in period: on
    Monday, last Thursday's check-in is last week's. My week waits for a check-in while this is False."""
    return last_value_on is not None and last_value_on >= period_start(today, cadence_days)


def is_overdue(now: datetime, cycle_start: datetime, last_value_at: datetime | None, cadence_days: int) -> bool:
    """True when the current check-in period (`period_start`) has no value while one was due: without any value,
    only once the cycle started before this period (a cycle that began this week flags nothing yet).

    Days are counted in `now`'s time zone."""
    since = last_value_at if last_value_at is not None else cycle_start
    return not checked_in_this_period(now.date(), _day(since, now), cadence_days)


def _day(moment: datetime, now: datetime) -> date:
    """The calendar day of `moment` where `now` is (a naive moment is taken as it is)."""
    if moment.tzinfo is None or now.tzinfo is None:
        return moment.date()
    return moment.astimezone(now.tzinfo).date()


def forecast_falls_short(objective_type: str, forecast_score: float | None) -> bool:
    """True when a forecast exists and its score ends below success for the objective's type."""
    if forecast_score is None:
        return False
    return forecast_score < SUCCESS_SCORE.get(objective_type, SUCCESS_SCORE["committed"])


def guardrail_breached(improved: bool, guardrail_statuses: tuple[str | None, ...]) -> bool:
    """True when the key result improved while a guardrail KPI is amber or red."""
    return improved and any(status in GUARDRAIL_ALARMS for status in guardrail_statuses)


def attention_reasons(facts: AttentionFacts) -> list[str]:
    """The reasons (in `REASONS` order) a key result needs attention; empty when it does not."""
    short = forecast_falls_short(facts.objective_type, facts.forecast_score)
    found = {
        "no_recent_check_in": is_overdue(facts.now, facts.cycle_start, facts.last_value_at, facts.cadence_days),
        "off_track": facts.status == "off_track",
        "at_risk": facts.status == "at_risk",
        "forecast_below_target": short,
        "confidence_disagrees": short and facts.latest_confidence == "on_track",
        "guardrail": guardrail_breached(facts.improved, facts.guardrail_statuses),
    }
    return [reason for reason in REASONS if found[reason]]


def improved(goal: Target, values: Sequence[float]) -> bool:
    """True when the newest of the cycle's values (oldest first) raised the progress over the one before it
    (over the baseline when it is the only one). Maintain kinds compare the share of values met with and
    without the newest."""
    if not values:
        return False
    if goal.kind in MAINTAIN_KINDS:
        return len(values) > 1 and progress(goal, None, values) > progress(goal, None, values[:-1])
    previous = values[-2] if len(values) > 1 else None
    return progress(goal, values[-1]) > progress(goal, previous)
