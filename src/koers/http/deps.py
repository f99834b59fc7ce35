"""Dependencies that the API and the web pages share: the configured Koers, and ids within the database's range."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from koers.bootstrap import Koers
from koers.domain.fields import MAX_ID
from koers.services import login

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def get_koers(request: Request) -> Koers:
    """The Koers this app serves."""
    koers: Koers = request.app.state.koers
    return koers


KoersDep = Annotated[Koers, Depends(get_koers)]


def ids_in_range(request: Request) -> None:
    """404 for a path whose number is no record id (outside 1..2³¹−1): no such record, before any query runs.

    Put on every page router at once, so that no route can forget it (`{id:int}` takes any number of digits,
    which SQLite and PostgreSQL refuse with an error of their own).
    """
    for value in request.path_params.values():
        number = value if isinstance(value, int) else None
        if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
            number = int(value)
        if number is not None and not 1 <= number <= MAX_ID:
            raise HTTPException(404)


def client_address(request: Request) -> str:
    """The client's address, for the API and the web alike: X-Forwarded-For counts only from a trusted proxy."""
    peer = request.client.host if request.client else ""
    koers: Koers = request.app.state.koers
    return login.client_address(peer, request.headers.get("x-forwarded-for"), koers.settings.trusted_proxies)


ClientAddress = Annotated[str, Depends(client_address)]
