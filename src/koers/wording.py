"""Domain errors in the reader's language, chosen by the error's code (never by matching its English text).

One renderer for every adapter that words errors for people: the web pages and the CLI (the API answers in
English, the problem's `detail` being the domain's own message).

An error's message is its code's template from `koers.domain.messages.MESSAGES`, translated through the catalogue
(web/translations/nl/errors.po), with its parameters written the reader's way: numbers in the locale's notation,
field names as the form labels them. Where a form says it more plainly next to the field (WORDING), that wording,
chosen by the same code, is used instead.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from koers.domain.errors import KoersError
from koers.domain.fields import ENTITIES
from koers.domain.messages import MESSAGES
from koers.i18n import HUGE, current_locale, day, moment, number
from koers.i18n import gettext_ as _
from koers.vocabulary import N_

NOT_ALLOWED = N_("You are not allowed to do this.")
CLOSED = N_("Cycle {name} is closed: it no longer accepts changes.")
TAKEN = N_("That name or email address is already in use.")
MILESTONE = N_("A milestone is 0 (not done) or 1 (done).")
AS_GIVEN = N_("{text}")  # an unconverted raise site's own text, passed through (marked, so a refresh keeps it)

# The form's wording by code; "*.stale" stands for every code ending in ".stale", "admin_only.*" for every code
# starting with "admin_only.". Placeholders are the code's own parameters.
WORDING: dict[str, str] = {
    "*.not_found": N_("This no longer exists."),
    "*.stale": N_("Someone else changed this in the meantime. Reload the page and try again."),
    "*.change_forbidden": NOT_ALLOWED,
    "*.add_forbidden": NOT_ALLOWED,
    "*.archive_forbidden": NOT_ALLOWED,
    "*.create_forbidden": NOT_ALLOWED,
    "*.team_forbidden": NOT_ALLOWED,
    "*.forbidden": NOT_ALLOWED,
    "*.cycle_closed": CLOSED,
    "admin_only.*": NOT_ALLOWED,
    "token.for_others": NOT_ALLOWED,
    "user.disable_self": NOT_ALLOWED,
    "cycle.closed_frozen": CLOSED,
    "key_result.increase_target": N_(
        "An increase needs a target above its baseline (baseline {baseline}, target {target})."
    ),
    "key_result.decrease_target": N_(
        "A decrease needs a target below its baseline (baseline {baseline}, target {target})."
    ),
    "key_result.range_inverted": N_("The lowest value of the range ({low}) must not be above the highest ({high})."),
    "key_result.needs_value_a": N_("This kind of key result needs a {name}."),
    "key_result.needs_value_an": N_("This kind of key result needs a {name}."),
    "key_result.weight_not_positive": N_("The weight must be greater than 0."),
    "key_result.milestone_target": MILESTONE,
    "check_in.milestone_value": MILESTONE,
    "check_in.milestone_word": N_("A milestone is done or not done: type done, not done, 1 or 0."),
    "number.wrong_unit": N_("This key result counts in {unit}, not in {typed}."),
    "key_result.archived": N_("This key result is archived."),
    "moment.in_future": N_("That moment lies in the future."),
    "user.email_invalid": N_("That is not a valid email address."),
    "user.email_taken": TAKEN,
    "team.name_taken": TAKEN,
    "cycle.name_taken": TAKEN,
    "objective.alignment_loop": N_("That alignment would make a loop."),
    "objective.strategic_under_tactical": N_("A strategic objective cannot align under a tactical one."),
    "cycle.end_before_start": N_("The end date must be after the start date."),
    "text.empty": N_("This field is required."),
    "field.not_one_of": N_("Choose one of the options."),
    "number.unreadable": N_("{name} must be a number: write it as {plain} or {grouped}."),
    "number.invalid": N_("{name} must be a number"),
    "number.not_finite": N_("{name} must be a number"),
    "password.too_short": N_("A password needs at least {min} characters."),
    "password.too_long": N_("A password has at most {max} characters."),
    "kpi.range_needs_bounds": N_("A KPI within a range needs its lowest and highest value."),
    "kpi.range_inverted": N_("The lowest value must not be above the highest."),
    "kpi.red_above_green": N_("Red ({red}) must not lie above green ({green}) when higher is better."),
    "kpi.red_below_green": N_("Red ({red}) must not lie below green ({green}) when lower is better."),
    "kpi.range_green_negative": N_("For a KPI within a range, green is a distance: 0 or more."),
    "text.too_long": N_("This is too long: at most {max} characters."),
    "team.loop": N_("A team cannot sit under one of its own sub-teams."),
    "cycle.create_closed": N_("A new cycle cannot start closed."),
    "cycle.close_separately": N_("Closing a cycle grades its objectives; that is a separate step."),
    "cycle.already_closed": N_("This cycle is already closed."),
    "user.disabled": N_("This user is disabled."),
    "user.last_admin": N_("This is the last admin: make someone else admin first."),
    "initiative.parent_ambiguous": N_("Choose the objective or key result this work should move."),
    "token.expiry_past": N_("That date has already passed."),
    "date.invalid": N_("Enter a date as YYYY-MM-DD."),
}

# Field names as the forms label them (a parameter `name` that is a field is shown as its label): every field's
# label as domain/fields.py declares it, where all entities agree on it; this table first, for the rest.
LABELS: dict[str, str] = {
    "parent_id": N_("Aligned under"),
    "expires": N_("Valid until"),
    "expires_at": N_("Valid until"),
    "plan_points": N_("Plan points"),
    "title": N_("Title"),
    "description": N_("Description"),
    "name": N_("Name"),
    "unit": N_("Unit"),
    "baseline": N_("Baseline"),
    "target": N_("Target"),
    "target_low": N_("Lowest value of the range"),
    "target_high": N_("Highest value of the range"),
    "green_at": N_("Green from"),
    "red_at": N_("Red from"),
    "weight": N_("Weight"),
    "value": N_("Value"),
}


def _declared_labels() -> dict[str, str]:
    """Each field name's declared label, for the names whose label is the same in every entity that has them."""
    labels: dict[str, set[str]] = {}
    for entity in ENTITIES.values():
        for name, declared in entity.fields.items():
            labels.setdefault(name, set()).add(declared.label)
    return {name: next(iter(found)) for name, found in labels.items() if len(found) == 1}


