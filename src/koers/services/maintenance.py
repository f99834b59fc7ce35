"""Nightly upkeep: recompute every stored score from the raw history.

Stored scores change when a check-in or measurement is recorded; a cycle whose start date passes at midnight
changes which aligned objectives count (SPEC §3) without any record being written. The nightly recompute closes
that gap, and repairs anything else that drifted.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from koers.services.jobs import Job, OpenUnitOfWork, register
from koers.services.scores import recompute_all


def recompute_scores(open_uow: OpenUnitOfWork, now: datetime) -> str:
    """Recompute every stored score as of today (the server's local date)."""
    with open_uow() as uow:
        recompute_all(uow, date.today())
    return "scores recomputed"


register(Job("scores.recompute_all", timedelta(days=1), recompute_scores))
