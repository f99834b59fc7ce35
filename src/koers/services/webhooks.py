"""Outgoing webhooks: admins subscribe a URL to events; every event is written to an outbox in the transaction of the
change that caused it, and delivered afterwards by the `webhooks` job, with retries and back-off.

Events: `check_in.recorded` (services.check_ins), `measurement.recorded` (services.kpis), `key_result.status_changed`
(services.scores, when a key result's pace status moves), `cycle.closed` (services.organisation). A change that rolls
back takes its events with it; a committed change always gets its deliveries (the outbox), at least once.

A delivery is a POST of the JSON body `{"event", "event_id", "occurred_at", <the record>...}` (format `koers`), or a
Slack or Teams message about it (formats `slack`, `teams`), with `X-Koers-Signature: sha256=<hex HMAC-SHA256 of the
raw body with the webhook's secret>` when it has one. Any 2xx answer delivers it; otherwise the next attempt waits
`BACKOFF[n]` (1 min, 5 min, 30 min, 2 h, 6 h) and after `MAX_ATTEMPTS` the delivery is `failed`. Requests go through
`koers.integrations.net` (no private or metadata addresses unless KOERS_ALLOW_PRIVATE_NETWORKS=1).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from koers.domain import model
from koers.domain.errors import KoersError, NotFound, ValidationError
from koers.domain.kpi_status import kpi_colour
from koers.domain.validation import is_control_character
from koers.services import audit
from koers.services.jobs import Job, OpenUnitOfWork, register
from koers.services.permissions import require_admin
from koers.storage.unit_of_work import UnitOfWork

EVENTS: Final = ("check_in.recorded", "measurement.recorded", "key_result.status_changed", "cycle.closed")
FORMATS: Final = ("koers", "slack", "teams")
BACKOFF: Final = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS: Final = len(BACKOFF) + 1
MAX_URL: Final = 2000
MAX_SECRET: Final = 200
SIGNATURE_HEADER: Final = "X-Koers-Signature"
BATCH: Final = 50


@dataclass(frozen=True)
class Webhook:
    """A webhook as shown (its secret never is: only whether it has one)."""

    id: int
    url: str
    events: list[str]
    format: str
    lang: str
    has_secret: bool
    created_at: datetime
    created_by: int | None
    pending: int = 0
    delivered: int = 0
    failed: int = 0


def _webhook(row: Mapping[str, Any], counts: Mapping[str, int] | None = None) -> Webhook:
    counts = counts or {}
    return Webhook(
        id=row["id"],
        url=row["url"],
        events=list(row["events"]),
        format=row["format"],
        lang=row["lang"],
        has_secret=bool(row["secret_encrypted"]),
        created_at=row["created_at"],
        created_by=row["created_by"],
        pending=counts.get("pending", 0),
        delivered=counts.get("delivered", 0),
        failed=counts.get("failed", 0),
    )


def _checked_url(url: str) -> str:
    from koers.integrations.net import check_url

    text = (url or "").strip()
    if not text or len(text) > MAX_URL or any(is_control_character(c) or c.isspace() for c in text):
        raise ValidationError("webhook.url_invalid", field="url")
    try:
        check_url(text)
    except KoersError:
        raise ValidationError("webhook.url_invalid", field="url") from None
    return text


def create_webhook(
    uow: UnitOfWork,
    url: str,
    events: Sequence[str],
    secret: str | None = None,
    format: str = "koers",
    lang: str = "nl",
    *,
    secret_key: str = "",
) -> Webhook:
    """Subscribe a URL to events (admins). The secret is stored encrypted (KOERS_SECRET_KEY) and never shown."""
    require_admin(uow, "admin_only.webhooks")
    address = _checked_url(url)
    chosen = sorted(set(events or ()), key=EVENTS.index) if set(events or ()) <= set(EVENTS) else None
    if not chosen:
        raise ValidationError("webhook.events_invalid", field="events", events=", ".join(EVENTS))
    if format not in FORMATS:
        raise ValidationError("webhook.format_invalid", field="format", formats=", ".join(FORMATS))
    if lang not in model.LOCALES:
        raise ValidationError("webhook.lang_invalid", field="lang")
    encrypted = None
    if secret:
        if len(secret) > MAX_SECRET or any(is_control_character(c) for c in secret):
            raise ValidationError("webhook.secret_invalid", field="secret", max=MAX_SECRET)
        from koers.integrations import secrets  # cryptography loads only where a secret is used

        encrypted = secrets.encrypt(secret_key, secret)
    now = datetime.now(UTC)
    values = {
        "url": address,
        "events": chosen,
        "format": format,
        "lang": lang,
        "secret_encrypted": encrypted,
        "created_by": None if uow.actor is None else uow.actor.id,
        "created_at": now,
    }
    webhook_id = uow.webhooks.add(**values)
    webhook = _webhook({**values, "id": webhook_id})
    audit.record(uow, "create", "webhook", webhook_id, None, webhook)
    return webhook


def list_webhooks(uow: UnitOfWork) -> list[Webhook]:
    """Every webhook with its delivery counts (admins)."""
    require_admin(uow, "admin_only.webhooks")
    counts = uow.webhooks.counts()
    return [_webhook(row, counts.get(row["id"])) for row in uow.webhooks.list()]


def get_webhook(uow: UnitOfWork, webhook_id: int) -> Webhook:
    """One webhook (admins)."""
    require_admin(uow, "admin_only.webhooks")
    row = uow.webhooks.find(webhook_id)
    if row is None:
        raise NotFound("webhook.not_found", id=webhook_id)
    return _webhook(row, uow.webhooks.counts().get(webhook_id))


def delete_webhook(uow: UnitOfWork, webhook_id: int) -> None:
    """Stop a webhook and forget its delivery log (admins)."""
    webhook = get_webhook(uow, webhook_id)
    uow.webhooks.delete(webhook_id)
    audit.record(uow, "delete", "webhook", webhook_id, webhook, None)


def deliveries(uow: UnitOfWork, webhook_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """A webhook's delivery log, newest first (admins)."""
    get_webhook(uow, webhook_id)
    keys = (
        "id", "event", "event_id", "status", "attempts", "response_status", "error", "created_at",
        "last_attempt_at", "next_attempt_at", "delivered_at",
    )  # fmt: skip
    return [{k: row[k] for k in keys} for row in uow.webhooks.deliveries(webhook_id, limit)]


