"""What closing a cycle warns about first (issue 15): the days left until its last day, and the key results that had
no new value (check-in or linked-KPI measurement) for `QUIET_DAYS` days, a rolling window of whole days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

QUIET_DAYS: Final = 14


def days_left(end_date: date, today: date) -> int:
    """Days from today to the cycle's last day: 0 on that day, negative after it."""
    return (end_date - today).days


def is_quiet(now: datetime, cycle_start: datetime, last_value_at: datetime | None, days: int = QUIET_DAYS) -> bool:
    """No value for `days` days or more; without any value, counted from the cycle's start (a cycle that has not
    run that long has nothing quiet yet)."""
    since = last_value_at if last_value_at is not None else cycle_start
    return now - since >= timedelta(days=days)
