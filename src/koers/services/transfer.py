"""Export and import of the whole organisation as one document (SPEC §5): all or nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from koers.domain import model
from koers.domain.errors import ValidationError
from koers.domain.validation import (
    one_of,
    validate_check_in,
    validate_check_in_value,
    validate_cycle,
    validate_grade_override,
    validate_initiative,
    validate_key_result,
    validate_kpi,
    validate_measurement,
    validate_objective,
)
from koers.services import audit
from koers.services import document as d
from koers.services.check_ins import FUTURE_TOLERANCE
from koers.services.findings import keep_findings
from koers.services.objectives import check_plan
from koers.services.organisation import add_user, check_team_tree, create_team, set_memberships
from koers.services.permissions import require_admin
from koers.services.read.views import key_result_view, kpi_view, objective_view
from koers.services.scores import recompute_all
from koers.storage.unit_of_work import UnitOfWork


def export_document(uow: UnitOfWork, today: date) -> dict[str, Any]:
    """Everything, in the document shape `import_document` reads back."""
    cycles = {c.id: c for c in uow.cycles.list()}
    users = [
        {
            "id": u.id,
            "email": u.email,
            "name": u.name,
            "role": u.role,
            "locale": u.locale,
            "team_ids": u.team_ids,
            "active": u.active,
        }
        for u in uow.users.list()
    ]
    check_ins: defaultdict[int | None, list[model.CheckIn]] = defaultdict(list)
    for c in uow.check_ins.list():
        check_ins[c.key_result_id].append(c)
    measurements: defaultdict[int | None, list[model.Measurement]] = defaultdict(list)
    for m in uow.measurements.list():
        measurements[m.kpi_id].append(m)
    krs: defaultdict[int | None, list[model.KeyResult]] = defaultdict(list)
    for kr in uow.key_results.list(include_archived=True):
        krs[kr.objective_id].append(kr)
    initiatives: defaultdict[int | None, list[model.Initiative]] = defaultdict(list)
    kr_objective = {kr.id: kr.objective_id for group in krs.values() for kr in group}
    for i in uow.initiatives.list(include_archived=True):
        owner = i.objective_id if i.objective_id is not None else kr_objective.get(i.key_result_id)
        initiatives[owner].append(i)
    objectives = []
    for o in uow.objectives.list(include_archived=True):
        cycle = cycles[o.cycle_id]
        view = objective_view(o, krs[o.id], cycle, today)
        view.pop("version")
        view["key_results"] = []
        for kr in krs[o.id]:
            kr_view = key_result_view(kr, o, cycle, today)
            kr_view.pop("version")
            kr_view["check_ins"] = [_history(c) for c in _by_time(check_ins[kr.id], "created_at")]
            view["key_results"].append(kr_view)
        view["initiatives"] = [_plain(i, drop=("version",)) for i in initiatives[o.id]]
        objectives.append(view)
    kpis = []
    for k in uow.kpis.list(include_archived=True):
        view = kpi_view(k)
        view.pop("version")
        view["measurements"] = [_history(m) for m in _by_time(measurements[k.id], "at")]
        kpis.append(view)
    return _jsonable(
        {
            "cycles": [_plain(c, drop=("version",)) for c in cycles.values()],
            "teams": [_plain(t, drop=("version",)) for t in uow.teams.list(include_archived=True)],
            "users": users,
            "kpis": kpis,
            "objectives": objectives,
        }
    )


def _by_time(rows: list[Any], field: str) -> list[Any]:
    return sorted(rows, key=lambda row: (getattr(row, field), row.id))


def _history(row: Any) -> dict[str, Any]:
    return asdict(row)


def _plain(entity: Any, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    data = asdict(entity)
    for name in drop:
        data.pop(name, None)
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class _Ids:
    """Maps the document's own ids to the database's, with clear errors for dangling references."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.known: dict[int, int] = {}

    def add(self, doc_id: int, db_id: int | None, where: str) -> None:
        if doc_id in self.known:
            raise ValidationError("document.duplicate_id", where=where, noun=self.label, id=doc_id)
        assert db_id is not None
        self.known[doc_id] = db_id

    def __call__(self, doc_id: int | None, where: str) -> int | None:
        if doc_id is None:
            return None
        if doc_id not in self.known:
            raise ValidationError("document.unknown_reference", where=where, noun=self.label, id=doc_id)
        return self.known[doc_id]


