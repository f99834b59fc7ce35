"""Domain exceptions: every failure a user can cause has a clear message."""

from __future__ import annotations


class KoersError(Exception):
    """Base class of every error Koers reports to a user."""

    status = 400
    title = "Bad request"

    def __init__(self, message: str, *, field: str | None = None, location: str = "body") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.location = location  # where the field was sent: body, query, header


class ValidationError(KoersError):
    """Input that breaks a rule of the domain (target equal to baseline, end before start...)."""

    status = 422
    title = "Invalid input"


class NotFound(KoersError):
    """An id that does not exist (or that the user may not see)."""

    status = 404
    title = "Not found"


class Conflict(KoersError):
    """An edit based on a stale version, or a duplicate where one must be unique."""

    status = 409
    title = "Conflict"


class PermissionDenied(KoersError):
    """The user's role does not allow this change."""

    status = 403
    title = "Forbidden"
