"""Webhooks (admins), team reminder moments, a person's mail and chat settings, and check-ins from Slack and Teams."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, status

from koers.api.deps import CurrentUser, KoersDep, ReadUow
from koers.api.routes.resources import ERRORS, ResourceId
from koers.api.schemas import integrations as s
from koers.domain.model import User
from koers.services import chat, reminders, webhooks
from koers.storage.unit_of_work import UnitOfWork

router = APIRouter(responses=ERRORS)


@router.post(
    "/webhooks",
    response_model=s.WebhookPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["webhooks"],
    summary="Subscribe a URL to events (admins); its secret signs every body and is never shown again",
    operation_id="create_webhook",
)
def create_webhook(koers: KoersDep, user: CurrentUser, body: s.WebhookCreate) -> Any:
    with koers.uow(actor=user) as uow:
        return webhooks.create_webhook(
            uow, body.url, body.events, body.secret, body.format, body.lang, secret_key=koers.settings.secret_key
        )


@router.get(
    "/webhooks",
    response_model=s.WebhookPage,
    tags=["webhooks"],
    summary="Every webhook with its delivery counts (admins)",
    operation_id="list_webhooks",
)
def list_webhooks(uow: ReadUow) -> dict[str, Any]:
    return {"items": webhooks.list_webhooks(uow), "next_cursor": None}


@router.get(
    "/webhooks/{record_id}",
    response_model=s.WebhookPublic,
    tags=["webhooks"],
    summary="One webhook (admins)",
    operation_id="get_webhook",
)
def get_webhook(uow: ReadUow, record_id: ResourceId) -> Any:
    return webhooks.get_webhook(uow, record_id)


@router.delete(
    "/webhooks/{record_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["webhooks"],
    summary="Stop a webhook and forget its delivery log (admins)",
    operation_id="delete_webhook",
)
def delete_webhook(koers: KoersDep, user: CurrentUser, record_id: ResourceId) -> None:
    with koers.uow(actor=user) as uow:
        webhooks.delete_webhook(uow, record_id)


@router.get(
    "/webhooks/{record_id}/deliveries",
    response_model=s.DeliveryPage,
    tags=["webhooks"],
    summary="A webhook's delivery log, newest first: attempts, answers, next attempt (admins)",
    operation_id="list_webhook_deliveries",
)
def list_deliveries(uow: ReadUow, record_id: ResourceId) -> dict[str, Any]:
    return {"items": webhooks.deliveries(uow, record_id), "next_cursor": None}


@router.get(
    "/teams/{record_id}/reminders",
    response_model=s.TeamReminderPublic,
    tags=["teams"],
    summary="A team's weekly check-in reminder moment",
    operation_id="get_team_reminders",
)
def get_team_reminders(uow: ReadUow, record_id: ResourceId) -> Any:
    return reminders.team_reminder(uow, record_id)


@router.put(
    "/teams/{record_id}/reminders",
    response_model=s.TeamReminderPublic,
    tags=["teams"],
    summary="Set a team's reminder day and hour, or switch them off (admins and the team's lead)",
    operation_id="set_team_reminders",
)
def set_team_reminders(koers: KoersDep, user: CurrentUser, record_id: ResourceId, body: s.TeamReminder) -> Any:
    with koers.uow(actor=user) as uow:
        return reminders.set_team_reminder(uow, record_id, body.enabled, body.weekday, body.hour)


@router.get(
    "/users/{record_id}/preferences",
    response_model=s.PreferencesPublic,
    tags=["users"],
    summary="A person's mail choice and Slack and Teams ids (themselves and admins)",
    operation_id="get_preferences",
)
def get_preferences(uow: ReadUow, record_id: ResourceId) -> Any:
    return reminders.preferences(uow, record_id)


@router.put(
    "/users/{record_id}/preferences",
    response_model=s.PreferencesPublic,
    tags=["users"],
    summary="Change a person's mail choice or chat ids (themselves and admins); fields left out stay",
    operation_id="set_preferences",
)
def set_preferences(koers: KoersDep, user: CurrentUser, record_id: ResourceId, body: s.PreferencesUpdate) -> Any:
    with koers.uow(actor=user) as uow:
        return reminders.set_preferences(uow, record_id, body.model_dump(exclude_unset=True))


# --- chat: the platforms call these; the request signature is the credential, not a bearer token ---

CHAT_ERRORS: dict[int | str, dict[str, Any]] = {
    401: ERRORS[401] | {"description": "Wrong or missing signature, or a timestamp older than 5 minutes."}
}


def _acting(koers: KoersDep) -> Any:
    def opened(actor: User | None) -> UnitOfWork:
        return koers.uow(actor=actor)

    return opened


@router.post(
    "/chat/slack",
    response_model=s.SlackAnswer,
    tags=["chat"],
    summary="Slack slash command `/koers checkin KR_ID VALUE [note]` or `/koers status` (Slack-signed, no token)",
    operation_id="slack_command",
    responses=CHAT_ERRORS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "user_id": {"type": "string"},
                            "command": {"type": "string"},
                            "text": {"type": "string"},
                        },
                    }
                }
            },
        },
        "parameters": [
            {"name": "X-Slack-Request-Timestamp", "in": "header", "required": False, "schema": {"type": "string"}},
            {"name": "X-Slack-Signature", "in": "header", "required": False, "schema": {"type": "string"}},
        ],
    },
)
async def slack_command(request: Request, koers: KoersDep) -> dict[str, Any]:
    body = await request.body()
    now = datetime.now(UTC)
    chat.verify_slack(
        koers.settings.slack_signing_secret,
        request.headers.get("x-slack-request-timestamp"),
        body,
        request.headers.get("x-slack-signature"),
        now,
    )
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True).items()}
    from starlette.concurrency import run_in_threadpool

    text = await run_in_threadpool(
        chat.run_command, _acting(koers), "slack", form.get("user_id", ""), form.get("text", ""), now
    )
    return {"response_type": "ephemeral", "text": text}


@router.post(
    "/chat/teams",
    response_model=s.TeamsAnswer,
    tags=["chat"],
    summary="Microsoft Teams outgoing webhook: `@Koers checkin KR_ID VALUE [note]` or `@Koers status` (HMAC-signed)",
    operation_id="teams_message",
    responses=CHAT_ERRORS,
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
        "parameters": [{"name": "Authorization", "in": "header", "required": False, "schema": {"type": "string"}}],
    },
)
async def teams_message(request: Request, koers: KoersDep) -> dict[str, Any]:
    body = await request.body()
    now = datetime.now(UTC)
    try:
        activity = json.loads(body)
    except ValueError:
        activity = None
    activity = activity if isinstance(activity, dict) else {}
    sent_at = activity.get("timestamp")
    chat.verify_teams(
        koers.settings.teams_webhook_secret,
        body,
        request.headers.get("authorization"),
        sent_at if isinstance(sent_at, str) else None,
        now,
    )
    sender = activity.get("from")
    found = sender.get("aadObjectId") if isinstance(sender, dict) else None
    person = found if isinstance(found, str) else ""
    typed = activity.get("text")
    text = typed if isinstance(typed, str) else ""
    from starlette.concurrency import run_in_threadpool

    answer = await run_in_threadpool(chat.run_command, _acting(koers), "teams", person, text, now)
    return {"type": "message", "text": answer}