# --- the outbox: called by the use cases, inside their transaction ---


def emit(uow: UnitOfWork, event: str, record: Mapping[str, Any]) -> int | None:
    """Write `event` with its record for every webhook subscribed to it, in this unit of work (nothing when none
    is). The id of the stored event, or None."""
    assert event in EVENTS, event
    subscribed = [row["id"] for row in uow.webhooks.list() if event in row["events"]]
    if not subscribed:
        return None
    payload = json.loads(json.dumps(dict(record), default=_plain))
    event_id = uow.webhooks.add_event(event, payload, datetime.now(UTC), subscribed)
    uow.after_commit(_wake_delivery)  # delivered within moments by `koers serve`, not at the next tick
    return event_id


def _wake_delivery() -> None:
    from koers.services.jobs import wake

    wake(JOB.name)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def user_ref(uow: UnitOfWork, user_id: int | None) -> dict[str, Any] | None:
    """A person as events name them: id, name and email."""
    if user_id is None:
        return None
    user = uow.users.find(user_id)
    return None if user is None else {"id": user.id, "name": user.name, "email": user.email}


def key_result_ref(kr: model.KeyResult) -> dict[str, Any]:
    """A key result as events carry it."""
    keys = ("id", "objective_id", "title", "kind", "unit", "baseline", "target", "current", "score", "owner_id")
    return {k: getattr(kr, k) for k in keys}


def subscribed(uow: UnitOfWork, event: str) -> bool:
    """True when some webhook listens to `event` (so nobody pays for building a record nobody reads)."""
    return any(event in row["events"] for row in uow.webhooks.list())


def check_in_recorded(
    uow: UnitOfWork, check_in: model.CheckIn, kr: model.KeyResult, objective: model.Objective, status: str
) -> None:
    """`check_in.recorded`: the check-in, its key result as it stands now, its objective and author."""
    if not subscribed(uow, "check_in.recorded"):
        return
    record = {
        "check_in": {
            k: getattr(check_in, k)
            for k in ("id", "key_result_id", "value", "confidence", "note", "author_id", "created_at")
        },
        "key_result": {**key_result_ref(kr), "status": status},
        "objective": {"id": objective.id, "title": objective.title, "team_id": objective.team_id},
        "author": user_ref(uow, check_in.author_id),
    }
    emit(uow, "check_in.recorded", record)


def measurement_recorded(uow: UnitOfWork, measurement: model.Measurement, kpi: model.Kpi) -> None:
    """`measurement.recorded`: the measurement and its KPI with its new current value and colour."""
    if not subscribed(uow, "measurement.recorded"):
        return
    status = kpi_colour(kpi, kpi.current)
    record = {
        "measurement": {k: getattr(measurement, k) for k in ("id", "kpi_id", "value", "at", "source", "note")},
        "kpi": {"id": kpi.id, "name": kpi.name, "unit": kpi.unit, "current": kpi.current, "status": status},
    }
    emit(uow, "measurement.recorded", record)


