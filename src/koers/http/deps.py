"""Dependencies that the API and the web pages share: the configured Koers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from koers.bootstrap import Koers


def get_koers(request: Request) -> Koers:
    """The Koers this app serves."""
    koers: Koers = request.app.state.koers
    return koers


KoersDep = Annotated[Koers, Depends(get_koers)]
