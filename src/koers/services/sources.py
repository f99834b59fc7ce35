"""Data sources of KPIs and key results: configure, dry-run, run on schedule, receive pushed values.

Every value a source brings is recorded through the same use cases as the API (`record_measurement` for a KPI,
`record_check_in` for a key result) and keeps its provenance in `source_runs`: the kind, the query or URL, the time,
the raw result and the parsed number. Fetching happens outside any write transaction: a slow source never holds the
database. Configuring follows the rule of editing the KPI or key result; `sql` sources and CSV files on the server's
disk are for admins only (they reach the server's own network and disk: docs/security.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from koers.config import Settings
from koers.domain.errors import LITERAL, KoersError, NotFound, PermissionDenied, ValidationError
from koers.domain.messages import MESSAGES
from koers.domain.sources import (
    HIDDEN,
    Reading,
    Source,
    checked_config,
    format_every,
    is_env_reference,
    is_file_url,
    parse_every,
    requires_admin,
)
from koers.integrations import sources as readers
from koers.integrations.net import OutgoingFailed, OutgoingRefused
from koers.integrations.secrets import SecretBox
from koers.services import audit
from koers.services.accounts import Unauthenticated
from koers.services.check_ins import record_check_in
from koers.services.jobs import Job, register
from koers.services.kpis import record_measurement
from koers.services.permissions import can_edit_key_result, can_edit_kpi, is_admin, require, visible_key_result
from koers.storage.unit_of_work import UnitOfWork

SUBJECTS = ("kpi", "key_result")
PUSH_HEADER = "X-Koers-Push-Token"
OpenUnitOfWork = Callable[[], UnitOfWork]


def _what(subject: str) -> str:
    return "KPI" if subject == "kpi" else "key result"


def push_path(subject: str, subject_id: int) -> str:
    """Where a push source receives values (POST with the X-Koers-Push-Token header)."""
    return f"/api/v1/{'kpis' if subject == 'kpi' else 'key-results'}/{subject_id}/source/push"


def require_editor(uow: UnitOfWork, subject: str, subject_id: int) -> None:
    """The actor may change this KPI or key result (and may see it: NotFound otherwise)."""
    if subject == "kpi":
        kpi = uow.kpis.get(subject_id)
        require(can_edit_kpi(uow.actor, kpi), "source.forbidden", what="KPI", id=subject_id)
    else:
        kr, objective = visible_key_result(uow, subject_id)
        require(can_edit_key_result(uow.actor, kr, objective), "source.forbidden", what="key result", id=subject_id)


def find_source(uow: UnitOfWork, subject: str, subject_id: int) -> Source | None:
    """The source of a KPI or key result, if it has one."""
    if subject == "kpi":
        return uow.sources.of(kpi_id=subject_id)
    return uow.sources.of(key_result_id=subject_id)


def source_of(uow: UnitOfWork, subject: str, subject_id: int) -> Source:
    """The source of a KPI or key result the actor may edit; NotFound (source.none) when there is none."""
    require_editor(uow, subject, subject_id)
    source = find_source(uow, subject, subject_id)
    if source is None:
        raise NotFound("source.none", what=_what(subject), id=subject_id)
    return source


def source_view(source: Source, base_url: str = "") -> dict[str, Any]:
    """A source as it may be shown again: secrets as "***", env references as they were given."""
    subject, subject_id = ("kpi", source.kpi_id) if source.kpi_id is not None else ("key_result", source.key_result_id)
    assert subject_id is not None
    config = dict(source.config)
    return {
        "id": source.id,
        "kind": source.kind,
        "kpi_id": source.kpi_id,
        "key_result_id": source.key_result_id,
        "every": format_every(source.every),
        "url": config.get("url"),
        "query": config.get("query"),
        "selector": config.get("selector"),
        "headers": config.get("headers"),
        "column": config.get("column"),
        "aggregate": config.get("aggregate"),
        "locale": config.get("locale"),
        "push_url": base_url + push_path(subject, subject_id) if source.kind == "push" else None,
        "last_run_at": source.last_run_at,
        "last_value": source.last_value,
        "last_error": english(source.last_error),
        "next_run_at": source.next_run_at,
        "created_at": source.created_at,
        "updated_at": source.updated_at,
        "version": source.version,
    }


# --- configuring ----------------------------------------------------------------------------------------------------


def _split_secrets(config: dict[str, Any], before: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The config to store in the open (URL password and header values as "***") and the secret parts.

    A "***" sent back (as GET shows it) keeps the secret stored before; `env:NAME` stays in the open.
    """
    shown, hidden = dict(config), {}
    url = str(config.get("url") or "")
    if url and not is_env_reference(url) and not is_file_url(url):
        parts = urlsplit(url)
        if parts.password is not None:
            if parts.password == HIDDEN and "url" in before:
                hidden["url"] = before["url"]
            else:
                hidden["url"] = url
            netloc = f"{parts.username or ''}:{HIDDEN}@{parts.netloc.rpartition('@')[2]}"
            shown["url"] = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    if config.get("headers"):
        shown_headers: dict[str, str] = {}
        hidden_headers: dict[str, str] = {}
        for name, value in config["headers"].items():
            if is_env_reference(value):
                shown_headers[name] = value
            elif value == HIDDEN and name in before.get("headers", {}):
                shown_headers[name], hidden_headers[name] = HIDDEN, before["headers"][name]
            else:
                shown_headers[name], hidden_headers[name] = HIDDEN, value
        shown["headers"] = shown_headers
        if hidden_headers:
            hidden["headers"] = hidden_headers
    return shown, hidden


