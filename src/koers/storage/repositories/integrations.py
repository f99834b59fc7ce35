"""Repositories of the integrations (issue 11): webhooks and their outbox, one-click links, the mail log, team
reminder moments and people's chat identities and mail preference. Rows of plain values."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from koers.storage import tables as t

Row = dict[str, Any]


def _rows(connection: Connection, query: Any) -> list[Row]:
    return [dict(row._mapping) for row in connection.execute(query)]


def _first(connection: Connection, query: Any) -> Row | None:
    row = connection.execute(query).first()
    return None if row is None else dict(row._mapping)


class Webhooks:
    """Webhooks, the events written for them (the outbox) and their deliveries."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, **values: Any) -> int:
        """Store a webhook; its new id."""
        return self.connection.execute(insert(t.webhooks).values(values)).inserted_primary_key[0]  # type: ignore[index]

    def find(self, webhook_id: int) -> Row | None:
        return _first(self.connection, select(t.webhooks).where(t.webhooks.c.id == webhook_id))

    def list(self) -> builtins.list[Row]:
        return _rows(self.connection, select(t.webhooks).order_by(t.webhooks.c.id))

    def delete(self, webhook_id: int) -> None:
        """Remove a webhook with its delivery log (events no other delivery refers to go too)."""
        d = t.webhook_deliveries
        events = [
            r["event_id"] for r in _rows(self.connection, select(d.c.event_id).where(d.c.webhook_id == webhook_id))
        ]
        self.connection.execute(delete(d).where(d.c.webhook_id == webhook_id))
        if events:
            still = select(d.c.event_id).where(d.c.event_id.in_(events))
            self.connection.execute(
                delete(t.webhook_events).where(t.webhook_events.c.id.in_(events), t.webhook_events.c.id.not_in(still))
            )
        self.connection.execute(delete(t.webhooks).where(t.webhooks.c.id == webhook_id))

    def add_event(self, event: str, payload: Any, created_at: datetime, webhook_ids: builtins.list[int]) -> int:
        """Write an event and a pending delivery for each webhook (the outbox), in the caller's transaction."""
        event_id = self.connection.execute(
            insert(t.webhook_events).values(event=event, payload=payload, created_at=created_at)
        ).inserted_primary_key[0]  # type: ignore[index]
        self.connection.execute(
            insert(t.webhook_deliveries),
            [
                {
                    "webhook_id": webhook_id,
                    "event_id": event_id,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": created_at,
                    "error": "",
                    "created_at": created_at,
                }
                for webhook_id in webhook_ids
            ],
        )
        return int(event_id)

    def due(self, now: datetime, limit: int) -> builtins.list[Row]:
        """Pending deliveries whose next attempt has come, oldest first, with their event and webhook."""
        d, e, w = t.webhook_deliveries, t.webhook_events, t.webhooks
        query = (
            select(
                d,
                e.c.event,
                e.c.payload,
                w.c.url,
                w.c.format,
                w.c.lang,
                w.c.secret_encrypted,
            )
            .join(e, e.c.id == d.c.event_id)
            .join(w, w.c.id == d.c.webhook_id)
            .where(d.c.status == "pending", d.c.next_attempt_at <= now)
            .order_by(d.c.next_attempt_at, d.c.id)
            .limit(limit)
        )
        return _rows(self.connection, query)

    def record_attempt(self, delivery_id: int, attempts_before: int, **values: Any) -> bool:
        """Store an attempt's outcome, unless another worker stored one first (compare-and-set on `attempts`)."""
        d = t.webhook_deliveries
        statement = (
            update(d)
            .where(d.c.id == delivery_id, d.c.attempts == attempts_before, d.c.status == "pending")
            .values(attempts=attempts_before + 1, **values)
        )
        return bool(self.connection.execute(statement).rowcount)

    def deliveries(self, webhook_id: int, limit: int = 100) -> builtins.list[Row]:
        """A webhook's delivery log, newest first, with each event's name."""
        d, e = t.webhook_deliveries, t.webhook_events
        query = (
            select(d, e.c.event)
            .join(e, e.c.id == d.c.event_id)
            .where(d.c.webhook_id == webhook_id)
            .order_by(d.c.id.desc())
            .limit(limit)
        )
        return _rows(self.connection, query)

    def counts(self) -> dict[int, dict[str, int]]:
        """Per webhook: how many deliveries are pending, delivered and failed."""
        d = t.webhook_deliveries
        query = select(d.c.webhook_id, d.c.status, func.count()).group_by(d.c.webhook_id, d.c.status)
        found: dict[int, dict[str, int]] = {}
        for webhook_id, status, count in self.connection.execute(query):
            found.setdefault(webhook_id, {})[status] = count
        return found