def import_document(uow: UnitOfWork, data: Any, append: bool = False) -> dict[str, int]:
    """Create everything in the document inside the caller's transaction; any error leaves the database as it was.

    Users, teams and cycles are matched by email and name; objectives and KPIs are always new, so importing into
    a database that already holds some is refused unless `append` says that is meant.
    """
    require_admin(uow, "admin_only.import_documents")
    doc = d.parse_document(data)
    if not append and (uow.objectives.list(include_archived=True) or uow.kpis.list(include_archived=True)):
        raise ValidationError("document.database_not_empty")
    users, teams, cycles, kpis, objectives, krs = (
        _Ids("user"), _Ids("team"), _Ids("cycle"), _Ids("KPI"), _Ids("objective"), _Ids("key result"),
    )  # fmt: skip
    counts: defaultdict[str, int] = defaultdict(int)
    for i, u in enumerate(doc.users):
        existing = uow.users.by_email(u.email.strip())
        user = existing or add_user(uow, u.email, role=u.role, name=u.name, locale=u.locale)
        if existing is None and not u.active:  # a disabled person stays disabled; an existing one keeps their state
            user.active = False
            uow.users.update(user)
        users.add(u.id, user.id, f"users[{i}]")
        counts["users"] += existing is None
    for i, t in enumerate(doc.teams):
        found = uow.teams.list(include_archived=True, name=t.name.strip())
        team = found[0] if found else create_team(uow, t.name)
        teams.add(t.id, team.id, f"teams[{i}]")
        counts["teams"] += not found
    for i, t in enumerate(doc.teams):
        team = uow.teams.get(teams(t.id, f"teams[{i}]") or 0)
        team.parent_id = teams(t.parent_id, f"teams[{i}].parent_id")
        team.lead_id = users(t.lead_id, f"teams[{i}].lead_id")
        team.archived = t.archived
        _within(f"teams[{i}]", check_team_tree, uow, team)
        uow.teams.update(team)
    for i, u in enumerate(doc.users):
        user = uow.users.get(users(u.id, f"users[{i}]") or 0)
        set_memberships(
            uow, user, sorted({*user.team_ids, *(teams(t, f"users[{i}].team_ids") or 0 for t in u.team_ids)})
        )
    for i, c in enumerate(doc.cycles):
        cycle = uow.cycles.by_name(c.name.strip())
        if cycle is None:
            cycle = model.Cycle(c.name, c.start_date, c.end_date, c.status, _aware(c.closed_at))
            _within(f"cycles[{i}]", validate_cycle, cycle)
            if cycle.status == "closed" and cycle.closed_at is None:
                cycle.closed_at = datetime.combine(cycle.end_date, datetime.max.time(), tzinfo=UTC)
            uow.cycles.add(cycle)
            counts["cycles"] += 1
        cycles.add(c.id, cycle.id, f"cycles[{i}]")
    for i, k in enumerate(doc.kpis):
        where = f"kpis[{i}]"
        kpi = model.Kpi(
            name=k.name, unit=k.unit, direction=k.direction, description=k.description, target=k.target,
            target_low=k.target_low, target_high=k.target_high, green_at=k.green_at, red_at=k.red_at,
            team_id=teams(k.team_id, f"{where}.team_id"), owner_id=users(k.owner_id, f"{where}.owner_id"),
            archived=k.archived,
        )  # fmt: skip
        _within(where, validate_kpi, kpi)
        uow.kpis.add(kpi)
        kpis.add(k.id, kpi.id, where)
        rows = []
        for j, m in enumerate(k.measurements):
            at = _past(m.at, f"{where}.measurements[{j}].at")
            # The moment it was recorded is history too: a closed cycle counts only what was recorded before
            # it closed, so an export read back scores the same (an older document without it: its `at`).
            recorded = at if m.recorded_at is None else _past(m.recorded_at, f"{where}.measurements[{j}].recorded_at")
            rows.append(
                _within(
                    f"{where}.measurements[{j}]",
                    _measurement,
                    kpi.id or 0,
                    m.value,
                    at,
                    m.source,
                    m.note,
                    None,
                    recorded,
                )
            )
        uow.measurements.add_many(rows)
        counts["kpis"] += 1
        counts["measurements"] += len(rows)
    for i, o in enumerate(doc.objectives):
        where = f"objectives[{i}]"
        objective = model.Objective(
            title=o.title, cycle_id=cycles(o.cycle_id, f"{where}.cycle_id") or 0, level=o.level, type=o.type,
            description=o.description, team_id=teams(o.team_id, f"{where}.team_id"),
            owner_id=users(o.owner_id, f"{where}.owner_id"), visibility=o.visibility, grade=o.grade, archived=o.archived,
            retrospective=o.retrospective,
        )  # fmt: skip
        if o.grade_override is not None:  # issue 15: a grade set by hand, checked like the form's
            objective.grade_override, objective.grade_note = _within(
                where, validate_grade_override, o.grade_override, o.grade_note
            )
            objective.grade_overridden_by = users(o.grade_overridden_by, f"{where}.grade_overridden_by")
            objective.grade_overridden_at = _aware(o.grade_overridden_at)
        _within(where, validate_objective, objective)
        uow.objectives.add(objective)
        objectives.add(o.id, objective.id, where)
        keep_findings(uow, "objective", objective.id, objective.title)  # the coach's flag, as any save keeps it
        counts["objectives"] += 1
    _check_alignment(doc)
    for i, o in enumerate(doc.objectives):
        if o.parent_id is not None:
            parent_id = objectives(o.parent_id, f"objectives[{i}].parent_id")
            uow.objectives.set_fields(objectives(o.id, "") or 0, parent_id=parent_id)
    for i, o in enumerate(doc.objectives):
        objective_id = objectives(o.id, "") or 0
        cycle = uow.cycles.get(cycles(o.cycle_id, "") or 0)  # a plan's points lie inside it
        for j, r in enumerate(o.key_results):
            where = f"objectives[{i}].key_results[{j}]"
            kr = model.KeyResult(
                objective_id=objective_id, title=r.title, kind=r.kind, unit=r.unit, baseline=r.baseline,
                target=r.target, target_low=r.target_low, target_high=r.target_high, weight=r.weight,
                owner_id=users(r.owner_id, f"{where}.owner_id"), kpi_id=kpis(r.kpi_id, f"{where}.kpi_id"),
                archived=r.archived, plan=r.plan, cadence_days=r.cadence_days,
            )  # fmt: skip
            _within(where, validate_key_result, kr)
            _within(where, check_plan, kr, cycle)
            uow.key_results.add(kr)
            krs.add(r.id, kr.id, where)
            keep_findings(uow, "key_result", kr.id, kr.title, kr.kind == "milestone")
            history = [_check_in(kr, c, users, f"{where}.check_ins[{n}]") for n, c in enumerate(r.check_ins)]
            uow.check_ins.add_many(history)
            counts["key_results"] += 1
            counts["check_ins"] += len(history)
        own_krs = {r.id for r in o.key_results}
        for j, n in enumerate(o.initiatives):
            where = f"objectives[{i}].initiatives[{j}]"
            if n.key_result_id is not None and n.key_result_id not in own_krs:
                raise ValidationError("document.foreign_key_result", where=where, id=n.key_result_id)
            initiative = model.Initiative(
                title=n.title, status=n.status, owner_id=users(n.owner_id, f"{where}.owner_id"), due_date=n.due_date,
                objective_id=None if n.key_result_id is not None else objective_id,
                key_result_id=krs(n.key_result_id, f"{where}.key_result_id"), archived=n.archived,
            )  # fmt: skip
            _within(where, validate_initiative, initiative)
            uow.initiatives.add(initiative)
            counts["initiatives"] += 1
    recompute_all(uow)
    audit.record(uow, "import", "document", None, None, dict(counts))
    return dict(counts)