def set_source(
    uow: UnitOfWork, subject: str, subject_id: int, body: Mapping[str, Any], settings: Settings
) -> tuple[Source, str | None]:
    """Give a KPI or key result its data source (replacing the one it had); the source, and for a push source its
    new token (shown once, stored as SHA-256)."""
    require_editor(uow, subject, subject_id)
    kind = str(body.get("kind") or "")
    config = checked_config(kind, body)
    if requires_admin(kind, config) and not is_admin(uow.actor):
        raise PermissionDenied("source.admin_only", kind="sql" if kind == "sql" else "file-path csv")
    every = None if kind == "push" else parse_every(body.get("every"))
    existing = find_source(uow, subject, subject_id)
    before = _open_secrets(existing, settings) if existing is not None and existing.kind == kind else {}
    shown, hidden = _split_secrets(config, before)
    sealed = SecretBox(settings.secret_key).seal(hidden) if hidden else None
    token = secrets.token_urlsafe(32) if kind == "push" else None
    now = datetime.now(UTC)
    actor_id = None if uow.actor is None else uow.actor.id
    values: dict[str, Any] = {
        "kind": kind,
        "every": every,
        "config": shown,
        "secret": sealed,
        "push_token_hash": None if token is None else token_hash(token),
        "updated_at": now,
        "next_run_at": None,  # due at once: the next sync shows whether it works
        "last_error": None,
    }
    if existing is None:
        source = Source(
            kpi_id=subject_id if subject == "kpi" else None,
            key_result_id=subject_id if subject == "key_result" else None,
            created_by=actor_id,
            created_at=now,
            **values,
        )
        uow.sources.add(source)
        audit.record(uow, "create", "source", source.id, None, _audited(source))
    else:
        source = replace(existing, **values)
        uow.sources.update(source)
        audit.record(uow, "update", "source", source.id, _audited(existing), _audited(source))
    return source, token


def remove_source(uow: UnitOfWork, subject: str, subject_id: int) -> None:
    """Take a KPI's or key result's data source away (the same right as configuring it): values are entered by
    hand again. What it recorded stays, with its provenance; a push token stops working at once."""
    source = source_of(uow, subject, subject_id)
    assert source.id is not None
    uow.sources.remove(source.id)
    audit.record(uow, "delete", "source", source.id, _audited(source), None)


def _audited(source: Source) -> dict[str, Any]:
    return {**source_view(source), "every": format_every(source.every)}


def token_hash(token: str) -> str:
    """SHA-256 of a push token (256 random bits: a fast hash is safe and lookups stay O(1))."""
    return hashlib.sha256(token.encode()).hexdigest()


