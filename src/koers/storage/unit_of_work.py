"""A unit of work: one transaction, with every repository on its connection."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Connection, Engine, text

from koers.domain.model import User
from koers.storage import repositories as r
from koers.storage.bulk import Bulk
from koers.storage.changes import Changes
from koers.storage.insight import Insight
from koers.storage.reads import Reads
from koers.storage.repositories import integrations as ri
from koers.storage.repositories.findings import CoachFindings

# 'Koer': the advisory lock that guards stored scores, taken per schema (its second key is the schema's hash), so
# that several Koers installations in one database (or test schemas side by side) never wait for each other.
SCORES_LOCK = 0x4B6F6572


class UnitOfWork:
    """`with uow:` opens a transaction; it commits when the block ends cleanly, else rolls back."""

    connection: Connection

    def __init__(self, engine: Engine, read_only: bool = False, actor: User | None = None) -> None:
        self.engine = engine
        self.read_only = read_only
        self.actor = actor  # who acts: None is the system itself (CLI, demo, import), with every right

    def __enter__(self) -> UnitOfWork:
        connection = self.engine.connect()
        if self.read_only:
            connection = connection.execution_options(koers_read_only=True)
        self.connection = connection
        self._scores_locked = False
        self._after_commit: list[Callable[[], None]] = []
        self._transaction = connection.begin()
        self.teams = r.Teams(connection)
        self.users = r.Users(connection)
        self.cycles = r.Cycles(connection)
        self.objectives = r.Objectives(connection)
        self.key_results = r.KeyResults(connection)
        self.check_ins = r.CheckIns(connection)
        self.kpis = r.Kpis(connection)
        self.measurements = r.Measurements(connection)
        self.initiatives = r.Initiatives(connection)
        self.api_tokens = r.ApiTokens(connection)
        self.web_sessions = r.WebSessions(connection)
        self.invitations = r.Invitations(connection)
        self.login_attempts = r.LoginAttempts(connection)
        self.audit_log = r.AuditLog(connection)
        self.idempotency_keys = r.IdempotencyKeys(connection)
        self.bulk = Bulk(connection)
        self.reads = Reads(connection)
        self.insight = Insight(connection)  # issue 10: attention, calibration, guardrails
        self.sources = r.Sources(connection)  # issue 11: data sources, their runs, background jobs
        self.source_runs = r.SourceRuns(connection)
        self.job_runs = r.JobRuns(connection)
        # issue 11: webhooks and their outbox, one-click links, the mail log, reminder moments, chat identities
        self.webhooks = ri.Webhooks(connection)
        self.check_in_links = ri.CheckInLinks(connection)
        self.mail_log = ri.MailLog(connection)
        self.team_reminders = ri.TeamReminders(connection)
        self.user_integrations = ri.UserIntegrations(connection)
        self.changes = Changes(connection)  # issue 15: what changed in a week
        self.coach_findings = CoachFindings(connection)  # issue 15: the coach's findings kept on goals
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        committed = False
        try:
            if exc_type is None and not self.read_only:
                self._transaction.commit()
                committed = True
            else:
                self._transaction.rollback()
        finally:
            self.connection.close()
        for callback in self._after_commit if committed else ():
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback` once this transaction has committed (never when it rolls back): issue 11's outbox wakes
        the webhook delivery this way."""
        self._after_commit.append(callback)

    def lock_scores(self) -> None:
        """Serialise the writers of stored scores until this transaction ends.

        PostgreSQL runs writers side by side: without this, two check-ins on one key result could each
        store a value computed without the other's row. SQLite's BEGIN IMMEDIATE serialises writers already.
        """
        if self._scores_locked or self.dialect != "postgresql":
            return
        self.connection.execute(
            text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"), {"key": SCORES_LOCK}
        )
        self._scores_locked = True

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name
