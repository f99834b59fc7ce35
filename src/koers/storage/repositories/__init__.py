"""Repositories: the only doors between the domain's dataclasses and the tables, one module per noun."""

from koers.storage.repositories.access import ApiTokens, WebSessions
from koers.storage.repositories.base import Repository
from koers.storage.repositories.credentials import Invitations, LoginAttempts
from koers.storage.repositories.goals import Initiatives, KeyResults, Objectives
from koers.storage.repositories.organisation import Cycles, Teams, Users
from koers.storage.repositories.progress import CheckIns, Kpis, Measurements
from koers.storage.repositories.records import AuditLog, IdempotencyKeys
from koers.storage.repositories.sources import JobRuns, SourceRuns, Sources

__all__ = [
    "ApiTokens",
    "AuditLog",
    "CheckIns",
    "Cycles",
    "IdempotencyKeys",
    "Initiatives",
    "Invitations",
    "JobRuns",
    "KeyResults",
    "Kpis",
    "LoginAttempts",
    "Measurements",
    "Objectives",
    "Repository",
    "SourceRuns",
    "Sources",
    "Teams",
    "Users",
    "WebSessions",
]