class CheckInLinks:
    """Single-use one-click check-in links (only the sha256 of the token is stored)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, **values: Any) -> int:
        return self.connection.execute(insert(t.check_in_links).values(values)).inserted_primary_key[0]  # type: ignore[index]

    def by_hash(self, token_hash: str) -> Row | None:
        return _first(self.connection, select(t.check_in_links).where(t.check_in_links.c.token_hash == token_hash))

    def use(self, link_id: int, at: datetime) -> bool:
        """Mark a link used; False when it already was (another request won)."""
        c = t.check_in_links.c
        statement = update(t.check_in_links).where(c.id == link_id, c.used_at.is_(None)).values(used_at=at)
        return bool(self.connection.execute(statement).rowcount)


class MailLog:
    """Every mail Koers sent or is sending: one row per address, kind and period."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def claim(
        self, user_id: int | None, address: str, kind: str, period: str, subject: str, at: datetime
    ) -> int | None:
        """Claim the right to send this mail (unique per address, kind and period); None when already claimed.

        A savepoint keeps the caller's transaction usable when the row exists already.
        """
        values = {
            "user_id": user_id,
            "address": address,
            "kind": kind,
            "period": period,
            "subject": subject[:300],
            "created_at": at,
        }
        try:
            with self.connection.begin_nested():
                result = self.connection.execute(insert(t.mail_log).values(values))
        except IntegrityError:
            return None
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def sent(self, mail_id: int, at: datetime) -> None:
        self.connection.execute(update(t.mail_log).where(t.mail_log.c.id == mail_id).values(sent_at=at))

    def release(self, mail_id: int) -> None:
        """Give a claim back after the mail could not be sent (the next run tries again)."""
        self.connection.execute(delete(t.mail_log).where(t.mail_log.c.id == mail_id, t.mail_log.c.sent_at.is_(None)))

    def of_address(self, address: str) -> list[Row]:
        return _rows(
            self.connection, select(t.mail_log).where(t.mail_log.c.address == address).order_by(t.mail_log.c.id)
        )

    def claimed(self, kind: str, period_prefix: str) -> set[str]:
        """Addresses with a mail of this kind whose period starts with `period_prefix`."""
        m = t.mail_log.c
        query = select(m.address).where(m.kind == kind, m.period.like(period_prefix.replace("%", "") + "%"))
        return {row[0] for row in self.connection.execute(query)}


class TeamReminders:
    """Each team's reminder moment (a team without a row has the default: enabled, Monday 09:00)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def all(self) -> dict[int, Row]:
        return {row["team_id"]: row for row in _rows(self.connection, select(t.team_reminders))}

    def find(self, team_id: int) -> Row | None:
        return _first(self.connection, select(t.team_reminders).where(t.team_reminders.c.team_id == team_id))

    def store(self, team_id: int, enabled: bool, weekday: int, hour: int) -> None:
        values = {"enabled": enabled, "weekday": weekday, "hour": hour}
        done = self.connection.execute(
            update(t.team_reminders).where(t.team_reminders.c.team_id == team_id).values(values)
        ).rowcount
        if not done:
            self.connection.execute(insert(t.team_reminders).values(team_id=team_id, **values))


class UserIntegrations:
    """A person's Slack and Teams identities and mail preference (no row: none, and the weekly mail)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def find(self, user_id: int) -> Row | None:
        return _first(self.connection, select(t.user_integrations).where(t.user_integrations.c.user_id == user_id))

    def all(self) -> dict[int, Row]:
        return {row["user_id"]: row for row in _rows(self.connection, select(t.user_integrations))}

    def store(self, user_id: int, **values: Any) -> None:
        done = self.connection.execute(
            update(t.user_integrations).where(t.user_integrations.c.user_id == user_id).values(values)
        ).rowcount
        if not done:
            self.connection.execute(insert(t.user_integrations).values(user_id=user_id, **values))

    def owner_of(self, field: str, external_id: str, except_user: int | None = None) -> int | None:
        """The person with this Slack (`slack_user_id`) or Teams (`teams_user_id`) id, or None."""
        c = t.user_integrations.c
        condition = c[field] == external_id
        if except_user is not None:
            condition = and_(condition, or_(c.user_id != except_user))
        row = self.connection.execute(select(c.user_id).where(condition)).first()
        return None if row is None else int(row[0])