def _open_secrets(source: Source, settings: Settings) -> dict[str, Any]:
    if not source.secret:
        return {}
    opened = SecretBox(settings.secret_key).open(source.secret)
    return opened if isinstance(opened, dict) else {}


# --- fetching -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What one run of a source asks, with the secrets opened and `env:` references read (never stored)."""

    kind: str
    subject: str
    subject_id: int
    config: Mapping[str, Any]


def _env(value: str) -> str:
    if not is_env_reference(value):
        return value
    name = value[4:]
    found = os.environ.get(name)
    if found is None:
        raise ValidationError("source.env_missing", name=name)
    return found


def plan_of(source: Source, settings: Settings) -> Plan:
    """A stored source made ready to fetch."""
    hidden = _open_secrets(source, settings)
    config = dict(source.config)
    if "url" in hidden:
        config["url"] = hidden["url"]
    headers = {**config.get("headers", {}), **hidden.get("headers", {})}
    config["headers"] = {name: _env(value) for name, value in headers.items()}
    if "url" in config:
        config["url"] = _env(str(config["url"]))
    subject, subject_id = ("kpi", source.kpi_id) if source.kpi_id is not None else ("key_result", source.key_result_id)
    assert subject_id is not None
    return Plan(source.kind, subject, subject_id, config)


def fetch(plan: Plan, settings: Settings) -> Reading:
    """Ask the source for its number now (no database transaction is open here)."""
    c = plan.config
    private = settings.allow_private_networks
    if plan.kind == "sql":
        return readers.read_sql(c["url"], c["query"])
    if plan.kind == "http_json":
        return readers.read_http_json(c["url"], c["selector"], c.get("headers", {}), c.get("locale", "en"), private)
    if plan.kind == "csv":
        return readers.read_csv(
            c["url"], c["column"], c.get("aggregate", "last"), c.get("headers", {}), c.get("locale", "en"), private
        )
    raise ValidationError("source.field_required", field="kind", name="url", kind=plan.kind)


def dry_run(
    open_read: OpenUnitOfWork, subject: str, subject_id: int, body: Mapping[str, Any] | None, settings: Settings
) -> dict[str, Any]:
    """The value a source would record now, recording nothing: the stored source, or the settings in `body`."""
    with open_read() as uow:
        if body:
            require_editor(uow, subject, subject_id)
            kind = str(body.get("kind") or "")
            config = checked_config(kind, body)
            if requires_admin(kind, config) and not is_admin(uow.actor):
                raise ValidationError(
                    "source.admin_only", field="kind", kind="sql" if kind == "sql" else "file-path csv"
                )
            parse_every(body.get("every"))
            existing = find_source(uow, subject, subject_id)
            before = _open_secrets(existing, settings) if existing is not None and existing.kind == kind else {}
            _shown, hidden = _split_secrets(config, before)
            if "url" in hidden:
                config["url"] = hidden["url"]
            config["headers"] = {**config.get("headers", {}), **hidden.get("headers", {})}
            config["headers"] = {n: _env(v) for n, v in config["headers"].items()}
            if "url" in config:
                config["url"] = _env(str(config["url"]))
            plan = Plan(kind, subject, subject_id, config)
        else:
            plan = plan_of(source_of(uow, subject, subject_id), settings)
    if plan.kind == "push":
        raise ValidationError("source.field_required", field="kind", name="url", kind="push")
    try:
        reading = fetch(plan, settings)
    except (OutgoingRefused, OutgoingFailed) as error:  # what the source answered is the input's problem here
        raise ValidationError(error.code, field="url", **error.params) from None
    return {"value": reading.value, "raw": reading.raw, "target": reading.target}


# --- running and recording ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOutcome:
    """How one run of a source went."""

    source_id: int
    value: float | None
    error: str | None
    recorded: bool


