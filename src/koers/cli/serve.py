"""`koers serve`: the HTTP API and the web interface on one address, with the background jobs in-process."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from koers.cli.context import console, koers
from koers.services import accounts
from koers.services.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, is_empty, load_demo
from koers.services.passwords import hash_password, verify_password


def register(app: typer.Typer) -> None:
    """Add this module's command to the app."""
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Load the demo into an empty database first.")] = False,
) -> None:
    """Serve Koers over HTTP: the API under /api/v1, interactive docs at /api/docs."""
    import uvicorn

    from koers.http.app import create_app

    app_ = koers()
    token, unchanged = None, False
    if demo:
        with app_.uow() as uow:
            if is_empty(uow):
                load_demo(uow, password_hash=hash_password(DEMO_ADMIN_PASSWORD))
            admin = uow.users.by_email(DEMO_ADMIN_EMAIL)
            if admin is not None and admin.id is not None:
                token, _ = accounts.create_token(uow, admin.id, "koers serve --demo")
                unchanged = verify_password(uow.users.password_hash(admin.id), DEMO_ADMIN_PASSWORD)
    address = f"http://{host}:{port}"
    console.print(
        Text.assemble("Koers is running at ", (address, "bold"), f"  (API {address}/api/v1, docs {address}/api/docs)")
    )
    if demo and token and unchanged:
        console.print(
            Text.assemble("Log in as ", (DEMO_ADMIN_EMAIL, "bold"), " with password ", (DEMO_ADMIN_PASSWORD, "bold"))
        )
        console.print(
            f"That password is public: change it at {address}/profile (or with `koers user set-password`) "
            "before anyone else can reach this server."
        )
        console.print(Text.assemble("API token for that admin: ", (token, "bold")))
        console.print(f'Try: curl -H "Authorization: Bearer {token}" {address}/api/v1/objectives')
    if app_.settings.scheduler:
        console.print(
            f"Background jobs (data sources, webhooks, reminders) run every {app_.settings.scheduler_tick_seconds} s "
            "in this process (KOERS_SCHEDULER=0 leaves them to `koers sync`)."
        )
    # proxy_headers=False: uvicorn would believe X-Forwarded-For from 127.0.0.1; Koers decides (KOERS_TRUSTED_PROXIES).
    uvicorn.run(
        create_app(app_, scheduler=app_.settings.scheduler),
        host=host,
        port=port,
        log_level="info",
        server_header=False,
        proxy_headers=False,
    )