def key_result_rescored(uow: UnitOfWork, kr: model.KeyResult, cycle: model.Cycle, before: Mapping[str, Any]) -> None:
    """`key_result.status_changed` when a rescore (`services.scores.refresh_key_result`) moved the key result's
    pace status (`before`: its stored fields before the rescore)."""
    if cycle.status == "closed" or not subscribed(uow, "key_result.status_changed"):
        return
    from dataclasses import replace
    from datetime import date

    from koers.services.read.views import key_result_status

    objective = uow.objectives.get(kr.objective_id)
    today = date.today()
    old = key_result_status(replace(kr, **before), objective, cycle, today)
    new = key_result_status(kr, objective, cycle, today)
    if old != new:
        record = {
            "key_result": {**key_result_ref(kr), "status": new},
            "status_before": old,
            "status": new,
            "objective": {"id": objective.id, "title": objective.title, "team_id": objective.team_id},
        }
        emit(uow, "key_result.status_changed", record)


def cycle_closed(uow: UnitOfWork, cycle: model.Cycle, grades: Sequence[Mapping[str, Any]]) -> None:
    """`cycle.closed`: the cycle and every objective's grade."""
    if not subscribed(uow, "cycle.closed"):
        return
    record = {
        "cycle": {k: getattr(cycle, k) for k in ("id", "name", "start_date", "end_date", "status", "closed_at")},
        "grades": [dict(g) for g in grades],
    }
    emit(uow, "cycle.closed", record)


# --- delivery ---

Sender = Callable[[str, bytes, Mapping[str, str]], int]  # (url, body, headers) -> HTTP status


def signature(secret: str, body: bytes) -> str:
    """The X-Koers-Signature value: `sha256=` and the hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(row: Mapping[str, Any]) -> bytes:
    """The bytes a delivery posts: the event in Koers' JSON, or a Slack or Teams message about it."""
    document = {"event": row["event"], "event_id": row["event_id"], **row["payload"]}
    if row["format"] != "koers":
        from koers.integrations.chat_messages import message_for

        document = message_for(row["format"], row["event"], row["payload"], row["lang"])
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def http_sender(url: str, body: bytes, headers: Mapping[str, str]) -> int:
    """POST through the SSRF-guarded client; the status (any answer), KoersError when none came."""
    from koers.integrations.net import request

    return request("POST", url, content=body, headers=headers, timeout=10.0, follow_redirects=False).status


def deliver_due(
    open_uow: OpenUnitOfWork,
    now: datetime,
    *,
    secret_key: str,
    send: Sender = http_sender,
    backoff: Sequence[timedelta] = BACKOFF,
    limit: int = BATCH,
) -> str:
    """Attempt every delivery that is due at `now` (no transaction is open while a receiver is called); a summary.

    A failed attempt is tried again after `backoff[attempt - 1]`; after `len(backoff) + 1` attempts it is failed.
    """
    from koers.integrations import secrets

    with open_uow() as uow:
        due = uow.webhooks.due(now, limit)
    delivered = retried = failed = 0
    for row in due:
        status, error = None, ""
        try:
            body = body_of(row)
            headers = {"Content-Type": "application/json", "User-Agent": "Koers-Webhook/1"}
            if row["secret_encrypted"]:
                headers[SIGNATURE_HEADER] = signature(secrets.decrypt(secret_key, row["secret_encrypted"]), body)
            status = send(row["url"], body, headers)
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except KoersError as problem:
            error = problem.message
        except Exception as problem:  # a receiver's failure of any kind is the delivery's, not the job's
            error = f"{type(problem).__name__}: {problem}"[:500]
        attempts = row["attempts"] + 1
        values: dict[str, Any] = {"last_attempt_at": now, "response_status": status, "error": error[:1000]}
        if not error:
            values.update(status="delivered", delivered_at=now, next_attempt_at=None)
            delivered += 1
        elif attempts >= len(backoff) + 1:
            values.update(status="failed", next_attempt_at=None)
            failed += 1
        else:
            values.update(next_attempt_at=now + backoff[attempts - 1])
            retried += 1
        with open_uow() as uow:
            uow.webhooks.record_attempt(row["id"], row["attempts"], **values)
    return f"{delivered} delivered, {retried} to retry, {failed} failed"


def _run(open_uow: OpenUnitOfWork, now: datetime) -> str:
    from koers.config import Settings

    return deliver_due(open_uow, now, secret_key=Settings.from_environment().secret_key)


JOB = register(Job("webhooks", timedelta(seconds=15), _run))