def _check_in(kr: model.KeyResult, c: d.CheckInDoc, users: _Ids, where: str) -> model.CheckIn:
    value = _within(where, validate_check_in_value, kr.kind, c.value)
    if c.confidence is not None:
        _within(where, one_of, c.confidence, model.CONFIDENCES, "confidence")
    author = users(c.author_id, f"{where}.author_id")
    moment = _past(c.created_at, f"{where}.created_at")
    check_in = model.CheckIn(kr.id or 0, value, moment, c.confidence, c.note, author)
    _within(where, validate_check_in, check_in)
    return check_in


def _measurement(*fields: Any) -> model.Measurement:
    measurement = model.Measurement(*fields)
    validate_measurement(measurement)
    return measurement


def _check_alignment(doc: d.Document) -> None:
    parents = {o.id: o.parent_id for o in doc.objectives}
    levels = {o.id: o.level for o in doc.objectives}
    for i, o in enumerate(doc.objectives):
        seen, current = {o.id}, o.parent_id
        while current is not None:
            if current in seen:
                raise ValidationError("document.alignment_loop", index=i, id=o.id)
            seen.add(current)
            current = parents.get(current)
        if o.parent_id is not None and o.level == "strategic" and levels.get(o.parent_id) == "tactical":
            raise ValidationError("document.strategic_under_tactical", index=i)


def _within(where: str, check: Any, *args: Any) -> Any:
    """Run a domain check, prefixing its message with the place in the document."""
    try:
        return check(*args)
    except ValidationError as error:
        raise ValidationError("document.at", field=error.field, where=where, detail=error.message) from None


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _past(moment: datetime, where: str) -> datetime:
    aware = _aware(moment)
    assert aware is not None
    if aware > datetime.now(UTC) + FUTURE_TOLERANCE:
        raise ValidationError("document.in_future", where=where, moment=aware.isoformat())
    return aware
