"""Schemas of the integrations (issue 11): webhooks and their delivery log, team reminders, a person's mail and chat
settings, and the chat platforms' answers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from koers.api.schemas.common import Locale, Public, Strict, Text

Event = Literal["check_in.recorded", "measurement.recorded", "key_result.status_changed", "cycle.closed"]
WebhookFormat = Literal["koers", "slack", "teams"]
MailChoice = Literal["weekly", "per_team", "off"]


class WebhookCreate(Strict):
    url: Text = Field(min_length=1, max_length=2000, description="An http(s) URL; private addresses are refused.")
    events: list[Event] = Field(min_length=1, max_length=4)
    secret: Text | None = Field(
        None, max_length=200, description="Signs each body: X-Koers-Signature: sha256=<hex HMAC-SHA256>. Never shown."
    )
    format: WebhookFormat = Field("koers", description="koers (the event as JSON), slack or teams (a message).")
    lang: Locale = Field("nl", description="The language of slack and teams messages.")


class WebhookPublic(Public):
    id: int
    url: str
    events: list[str]
    format: WebhookFormat
    lang: Locale
    has_secret: bool
    created_at: datetime
    created_by: int | None
    pending: int
    delivered: int
    failed: int


class WebhookPage(Public):
    items: list[WebhookPublic]
    next_cursor: str | None = None


class DeliveryPublic(Public):
    id: int
    event: str
    event_id: int
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    response_status: int | None
    error: str
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None


class DeliveryPage(Public):
    items: list[DeliveryPublic]
    next_cursor: str | None = None


class TeamReminder(Strict):
    enabled: bool = True
    weekday: int = Field(0, ge=0, le=6, description="0 = Monday … 6 = Sunday")
    hour: int = Field(9, ge=0, le=23, description="In KOERS_TIMEZONE (default Europe/Amsterdam).")


class TeamReminderPublic(Public):
    team_id: int
    enabled: bool
    weekday: int
    hour: int


class PreferencesUpdate(Strict):
    mail: MailChoice | None = Field(None, description="weekly (one mail a week), per_team (one per team) or off.")
    slack_user_id: Text | None = Field(None, max_length=40, description="Your Slack member id (U…); empty removes it.")
    teams_user_id: Text | None = Field(
        None, max_length=100, description="Your Azure AD object id, as Teams sends it; empty removes it."
    )


class PreferencesPublic(Public):
    user_id: int
    mail: MailChoice
    slack_user_id: str | None
    teams_user_id: str | None


class SlackAnswer(Public):
    response_type: Literal["ephemeral", "in_channel"]
    text: str


class TeamsAnswer(Public):
    type: Literal["message"]
    text: str
