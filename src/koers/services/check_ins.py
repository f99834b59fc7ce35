"""Recording check-ins on key results: the key result's and its objectives' stored scores in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from koers.domain import model
from koers.domain.errors import ValidationError
from koers.domain.numbers import parse_check_in_value
from koers.domain.pace import elapsed, pace_status
from koers.domain.validation import one_of, validate_check_in, validate_check_in_value
from koers.services import audit, webhooks
from koers.services.permissions import can_check_in, require, visible_key_result
from koers.services.read.views import planned_expected_score
from koers.services.scores import refresh_key_result, refresh_objectives
from koers.storage.unit_of_work import UnitOfWork
from koers.vocabulary import confidence_code

MAX_NOTE = 5_000
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class ObjectiveScore:
    """An objective whose stored score a change moved."""

    id: int
    title: str
    score_before: float | None
    score: float | None


@dataclass(frozen=True)
class CheckInResult:
    """What a check-in changed: the check-in, its key result and objective as stored now, and every objective
    (up the alignment tree) whose stored score moved."""

    check_in: model.CheckIn
    key_result: model.KeyResult
    objective: model.Objective
    cycle: model.Cycle
    objectives: list[ObjectiveScore]

    def status(self, today: date) -> str:
        """The key result's pace status on `today`."""
        share = elapsed(today, self.cycle.start_date, self.cycle.end_date)
        kr = self.key_result
        expected = planned_expected_score(kr, self.objective, self.cycle, today)
        return pace_status(kr.score, kr.current is not None, share, self.objective.type, expected)


def record_check_in(
    uow: UnitOfWork,
    key_result_id: int,
    value: float | str,
    confidence: str | None = None,
    note: str = "",
    author_id: int | None = None,
    created_at: datetime | None = None,
    locale: str = "en",
    field: str = "value",
) -> CheckInResult:
    """Append a check-in and update the key result's and its objectives' stored scores; what changed.

    A `value` given as text is read as people type it in `locale`, knowing the key result's unit and kind
    (`domain.numbers.parse_check_in_value`: `23,5%`, `€ 1.200`, `klaar` for a milestone); an error names `field`."""
    kr, objective = visible_key_result(uow, key_result_id)
    require(can_check_in(uow.actor, kr, objective), "check_in.forbidden", id=key_result_id)
    if kr.archived:
        raise ValidationError("key_result.archived", id=key_result_id)
    cycle = uow.cycles.get(objective.cycle_id)
    if cycle.status == "closed":
        raise ValidationError("check_in.cycle_closed", name=cycle.name)
    if isinstance(value, str):
        value = parse_check_in_value(value, locale, field=field, kind=kr.kind, unit=kr.unit)
    number = validate_check_in_value(kr.kind, value)
    if confidence is not None:  # the codes, or the words people type for them (Dutch too): koers.vocabulary
        confidence = confidence_code(confidence) or one_of(confidence, model.CONFIDENCES, "confidence")
    check_in = model.CheckIn(
        key_result_id=key_result_id,
        value=number,
        created_at=checked_moment(created_at, "created_at"),
        confidence=confidence,
        note=checked_note(note),
        author_id=author_id,
    )
    validate_check_in(check_in)
    uow.check_ins.add(check_in)
    refresh_key_result(uow, kr, cycle)
    changed = refresh_objectives(uow, [kr.objective_id])
    audit.record(uow, "check_in", "key_result", key_result_id, None, check_in)
    if objective.id in changed:
        objective.score = changed[objective.id][1]
    titles = {o.id: o.title for o in uow.objectives.list_for("id", changed)} if changed else {}
    scores = [ObjectiveScore(i, titles.get(i, ""), before, after) for i, (before, after) in changed.items()]
    result = CheckInResult(check_in, kr, objective, cycle, scores)
    webhooks.check_in_recorded(uow, check_in, kr, objective, result.status(date.today()))  # the outbox (issue 11)
    return result


def checked_moment(moment: datetime | None, field: str) -> datetime:
    """The moment something was recorded: now when not given, UTC, and not in the future."""
    now = datetime.now(UTC)
    if moment is None:
        return now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment > now + FUTURE_TOLERANCE:
        raise ValidationError("moment.in_future", field=field, name=field, moment=moment.isoformat())
    return moment


def checked_note(note: str | None) -> str:
    """A note without surrounding blanks, refused when too long."""
    text = (note or "").strip()
    if len(text) > MAX_NOTE:
        raise ValidationError("note.too_long", field="note", max=MAX_NOTE)
    return text