def run_source(
    open_uow: OpenUnitOfWork, source_id: int, now: datetime, settings: Settings, force: bool = False
) -> RunOutcome | None:
    """Run one source when it is due (or now, with `force`): claim it, fetch outside the transaction, record the
    value (a new measurement or check-in when it changed) and its provenance. None when another process has it."""
    with open_uow() as uow:
        source = uow.sources.get(source_id)
        every = source.every or timedelta(hours=1)
        if not uow.sources.claim(source_id, now, now + every, force):
            return None
        try:
            plan: Plan | None = plan_of(source, settings)
            failure: str | None = None
        except KoersError as error:
            plan, failure = None, stored_error(error)
    target = _target(source)
    reading: Reading | None = None
    if plan is not None:
        try:
            reading = fetch(plan, settings)
            target = reading.target
        except Exception as error:  # a reader's failure (a driver's too) is this source's error, not the sync's
            failure = stored_error(error)
    if reading is not None:
        try:
            with open_uow() as uow:
                recorded = _record(uow, source, reading, now, changed_only=True)
            return RunOutcome(source_id, reading.value, None, recorded)
        except KoersError as error:
            failure = stored_error(error)
    with open_uow() as uow:
        uow.source_runs.add(
            source_id=source_id, at=now, kind=source.kind, target=target, raw=None if reading is None else reading.raw,
            value=None if reading is None else reading.value, error=failure,
        )  # fmt: skip
        uow.sources.set_fields(source_id, last_run_at=now, last_error=failure)
    return RunOutcome(source_id, None, english(failure), False)


def stored_error(error: BaseException) -> str:
    """How a run's failure is stored (`sources.last_error`, `source_runs.error`): a KoersError's code and parameters
    as JSON, so each reader gets it in their language; any other exception (a database driver's) as its text."""
    if isinstance(error, KoersError):
        code, params = error.code, error.params
    else:
        code, params = LITERAL, {"text": f"{type(error).__name__}: {error}"[:2000]}
    return json.dumps({"code": code, "params": params}, ensure_ascii=False, default=str)


def error_of(stored: str | None) -> KoersError | None:
    """The failure a stored error names (plain text, as stored before errors had codes: that text)."""
    if not stored:
        return None
    try:
        document = json.loads(stored)
        code, params = document["code"], dict(document["params"])
        if code not in MESSAGES:
            raise KeyError(code)
        error = KoersError(code, **params)
        _ = error.message  # the parameters fill the template
        return error
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return KoersError(LITERAL, text=stored)


def english(stored: str | None) -> str | None:
    """A stored failure in English (the API's `last_error` and a run's `error` are text)."""
    error = error_of(stored)
    return None if error is None else error.message


def _target(source: Source) -> str:
    config = source.config
    if source.kind == "sql":
        return str(config.get("query", ""))
    return readers.shown_url(str(config.get("url", ""))) if config.get("url") else source.kind


def _record(uow: UnitOfWork, source: Source, reading: Reading, now: datetime, changed_only: bool) -> bool:
    """Record a fetched value through the same use case as the API, with its provenance; False when unchanged."""
    assert source.id is not None
    now = min(now, datetime.now(UTC))  # the value's time is when it was fetched, whatever tick asked for it
    fresh = uow.sources.get(source.id)
    unchanged = changed_only and fresh.last_value == reading.value and fresh.last_error is None
    measurement_id = check_in_id = None
    if not unchanged:
        if source.kpi_id is not None:
            measurement_id = record_measurement(uow, source.kpi_id, reading.value, at=now, source="sync").id
        else:
            assert source.key_result_id is not None
            check_in_id = record_check_in(uow, source.key_result_id, reading.value, created_at=now).check_in.id
    uow.source_runs.add(
        source_id=source.id, at=now, kind=source.kind, target=reading.target, raw=reading.raw, value=reading.value,
        error=None, measurement_id=measurement_id, check_in_id=check_in_id,
    )  # fmt: skip
    uow.sources.set_fields(source.id, last_run_at=now, last_value=reading.value, last_error=None)
    return not unchanged


def sync_sources(open_uow: OpenUnitOfWork, now: datetime, settings: Settings, force: bool = False) -> str:
    """Run every due source (every one with `force`); a failing source records its error and the others go on."""
    with open_uow() as uow:
        ids = uow.sources.scheduled_ids(None if force else now)
    outcomes = [run_source(open_uow, source_id, now, settings, force) for source_id in ids]
    done = [o for o in outcomes if o is not None]
    failed = sum(1 for o in done if o.error)
    recorded = sum(1 for o in done if o.recorded)
    return f"{len(done)} source(s) run, {recorded} new value(s), {failed} failed"


