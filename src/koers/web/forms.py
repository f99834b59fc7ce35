"""Reading forms as people fill them in: the typed values, what was wrong with each, and values shown back."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, TypeVar

from babel.numbers import format_decimal
from fastapi import Depends, Request
from starlette.datastructures import FormData

from koers.domain import model
from koers.domain.dates import parse_day
from koers.domain.errors import KoersError, ValidationError
from koers.domain.fields import MAX_ID
from koers.domain.numbers import parse_number
from koers.http.errors import status_of
from koers.web import i18n
from koers.web.i18n import gettext_ as _
from koers.web.session import Changer, Viewer
from koers.wording import localise

T = TypeVar("T")


def number(text: str | None, name: str, required: bool = True) -> float | None:
    """A number typed the reader's way (7,5 and 1.234,5 in Dutch; 7.5 and 1,234.5 in English), or a clear error."""
    if not (text or "").strip():
        if required:
            raise ValidationError("text.empty", field=name, name=name)
        return None
    return parse_number(str(text), i18n.current_locale.get(), field=name)


def record_id(text: str) -> int | None:
    """A record id as a select sends it (ASCII digits, 1..2³¹−1), or None: `²` and twenty digits are no id."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


# --- who fills in the form, in which language -----------------------------------------------------------------


async def reading(request: Request, user: Viewer) -> model.User:
    """The logged-in user; texts made in Python (errors, labels) speak the page's language."""
    i18n.current_locale.set(getattr(request.state, "locale", i18n.DEFAULT_LOCALE))
    return user


async def writing(request: Request, user: Changer) -> model.User:
    """The logged-in, CSRF-checked user; texts made in Python speak the page's language."""
    i18n.current_locale.set(getattr(request.state, "locale", i18n.DEFAULT_LOCALE))
    return user


async def posted(request: Request) -> FormData:
    """The posted form."""
    return await request.form()


Reader = Annotated[model.User, Depends(reading)]
Writer = Annotated[model.User, Depends(writing)]
Typed = Annotated[FormData, Depends(posted)]


# --- what was typed, and what was wrong with it ---------------------------------------------------------------


@dataclass
class Entered:
    """What someone typed into a form, and what was wrong with it (per field, or for the whole form)."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    status: int = 200

    @classmethod
    def read(cls, form: FormData, names: Iterable[str], lists: Iterable[str] = (), new: bool = False) -> Entered:
        """The fields a form sent (absent fields stay absent: an edit changes only what it sends).

        For a `new` record an absent field counts as left empty, so that the domain names what is missing
        instead of the record being built without it.
        """
        values: dict[str, Any] = {}
        for name in names:
            value = form.get(name, "" if new else None)
            if isinstance(value, str):
                values[name] = value
        for name in lists:
            if name in form:
                values[name] = [v for v in form.getlist(name) if isinstance(v, str) and v]
        return cls(values)

    def fail(self, error: KoersError, aliases: Mapping[str, str] | None = None) -> None:
        """Put a service's error next to its field, or above the form when no field of this form caused it."""
        name = (aliases or {}).get(error.field or "", error.field or "")
        message = localise(error)
        if name in self.values:
            self.errors[name] = message
        else:
            self.problem = message
        self.status = status_of(error)

    def attempt(self, action: Callable[[], T], aliases: Mapping[str, str] | None = None) -> T | None:
        """Run a save unless the typing was already wrong; None (with the error kept) when it fails."""
        if self.errors:
            self.status = 422
            return None
        try:
            return action()
        except KoersError as error:
            self.fail(error, aliases)
            return None

    def text(self, *names: str) -> dict[str, str]:
        """The sent text fields, as typed."""
        return {name: self.values[name] for name in names if name in self.values}

    def number(self, name: str, required: bool = False) -> float | None:
        """A number typed the reader's way; a clear error next to the field otherwise."""
        try:
            return number(self.values.get(name), name, required)
        except ValidationError as error:
            self.errors[name] = localise(error)
            return None

    def _filled(self, name: str, required: bool) -> str | None:
        """A field's text, or None when it was left empty (an error next to it when it must be filled in)."""
        text = str(self.values.get(name) or "").strip()
        if not text and required:
            self.errors[name] = _("This field is required.")
        return text or None

    def ident(self, name: str, required: bool = False) -> int | None:
        """The id chosen in a select (None for the empty choice)."""
        text = self._filled(name, required)
        if text is None:
            return None
        chosen = record_id(text)
        if chosen is None:
            self.errors[name] = _("Choose one of the options.")
        return chosen

    def ids(self, name: str) -> list[int]:
        """The ids chosen in a multiple select."""
        chosen = [record_id(v) for v in self.values.get(name) or []]
        if None in chosen:
            self.errors[name] = _("Choose one of the options.")
            return []
        return [v for v in chosen if v is not None]

    def day(self, name: str, required: bool = False) -> date | None:
        """A date from a date field: ISO (what a date picker sends), or dd-mm-jjjj typed by a Dutch reader."""
        text = self._filled(name, required)
        if text is None:
            return None
        try:
            return parse_day(text, i18n.current_locale.get(), field=name)
        except ValidationError as error:
            self.errors[name] = localise(error)
            return None

    def numbers(self, *names: str) -> dict[str, float | None]:
        """The sent number fields, parsed."""
        return {name: self.number(name) for name in names if name in self.values}

    def choices(self, *names: str) -> dict[str, int | None]:
        """The sent id selects, parsed."""
        return {name: self.ident(name) for name in names if name in self.values}


def shown(value: Any) -> str:
    """A stored value as it goes back into a form field (numbers in the reader's notation, without grouping)."""
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        if not math.isfinite(value) or abs(value) > i18n.HUGE:  # old data past the limits: shown, refused on save
            return str(value) if not math.isfinite(value) else i18n.number(value)
        return format_decimal(value, format="0.######", locale=i18n.current_locale.get())
    return str(value)


def filled(entity: Any, names: Iterable[str]) -> dict[str, Any]:
    """The form values of a stored entity."""
    return {name: shown(getattr(entity, name)) for name in names}
