"""Domain errors carry no HTTP status: koers.http.errors maps each class, or its nearest mapped base, to one."""

from __future__ import annotations

import pytest

from koers.bootstrap import DatabaseUnavailable
from koers.domain.errors import Conflict, KoersError, NotFound, PermissionDenied, ValidationError
from koers.http.errors import status_of, title_of
from koers.services.accounts import TooManyAttempts, Unauthenticated


class StaleVersion(Conflict):
    """A subclass no table lists: it answers as its base does."""


@pytest.mark.parametrize(
    ("error", "status", "title"),
    [
        (KoersError("bad"), 400, "Bad request"),
        (ValidationError("bad"), 422, "Invalid input"),
        (NotFound("gone"), 404, "Not found"),
        (Conflict("stale"), 409, "Conflict"),
        (StaleVersion("stale"), 409, "Conflict"),
        (PermissionDenied("no"), 403, "Forbidden"),
        (Unauthenticated("who"), 401, "Unauthorized"),
        (TooManyAttempts("slow down", retry_after=30), 429, "Too many requests"),
        (DatabaseUnavailable("down"), 503, "Database unavailable"),
        (RuntimeError("bug"), 500, "Internal server error"),
    ],
)
def test_each_error_answers_with_its_status_and_title(error: Exception, status: int, title: str) -> None:
    assert (status_of(error), title_of(error)) == (status, title)