def push_value(
    open_uow: OpenUnitOfWork, subject: str, subject_id: int, token: str | None, value: float
) -> dict[str, Any]:
    """Record a value sent to a push URL; a wrong or missing token is refused (Unauthenticated) and records nothing."""
    now = datetime.now(UTC)
    with open_uow() as uow:
        source = uow.sources.by_push_token(token_hash(token)) if token else None
        wanted = source is not None and (source.kpi_id if subject == "kpi" else source.key_result_id) == subject_id
        if (
            source is None
            or not wanted
            or not secrets.compare_digest(source.push_token_hash or "", token_hash(token or ""))
        ):
            raise Unauthenticated("source.push_token_invalid")
        reading = Reading(value, f'{{"value": {value!r}}}', "push")
        _record(uow, source, reading, now, changed_only=False)
        ran = uow.source_runs.recent(source.id or 0, 1)[0]
    return {
        "value": value,
        "at": now,
        "measurement_id": ran["measurement_id"],
        "check_in_id": ran["check_in_id"],
    }


def recent_runs(uow: UnitOfWork, subject: str, subject_id: int, limit: int = 20) -> list[dict[str, Any]]:
    """The newest runs of a KPI's or key result's source, newest first."""
    source = source_of(uow, subject, subject_id)
    return [{**row, "error": english(row["error"])} for row in uow.source_runs.recent(source.id or 0, limit)]


def provenance(
    uow: UnitOfWork, measurement_id: int | None = None, check_in_id: int | None = None
) -> dict[str, Any] | None:
    """Where a measurement or check-in came from, when a source recorded it: kind, query or URL, time, raw result."""
    row = (
        uow.source_runs.of_measurement(measurement_id)
        if measurement_id is not None
        else uow.source_runs.of_check_in(check_in_id)
        if check_in_id is not None
        else None
    )
    if row is None:
        return None
    return {"kind": row["kind"], "target": row["target"], "at": row["at"], "raw": row["raw"], "value": row["value"]}


def sync_job(open_uow: OpenUnitOfWork, now: datetime) -> str:
    """The scheduled job: due sources, with the settings of this process's environment."""
    return sync_sources(open_uow, now, Settings.from_environment())


register(Job("sources.sync", timedelta(minutes=1), sync_job))


def panel(uow: UnitOfWork, subject: str, subject_id: int, base_url: str = "") -> dict[str, Any]:
    """What the source panel of a KPI or key result shows its editors: the source, its last runs, where the
    current value came from."""
    require_editor(uow, subject, subject_id)
    if subject == "kpi":
        kpi = uow.kpis.get(subject_id)
        title, back = kpi.name, f"/kpis/{subject_id}"
        latest = uow.measurements.latest(subject_id)
        behind = provenance(uow, measurement_id=latest.id) if latest is not None else None
    else:
        kr, objective = visible_key_result(uow, subject_id)
        title, back = kr.title, f"/objectives/{objective.id}#kr-{subject_id}"
        check_in = uow.check_ins.latest(subject_id)
        behind = provenance(uow, check_in_id=check_in.id) if check_in is not None else None
    source = find_source(uow, subject, subject_id)
    return {
        "subject": subject,
        "subject_id": subject_id,
        "title": title,
        "back": back,
        "source": None if source is None else source_view(source, base_url),
        # the failures as errors (code and parameters), for the page to say in its reader's language
        "failure": None if source is None else error_of(source.last_error),
        "runs": []
        if source is None
        else [{**run, "failure": error_of(run["error"])} for run in uow.source_runs.recent(source.id or 0, 10)],
        "behind": behind,
        "admin": is_admin(uow.actor),
    }


def behind_value(uow: UnitOfWork, kpi_id: int) -> dict[str, Any] | None:
    """Where a KPI's latest measurement came from, when a data source recorded it (for its page, any viewer)."""
    latest = uow.measurements.latest(kpi_id)
    return provenance(uow, measurement_id=latest.id) if latest is not None else None
