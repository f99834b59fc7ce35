"""Domain exceptions: a code and its parameters; adapters map them to a status and a localised message."""

from __future__ import annotations

from typing import Any

from koers.domain.messages import MESSAGES

LITERAL = "message"  # transitional code of a raise site that still passes English text


class KoersError(Exception):
    """Base class of every error Koers reports to a user."""

    def __init__(self, code: str, /, *, field: str | None = None, location: str = "body", **params: Any) -> None:
        if code not in MESSAGES:
            # An unconverted raise site: its argument is the English text itself.
            params = {"text": code, **params}
            code = LITERAL
        self.code = code
        self.params = params
        self.field = field
        self.location = location  # where the field was sent: body, query, header
        super().__init__(self.message)

    @property
    def template(self) -> str:
        """The English template of this error's code."""
        return MESSAGES[self.code]

    @property
    def message(self) -> str:
        """The English text of this error."""
        return self.template.format(**self.params)


class ValidationError(KoersError):
    """Input that breaks a rule of the domain (target equal to baseline, end before start...)."""


class NotFound(KoersError):
    """An id that does not exist (or that the user may not see)."""


class Conflict(KoersError):
    """An edit based on a stale version, or a duplicate where one must be unique."""


class PermissionDenied(KoersError):
    """The user's role does not allow this change."""