LABELS = _declared_labels() | LABELS
# Parameters that name a record or a place, never a quantity: written as is (id 1234, not 1.234).
PLAIN_NUMBERS = {"id", "parent_id", "index", "number", "line", "column", "version"}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def template_of(code: str) -> str:
    """The English template a form shows for an error code."""
    head, _dot, tail = code.partition(".")
    for key in (code, f"*.{tail}", f"{head}.*"):
        if key in WORDING:
            return WORDING[key]
    return MESSAGES.get(code, AS_GIVEN)


def localised_number(value: float, spec: str = "g") -> str:
    """A number with the precision `spec` gives it (g, .4g, .1f, d), in the reader's notation (7,5 in Dutch)."""
    if not math.isfinite(value) or abs(value) > HUGE:  # old data past the limits: never fail the message
        return number(value, 6)
    english = format(value, spec or "g")
    if "e" in english or "n" in english:  # exponents, inf, nan: as the locale writes a plain number
        return number(value, 6)
    decimals = len(english.partition(".")[2])
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(float(english), format=pattern, locale=current_locale.get())


def label(field: str, starts: bool) -> str:
    """A field's label in the reader's language: as declared at the start of a sentence, else in lower case
    (`heeft een streefwaarde nodig`), except for a word in capitals such as KPI."""
    text = _(LABELS[field])
    if starts or text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def written(name: str, value: Any, spec: str, conversion: str | None, starts: bool) -> str:
    """One parameter the reader's way: a field name as its label, a number and a date in the locale's notation;
    what the person typed (`!r`) exactly as typed."""
    if conversion == "r":
        return repr(value)
    if name == "name" and isinstance(value, str) and value in LABELS:
        return label(value, starts)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if name in PLAIN_NUMBERS or name.endswith("_id"):
            return str(value)
        return localised_number(float(value), spec or "g")
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date) or (isinstance(value, str) and ISO_DAY.fullmatch(value)):
        try:
            return day(value if isinstance(value, date) else date.fromisoformat(value))
        except ValueError:
            return str(value)
    return str(value)


def fill(template: str, params: Mapping[str, Any]) -> str:
    """A translated template with its parameters written the reader's way (a missing one stays empty)."""
    pieces: list[str] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        pieces.append(literal)
        if name is None:
            continue
        starts = not "".join(pieces).strip() or "".join(pieces).rstrip().endswith((".", "?", "!"))
        pieces.append(written(name, params.get(name, ""), spec or "", conversion, starts))
    return "".join(pieces)


def localise(error: KoersError) -> str:
    """The error's message in the current language, by its code."""
    return fill(_(template_of(error.code)), error.params)
