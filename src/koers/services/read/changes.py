"""What changed in a week: check-ins with the key result's score before and after, pace changes, new, archived and
closed objectives, and KPI colour changes, for the organisation or one team.

Where the history comes from (nothing is stored per check-in but the check-in itself):
- `check_in` and `status`: each moved key result's check-ins and its KPI's measurements (up to the window's end) are
  replayed in time order through `services.scores.key_result_state`, the function that computes the stored scores,
  and `views.key_result_status` on the day of each value: the score and pace status just before and just after.
  A `status` item is a pace change between two consecutive values (the first value starts from `not_started`), by a
  check-in or by a measurement of the KPI the key result follows; pace drifting with the calendar alone, without a
  new value, is no item. Today's definition (kind, baseline, target, plan) is used for the whole replay.
- `objective`: created and archived from the audit trail (a bulk import writes one entry for the whole document, so
  its objectives do not show), closed when their cycle closed (`cycles.closed_at`), with the stored score and grade.
- `kpi_colour`: a KPI's colour (`domain.kpi_status`, today's thresholds) at each measurement in the window against
  the measurement before it.
Only what the viewer may see (`domain.permissions.objective_visibility`, as SQL in `storage.reads`) is read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from koers.domain import model
from koers.domain.kpi_status import kpi_colour
from koers.domain.permissions import objective_visibility
from koers.services.read.views import Row, key_result_status
from koers.services.scores import key_result_state, measurement_cutoff
from koers.storage.changes import Window
from koers.storage.unit_of_work import UnitOfWork

KINDS = ("status", "check_in", "objective", "kpi_colour")  # the order of items at the same moment
EARLIEST, LATEST = date(1900, 1, 2), date(9999, 12, 30)  # days any time zone can turn into a datetime


def week_start(day: date) -> date:
    """The Monday of the ISO week that holds `day`."""
    return day - timedelta(days=day.weekday())


def window_of(since: date, until: date | None = None, zone: tzinfo = UTC) -> Window:
    """[since, until) from the start of each day in `zone` (the organisation's time zone); up to now without
    `until`."""
    end = None if until is None else datetime.combine(until, time(), tzinfo=zone)
    return Window(datetime.combine(since, time(), tzinfo=zone), end)


def changes(
    uow: UnitOfWork,
    since: date,
    until: date | None = None,
    team_id: int | None = None,
    zone: tzinfo = UTC,
    now: datetime | None = None,
) -> Row:
    """`{"items": [...]}`: every change from `since` (to `until`, days in `zone`), newest first; none when `since`
    lies ahead."""
    since = min(max(since, EARLIEST), LATEST)
    until = None if until is None else min(max(until, EARLIEST), LATEST)
    window = window_of(since, until, zone)
    if window.since > (now or datetime.now(UTC)) or (window.until is not None and window.until <= window.since):
        return {"items": []}
    items = [
        *key_result_items(uow, window, team_id, zone),
        *objective_items(uow, window, team_id),
        *kpi_items(uow, window, team_id),
    ]
    items.sort(key=lambda item: (item["at"], -KINDS.index(item["kind"])), reverse=True)
    return {"items": items}


def key_result_items(uow: UnitOfWork, window: Window, team_id: int | None, zone: tzinfo = UTC) -> list[Row]:
    """Check-ins in the window and pace changes, each with the key result's score before and after."""
    ids = uow.changes.moved_key_results(objective_visibility(uow.actor), window, team_id)
    if not ids:
        return []
    key_results = uow.key_results.list_for("id", ids)
    objectives = {o.id: o for o in uow.objectives.list_for("id", [kr.objective_id for kr in key_results])}
    cycles = {c.id: c for c in uow.cycles.list()}
    check_ins = uow.changes.check_ins_until(ids, window)
    measurements = uow.changes.measurements_until([kr.kpi_id for kr in key_results], window)
    items: list[Row] = []
    for kr in key_results:
        objective = objectives[kr.objective_id]
        readings = measurements.get(kr.kpi_id, []) if kr.kpi_id is not None else []
        history = check_ins.get(kr.id or 0, [])
        items.extend(replay(kr, objective, cycles[objective.cycle_id], history, readings, window, zone))
    return items


def replay(
    kr: model.KeyResult,
    objective: model.Objective,
    cycle: model.Cycle,
    check_ins: Iterable[model.CheckIn],
    measurements: Iterable[model.Measurement],
    window: Window,
    zone: tzinfo = UTC,
) -> list[Row]:
    """The key result's values in time order, scored as they came in (pace on the day, in `zone`, of each value):
    items for those in the window."""
    cutoff = measurement_cutoff(cycle)
    events: list[tuple[datetime, int, int, model.CheckIn | model.Measurement]] = [
        (c.created_at, 0, c.id or 0, c) for c in check_ins
    ]
    events += [
        (m.at, 1, m.id or 0, m)
        for m in measurements
        if cutoff is None or (m.at <= cutoff and (m.recorded_at or m.at) <= cutoff)
    ]
    events.sort(key=lambda event: event[:3])
    last_check_in: model.CheckIn | None = None
    last_measurement: model.Measurement | None = None
    check_in_values: list[float] = []
    kpi_values: list[tuple[Any, float]] = []
    before = key_result_state(kr, cycle, None, None, [], [])
    status_before, confidence_before = "not_started", None
    items: list[Row] = []
    for at, _, _, event in events:
        if isinstance(event, model.CheckIn):
            last_check_in = event
            check_in_values.append(event.value)
        else:
            last_measurement = event
            kpi_values.append((event.at, event.value))
        state = key_result_state(kr, cycle, last_check_in, last_measurement, check_in_values, kpi_values)
        scored = replace(kr, score=float(state["score"]), current=state["current"])  # type: ignore[arg-type]
        status = key_result_status(scored, objective, cycle, at.astimezone(zone).date())
        if at >= window.since:
            common = {
                "at": at,
                "key_result_id": kr.id,
                "objective_id": objective.id,
                "score_before": before["score"],
                "score": state["score"],
                "status_before": status_before,
                "status": status,
                "value_before": before["current"],
                "value": state["current"],
                "title": kr.title,
                "objective_title": objective.title,
                "team_id": objective.team_id,
                "unit": kr.unit,
            }
            if isinstance(event, model.CheckIn):
                items.append(
                    {
                        "kind": "check_in",
                        **common,
                        "check_in_id": event.id,
                        "confidence_before": confidence_before,
                        "confidence": event.confidence,
                        "author_id": event.author_id,
                        "note": event.note,
                    }
                )
            if status != status_before:
                items.append({"kind": "status", **common, "cause": "check_in" if event is last_check_in else "kpi"})
        before, status_before = state, status
        if isinstance(event, model.CheckIn):
            confidence_before = event.confidence
    return items


def objective_items(uow: UnitOfWork, window: Window, team_id: int | None) -> list[Row]:
    """Objectives created, archived or closed in the window."""
    events = uow.changes.objective_events(objective_visibility(uow.actor), window, team_id)
    if not events:
        return []
    objectives = {o.id: o for o in uow.objectives.list_for("id", [e.objective_id for e in events])}
    items = []
    for event in events:
        objective = objectives[event.objective_id]
        items.append(
            {
                "kind": "objective",
                "at": event.at,
                "key_result_id": None,
                "objective_id": objective.id,
                "score_before": None,
                "score": None if event.change == "created" else objective.score,
                "change": event.change,
                "grade": objective.grade if event.change == "closed" else None,
                "title": objective.title,
                "objective_title": objective.title,
                "team_id": objective.team_id,
                "level": objective.level,
            }
        )
    return items


def kpi_items(uow: UnitOfWork, window: Window, team_id: int | None) -> list[Row]:
    """KPI colours that changed at a measurement in the window (the colour of the measurement before it, if any)."""
    found = uow.changes.kpi_measurements(window, team_id)
    if not found:
        return []
    kpis = {k.id: k for k in uow.kpis.list_for("id", found)}
    items = []
    for kpi_id, measurements in found.items():
        kpi = kpis[kpi_id]
        colour_before: str | None = None
        value_before: float | None = None
        for m in measurements:
            colour = kpi_colour(kpi, m.value)
            if m.at >= window.since and colour != colour_before:
                items.append(
                    {
                        "kind": "kpi_colour",
                        "at": m.at,
                        "key_result_id": None,
                        "objective_id": None,
                        "score_before": None,
                        "score": None,
                        "kpi_id": kpi_id,
                        "colour_before": colour_before,
                        "colour": colour,
                        "value_before": value_before,
                        "value": m.value,
                        "title": kpi.name,
                        "team_id": kpi.team_id,
                        "unit": kpi.unit,
                    }
                )
            colour_before, value_before = colour, m.value
    return items


WEEKS_SHOWN = 13  # a quarter of weeks in the page's picker


def changes_page(
    uow: UnitOfWork, today: date, since: date | None = None, team_id: int | None = None, zone: tzinfo = UTC
) -> Row:
    """The page: one ISO week's changes (default this week), grouped by kind, with the week and team pickers."""
    start = week_start(since or today)
    teams = uow.teams.list(include_archived=True)
    names = {team.id: team.name for team in teams}
    chosen = team_id if team_id in names else None
    items = changes(uow, start, start + timedelta(days=7), chosen, zone)["items"]
    for item in items:
        item["team"] = names.get(item["team_id"])
    this_week = week_start(today)
    mondays = sorted({this_week - timedelta(days=7 * i) for i in range(WEEKS_SHOWN)} | {start}, reverse=True)
    weeks = [_week(monday) for monday in mondays]
    return {
        "items": items,
        "by_kind": {kind: [item for item in items if item["kind"] == kind] for kind in KINDS},
        "counts": Counter(item["kind"] for item in items),
        "objective_counts": Counter(item["change"] for item in items if item["kind"] == "objective"),
        "since": start,
        "week": _week(start),
        "previous": start - timedelta(days=7),
        "next": start + timedelta(days=7) if start < this_week else None,
        "this_week": this_week,
        "weeks": weeks,
        "teams": sorted((t for t in teams if not t.archived), key=lambda t: t.name.lower()),
        "team_id": chosen,
    }


def _week(monday: date) -> Row:
    return {"since": monday, "last": monday + timedelta(days=6), "number": monday.isocalendar()[1]}
