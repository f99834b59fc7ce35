"""Background jobs: one registry that `koers sync` (for cron) and the scheduler inside `koers serve` both run.

A job is due when `every` has passed since its last run; a job of a day or more is also due at the first tick after
midnight (the server's local time) once per day, so "nightly" work happens just after midnight whenever the
previous run was. Each job opens its own units of work through `open_uow`, so one failing item (a data source that
times out, a webhook receiver that is down) records its error and does not stop the others. A job's run is claimed
in `job_runs` before it starts: with several server processes on PostgreSQL the claim takes an advisory lock per job
(`pg_try_advisory_xact_lock`), on SQLite the write transaction lets one process in, so each job runs exactly once
per tick.

Jobs are registered by the module that owns them (`register(Job(...))`), imported by `koers.services.job_catalogue`.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from koers.domain.errors import KoersError
from koers.storage.unit_of_work import UnitOfWork

OpenUnitOfWork = Callable[[], UnitOfWork]
CATALOGUE = "koers.services.job_catalogue"
MAX_SLACK = timedelta(seconds=30)
log = logging.getLogger("koers.jobs")


@dataclass(frozen=True)
class Job:
    """A named piece of background work that is due every `every`; `run` returns a one-line summary."""

    name: str
    every: timedelta
    run: Callable[[OpenUnitOfWork, datetime], str]


JOBS: dict[str, Job] = {}


def register(job: Job) -> Job:
    """Add a job to the registry (by name: registering twice replaces)."""
    JOBS[job.name] = job
    return job


def catalogue() -> dict[str, Job]:
    """Every registered job, by name (the modules that register them imported now)."""
    importlib.import_module(CATALOGUE)
    return dict(sorted(JOBS.items()))


def due_before(job: Job, now: datetime) -> datetime:
    """A job is due when it last ran before this moment.

    `every` less a tenth (at most 30 s), so a cron line every minute finds a one-minute job due despite jitter; a
    daily job also once the server's local date has changed since its last run.
    """
    slack = min(job.every / 10, MAX_SLACK)
    moment = now - job.every + slack
    if job.every >= timedelta(days=1):
        local = now.astimezone()
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
        moment = max(moment, midnight - timedelta(microseconds=1))
    return moment


@dataclass(frozen=True)
class JobOutcome:
    """How one job's turn went: ran or not (not due, or another process had it), its summary or error, its time."""

    name: str
    ran: bool
    summary: str | None = None
    error: str | None = None
    seconds: float = 0.0


def run_job(open_uow: OpenUnitOfWork, job: Job, now: datetime, force: bool = False) -> JobOutcome:
    """Claim a job for this tick (or now, with `force`) and run it; its failure is recorded, never raised."""
    with open_uow() as uow:
        claimed = uow.job_runs.claim(job.name, now, now if force else due_before(job, now))
    if not claimed:
        return JobOutcome(job.name, ran=False)
    started = time.perf_counter()
    summary: str | None = None
    error: str | None = None
    try:
        summary = job.run(open_uow, now)
    except KoersError as failure:
        error = failure.message
    except Exception as failure:  # one job's bug must not stop the others, nor the server
        log.exception("job %s failed", job.name)
        error = f"{type(failure).__name__}: {failure}"
    with open_uow() as uow:
        uow.job_runs.finish(job.name, summary, error)
    return JobOutcome(job.name, True, summary, error, time.perf_counter() - started)


def run_due(
    open_uow: OpenUnitOfWork, now: datetime | None = None, names: Iterable[str] | None = None, force: bool = False
) -> list[JobOutcome]:
    """Run every due job (or only `names`; every one of them now, with `force`), in name order."""
    jobs = catalogue()
    chosen = list(jobs) if names is None else list(names)
    unknown = [name for name in chosen if name not in jobs]
    if unknown:
        raise KoersError("job.unknown", name=unknown[0], names=", ".join(jobs))
    moment = now or datetime.now(UTC)
    return [run_job(open_uow, jobs[name], moment, force) for name in chosen]


_wakeup = threading.Event()
_woken: set[str] = set()
_woken_lock = threading.Lock()


def wake(name: str) -> None:
    """Ask this process's scheduler to run the job `name` now rather than at its next tick (the outbox calls this
    after a commit that wrote webhook deliveries). Nothing happens without a scheduler (tests, the CLI): the job
    runs at the next `koers sync`."""
    with _woken_lock:
        _woken.add(name)
    _wakeup.set()


def _take_woken() -> list[str]:
    with _woken_lock:
        names = sorted(_woken)
        _woken.clear()
    _wakeup.clear()
    return names


class Scheduler:
    """Runs `run_due` every `tick_seconds` in a background thread (inside `koers serve`), until stopped; a job that
    `wake` names runs at once, between ticks."""

    def __init__(self, open_uow: OpenUnitOfWork, tick_seconds: float = 30.0) -> None:
        self.open_uow = open_uow
        self.tick_seconds = tick_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start ticking (the first tick at once)."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="koers-scheduler", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current tick (a job that is running finishes first, up to `timeout` seconds)."""
        self._stop.set()
        _wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        """True while the thread ticks."""
        return self._thread is not None and self._thread.is_alive()

    def tick(self, names: Iterable[str] | None = None) -> list[JobOutcome]:
        """One round of due jobs (or of `names`, now); an error of the round itself (the database away) is logged,
        not raised."""
        try:
            if names is None:
                return run_due(self.open_uow)
            return run_due(self.open_uow, names=[n for n in names if n in catalogue()], force=True)
        except Exception:
            log.exception("the scheduler's tick failed")
            return []

    def _loop(self) -> None:
        next_tick = time.monotonic()
        while not self._stop.is_set():
            woken = _wakeup.wait(max(0.0, next_tick - time.monotonic()))
            if self._stop.is_set():
                break
            if woken:
                names = _take_woken()
                if names:
                    self.tick(names)
            if time.monotonic() >= next_tick:
                self.tick()
                next_tick = time.monotonic() + self.tick_seconds
