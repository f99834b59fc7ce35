"""Events as people read them in a chat channel: a line of text in the webhook's language, and the Slack or Microsoft
Teams message that carries it.

Slack incoming webhooks take `{"text": ..., "blocks": [...]}` (the text is the notification fallback). Teams takes an
Adaptive Card in a message (`{"type": "message", "attachments": [{"contentType":
"application/vnd.microsoft.card.adaptive", "content": {...}}]}`), which both the Workflows webhook ("Post to a channel
when a webhook request is received") and the older incoming webhook connectors show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from koers import i18n
from koers.vocabulary import label


def N_(message: str) -> str:
    return message


def _(message: str) -> str:
    return i18n.gettext_(message)


def _status(code: str | None) -> str:
    return _(label(code)) if code else "–"


def _value(value: Any, unit: str | None) -> str:
    if value is None:
        return "–"
    text = i18n.number(float(value), 2)
    return f"{text} {unit}".rstrip() if unit else text


def summary(event: str, payload: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """The title and one line of text about an event, in `lang` (nl or en)."""
    token = i18n.current_locale.set(lang if lang in i18n.LOCALES else i18n.DEFAULT_LOCALE)
    try:
        return _summary(event, payload)
    finally:
        i18n.current_locale.reset(token)


def _summary(event: str, payload: Mapping[str, Any]) -> tuple[str, str]:
    kr = payload.get("key_result") or {}
    if event == "check_in.recorded":
        author = payload.get("author") or {}
        check_in = payload.get("check_in") or {}
        who = author.get("name") or author.get("email") or _("Someone")
        text = _("{who} checked in on “{title}”: {value} (score {score}, {status}).").format(
            who=who,
            title=kr.get("title", ""),
            value=_value(check_in.get("value"), kr.get("unit")),
            score=i18n.score(kr.get("score")),
            status=_status(kr.get("status")),
        )
        if check_in.get("note"):
            text += " " + _("Note: {note}").format(note=check_in["note"])
        return _("New check-in"), text
    if event == "measurement.recorded":
        kpi = payload.get("kpi") or {}
        measurement = payload.get("measurement") or {}
        text = _("KPI “{name}” measured: {value} ({status}).").format(
            name=kpi.get("name", ""),
            value=_value(measurement.get("value"), kpi.get("unit")),
            status=_status(kpi.get("status")),
        )
        return _("New measurement"), text
    if event == "key_result.status_changed":
        text = _("“{title}” went from {before} to {after} (score {score}).").format(
            title=kr.get("title", ""),
            before=_status(payload.get("status_before")),
            after=_status(payload.get("status")),
            score=i18n.score(kr.get("score")),
        )
        return _("Key result status changed"), text
    if event == "cycle.closed":
        cycle = payload.get("cycle") or {}
        grades = payload.get("grades") or []
        text = _("Cycle {name} is closed: {count} objectives graded.").format(
            name=cycle.get("name", ""), count=len(grades)
        )
        return _("Cycle closed"), text
    return event, event


def message_for(format: str, event: str, payload: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The body of a Slack or Teams incoming webhook about an event."""
    title, text = summary(event, payload, lang)
    if format == "slack":
        return {
            "text": f"{title}: {text}",
            "blocks": [
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": f"*{_escape_slack(title)}*\n{_escape_slack(text)}"},
                }
            ],
        }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": True},
                        {"type": "TextBlock", "text": text, "wrap": True},
                    ],
                },
            }
        ],
    }


def _escape_slack(text: str) -> str:
    """Slack's three control characters in mrkdwn, escaped as Slack documents."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
