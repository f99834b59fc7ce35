"""Issue 11: outgoing webhooks, reminder mail with one-click check-ins, and check-ins from Slack and Teams.

Loopback only: webhook receivers and the SMTP server are started by the tests on 127.0.0.1, with
KOERS_ALLOW_PRIVATE_NETWORKS=1 where Koers must reach them (and without it, to see that it does not).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import pytest
from aiosmtpd.controller import Controller

from koers.config import Settings
from koers.domain import model
from koers.integrations.mail import SmtpMailer
from koers.services import organisation as org
from koers.services import reminders, webhooks
from tests import builders as b
from tests.e2e.api_support import Api, make_api

SECRET_KEY = "a-test-key-of-more-than-32-characters-for-fernet"
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAMS_SECRET = base64.b64encode(b"teams shared secret of 32 bytes!").decode()


# --- a loopback receiver and a loopback SMTP server ---


class Receiver:
    """An HTTP server on 127.0.0.1 that records every request and answers with the next scripted status."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses = list(statuses or [])
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                outer.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                status = outer.statuses.pop(0) if outer.statuses else 200
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


class Inbox:
    """aiosmtpd's handler: every message it receives, with its envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, Settings]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = Settings(
        "sqlite://", smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, smtp_from="koers@example.org"
    )
    yield inbox, settings
    controller.stop()


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    made = make_api(database_url)
    made.koers.settings = replace(
        made.koers.settings,
        secret_key=SECRET_KEY,
        slack_signing_secret=SLACK_SECRET,
        teams_webhook_secret=TEAMS_SECRET,
    )
    yield made
    made.client.close()
    made.koers.engine.dispose()


def _deliver(api: Api, now: datetime | None = None, **options: Any) -> str:
    return webhooks.deliver_due(
        api.koers.uow, now or datetime.now(UTC) + timedelta(seconds=1), secret_key=SECRET_KEY, **options
    )


def _webhook(api: Api, url: str, **fields: Any) -> dict[str, Any]:
    body = {"url": url, "events": ["check_in.recorded"], **fields}
    response = api.client.post("/api/v1/webhooks", json=body, headers=api.headers("admin"))
    assert response.status_code == 201, response.text
    return response.json()


def _check_in(api: Api, value: float = 7.5) -> dict[str, Any]:
    url = f"/api/v1/key-results/{api.ids['key_result']}/check-ins"
    response = api.client.post(url, json={"value": value, "confidence": "on_track"}, headers=api.headers("owner"))
    assert response.status_code == 201, response.text
    return response.json()


# --- webhooks ---


def test_a_check_in_reaches_a_loopback_receiver_with_a_valid_signature(api, receiver, monkeypatch):
    monkeypatch.setenv("KOERS_ALLOW_PRIVATE_NETWORKS", "1")
    made = _webhook(api, receiver.url, secret="s3cret-for-the-receiver")
    assert "secret" not in made and made["has_secret"] is True
    _check_in(api)
    assert receiver.requests == []  # the outbox: nothing is sent inside the request
    assert _deliver(api) == "1 delivered, 0 to retry, 0 failed"

    [got] = receiver.requests
    body = got["body"]
    expected = "sha256=" + hmac.new(b"s3cret-for-the-receiver", body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(got["headers"]["X-Koers-Signature"], expected)
    document = json.loads(body)
    assert document["event"] == "check_in.recorded"
    assert document["check_in"]["value"] == 7.5 and document["check_in"]["key_result_id"] == api.ids["key_result"]
    assert document["key_result"]["score"] == 50.0
    assert document["author"]["email"] == "owner@example.org"

    log = api.client.get(f"/api/v1/webhooks/{made['id']}/deliveries", headers=api.headers("admin")).json()["items"]
    assert [(d["status"], d["attempts"], d["response_status"]) for d in log] == [("delivered", 1, 200)]
    assert _deliver(api) == "0 delivered, 0 to retry, 0 failed"  # delivered once, never again


def test_a_receiver_that_fails_twice_gets_the_delivery_on_the_third_try(api, monkeypatch):
    monkeypatch.setenv("KOERS_ALLOW_PRIVATE_NETWORKS", "1")
    failing = Receiver([500, 503])
    try:
        made = _webhook(api, failing.url)
        _check_in(api)
        start = datetime.now(UTC) + timedelta(seconds=1)
        assert _deliver(api, start) == "0 delivered, 1 to retry, 0 failed"
        assert _deliver(api, start + timedelta(seconds=30)) == "0 delivered, 0 to retry, 0 failed"  # not due yet
        assert _deliver(api, start + timedelta(minutes=1)) == "0 delivered, 1 to retry, 0 failed"
        assert _deliver(api, start + timedelta(minutes=5)) == "0 delivered, 0 to retry, 0 failed"  # 1 + 5 min
        assert _deliver(api, start + timedelta(minutes=6)) == "1 delivered, 0 to retry, 0 failed"
        assert len(failing.requests) == 3
        assert len({r["body"] for r in failing.requests}) == 1  # the same event each time
        [log] = api.client.get(f"/api/v1/webhooks/{made['id']}/deliveries", headers=api.headers("admin")).json()[
            "items"
        ]
        assert (log["status"], log["attempts"], log["response_status"]) == ("delivered", 3, 200)
    finally:
        failing.close()


def test_a_delivery_that_keeps_failing_ends_failed_after_the_last_attempt(api, monkeypatch):
    monkeypatch.setenv("KOERS_ALLOW_PRIVATE_NETWORKS", "1")
    failing = Receiver([500] * 10)
    try:
        _webhook(api, failing.url)
        _check_in(api)
        backoff = [timedelta(seconds=1), timedelta(seconds=2)]
        start = datetime.now(UTC) + timedelta(seconds=1)
        results = [_deliver(api, start + timedelta(seconds=s), backoff=backoff) for s in (0, 1, 3, 100)]
        assert results[-2:] == ["0 delivered, 0 to retry, 1 failed", "0 delivered, 0 to retry, 0 failed"]
        assert len(failing.requests) == 3
    finally:
        failing.close()


def test_without_the_private_network_switch_a_loopback_receiver_is_never_contacted(api, receiver, monkeypatch):
    monkeypatch.delenv("KOERS_ALLOW_PRIVATE_NETWORKS", raising=False)
    made = _webhook(api, receiver.url)
    _check_in(api)
    assert _deliver(api) == "0 delivered, 1 to retry, 0 failed"
    assert receiver.requests == []
    [log] = api.client.get(f"/api/v1/webhooks/{made['id']}/deliveries", headers=api.headers("admin")).json()["items"]
    assert "loopback" in log["error"] and log["response_status"] is None


@pytest.mark.parametrize("format", ["slack", "teams"])
def test_slack_and_teams_webhooks_get_a_message_in_the_webhooks_language(api, receiver, monkeypatch, format):
    monkeypatch.setenv("KOERS_ALLOW_PRIVATE_NETWORKS", "1")
    _webhook(api, receiver.url, format=format, lang="nl", events=["check_in.recorded", "key_result.status_changed"])
    _check_in(api, 7.5)
    _deliver(api)
    documents = [json.loads(r["body"]) for r in receiver.requests]
    assert len(documents) == 2, "a check-in and the status change it caused"
    if format == "slack":
        assert all(d["blocks"][0]["type"] == "section" for d in documents)
        texts = [d["text"] for d in documents]
    else:
        cards = [d["attachments"][0] for d in documents]
        assert all(card["contentType"] == "application/vnd.microsoft.card.adaptive" for card in cards)
        texts = [" ".join(block["text"] for block in card["content"]["body"]) for card in cards]
    text = next(t for t in texts if "deed een check-in" in t)
    assert any("van niet op koers naar loopt risico" in t for t in texts), texts
    assert "Olivia Owner deed een check-in op" in text and "7,5 %" in text and "Cancellations from 10% to 5%" in text


def test_a_refused_check_in_writes_no_event_and_a_measurement_and_a_close_do(api, receiver, monkeypatch):
    monkeypatch.setenv("KOERS_ALLOW_PRIVATE_NETWORKS", "1")
    _webhook(api, receiver.url, events=["check_in.recorded", "measurement.recorded", "cycle.closed"])
    url = f"/api/v1/key-results/{api.ids['key_result']}/check-ins"
    refused = api.client.post(url, json={"value": 1e300}, headers=api.headers("owner"))
    assert refused.status_code == 422
    measured = api.client.post(
        f"/api/v1/kpis/{api.ids['kpi']}/measurements", json={"value": 6.5}, headers=api.headers("owner")
    )
    assert measured.status_code == 201
    closed = api.client.post(f"/api/v1/cycles/{api.ids['cycle']}/close", headers=api.headers("admin"))
    assert closed.status_code == 200, closed.text
    _deliver(api)
    events = [json.loads(r["body"])["event"] for r in receiver.requests]
    assert sorted(events) == ["cycle.closed", "measurement.recorded"]
    closing = next(json.loads(r["body"]) for r in receiver.requests if b"cycle.closed" in r["body"])
    assert closing["cycle"]["id"] == api.ids["cycle"] and closing["grades"]


def test_a_status_change_is_an_event(api, receiver, monkeypatch):
    monkeypatch.setenv("KOERS_ALLOW_PRIVATE_NETWORKS", "1")
    _webhook(api, receiver.url, events=["key_result.status_changed"])
    _check_in(api, 5)  # 10 → 5 %: achieved
    _deliver(api)
    [document] = [json.loads(r["body"]) for r in receiver.requests]
    assert document["event"] == "key_result.status_changed"
    assert document["status"] == "achieved" and document["status_before"] != "achieved"


def test_webhooks_are_for_admins_and_their_secret_is_never_shown(api):
    body = {"url": "https://hooks.example.org/koers", "events": ["cycle.closed"], "secret": "hush"}
    assert api.client.post("/api/v1/webhooks", json=body, headers=api.headers("owner")).status_code == 403
    made = api.client.post("/api/v1/webhooks", json=body, headers=api.headers("admin")).json()
    listed = api.client.get("/api/v1/webhooks", headers=api.headers("admin"))
    one = api.client.get(f"/api/v1/webhooks/{made['id']}", headers=api.headers("admin"))
    for response in (listed, one):
        assert "hush" not in response.text and response.status_code == 200
    with api.koers.uow(read_only=True) as uow:
        stored = uow.webhooks.find(made["id"])
    assert stored is not None and "hush" not in stored["secret_encrypted"]
    for refused in (
        {"url": "file:///etc/passwd", "events": ["cycle.closed"]},
        {"url": "https://example.org", "events": []},
        {"url": "https://example.org", "events": ["nope"]},
    ):
        assert api.client.post("/api/v1/webhooks", json=refused, headers=api.headers("admin")).status_code == 422
    gone = api.client.delete(f"/api/v1/webhooks/{made['id']}", headers=api.headers("admin"))
    assert gone.status_code == 204
    assert api.client.get(f"/api/v1/webhooks/{made['id']}", headers=api.headers("admin")).status_code == 404


def test_a_secret_needs_the_secret_key_setting(api):
    api.koers.settings = replace(api.koers.settings, secret_key="")
    body = {"url": "https://hooks.example.org/koers", "events": ["cycle.closed"], "secret": "hush"}
    response = api.client.post("/api/v1/webhooks", json=body, headers=api.headers("admin"))
    assert response.status_code == 422 and "KOERS_SECRET_KEY" in response.text


# --- reminders, the weekly mail and one-click check-ins ---


def _due_key_result(api: Api) -> tuple[int, int]:
    """An active cycle that began weeks ago with a key result owned by Olivia and never checked in on."""
    with api.koers.uow() as uow:
        started = date.today() - timedelta(days=40)
        cycle = org.create_cycle(uow, "Reminder cycle", started, started + timedelta(days=120))
        objective = b.objective(
            uow, cycle.id or 0, "Answer faster", team_id=api.ids["owner_team"], owner_id=api.ids["owner"]
        )
        kr = b.key_result(
            uow,
            objective.id or 0,
            title="Answers within a day from 40% to 80%",
            baseline=40,
            target=80,
            unit="%",
            owner_id=api.ids["owner"],
        )
    return kr.id or 0, cycle.id or 0


def _send_weekly(api: Api, settings: Settings, now: datetime) -> str:
    sender = reminders.weekly_sender(SmtpMailer(settings), "http://koers.test")
    return reminders.send_weekly_mails(
        lambda actor: api.koers.uow(actor=actor), now, sender, timezone="Europe/Amsterdam", base_url="http://koers.test"
    )


def _monday_noon() -> datetime:
    today = datetime.now(UTC)
    return (today - timedelta(days=today.weekday())).replace(hour=11, minute=0, second=0, microsecond=0)


def test_the_reminder_mail_reaches_the_owner_and_its_link_records_a_check_in_once(api, smtp):
    inbox, settings = smtp
    kr_id, _cycle = _due_key_result(api)
    now = max(_monday_noon(), datetime.now(UTC))
    summary = _send_weekly(api, settings, now)
    recipients = sorted(r for rcpt, _m in inbox.messages for r in rcpt)
    # Olivia: her waiting key result and team A's digest; Oscar: team B's digest; Ada's company team has no key
    # results of its own, so she gets nothing (nothing to say is no mail)
    assert recipients == ["other@example.org", "owner@example.org"], summary
    assert summary == "2 sent, 1 with nothing to say, 0 failed"
    mail = next(m for rcpt, m in inbox.messages if rcpt == ["owner@example.org"])
    assert mail["Subject"] == "Jouw week in Koers"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Answers within a day from 40% to 80%" in text and "Answers within a day from 40% to 80%" in html
    link = re.search(r"http://koers\.test(/c/[A-Za-z0-9_-]+)", text)
    assert link is not None, text
    path = link.group(1)
    assert path in html

    api.client.cookies.clear()
    form = api.client.get(path)
    assert form.status_code == 200 and "Answers within a day" in form.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf is not None
    saved = api.client.post(path, data={"csrf_token": csrf.group(1), "value": "55", "confidence": "on_track"})
    assert saved.status_code == 200, saved.text
    with api.koers.uow(read_only=True) as uow:
        [check_in] = [c for c in uow.check_ins.list(key_result_id=kr_id)]
    assert (check_in.value, check_in.author_id) == (55.0, api.ids["owner"])

    again = api.client.post(path, data={"csrf_token": csrf.group(1), "value": "60"})
    assert again.status_code == 410 and "al gebruikt" in again.text
    assert api.client.get(path).status_code == 410
    with api.koers.uow(read_only=True) as uow:
        assert len(uow.check_ins.list(key_result_id=kr_id)) == 1


def test_nobody_gets_more_than_one_mail_a_week_unless_they_ask(api, smtp):
    inbox, settings = smtp
    _due_key_result(api)
    now = max(_monday_noon(), datetime.now(UTC))
    _send_weekly(api, settings, now)
    first = [r for rcpt, _m in inbox.messages for r in rcpt]
    assert len(first) == len(set(first)) and "owner@example.org" in first
    _send_weekly(api, settings, now + timedelta(hours=1))
    _send_weekly(api, settings, now + timedelta(days=2))
    assert [r for rcpt, _m in inbox.messages for r in rcpt] == first  # nothing more this week

    # Olivia asks for more: a mail per team, on each team's own day
    with api.koers.uow(actor=None) as uow:
        reminders.set_preferences(uow, api.ids["owner"], {"mail": "per_team"})
    _send_weekly(api, settings, now + timedelta(hours=2))
    assert [r for rcpt, _m in inbox.messages for r in rcpt].count("owner@example.org") == 2
    # and Oscar switches mail off: nothing next week
    with api.koers.uow(actor=None) as uow:
        reminders.set_preferences(uow, api.ids["other"], {"mail": "off"})
    before = len(inbox.messages)
    _send_weekly(api, settings, now + timedelta(days=7))
    assert "other@example.org" not in [r for rcpt, _m in inbox.messages[before:] for r in rcpt]


def test_a_team_reminder_moment_waits_for_its_day_and_hour(api, smtp):
    inbox, settings = smtp
    _due_key_result(api)
    for team in ("owner_team", "company_team", "other_team"):
        response = api.client.put(
            f"/api/v1/teams/{api.ids[team]}/reminders",
            json={"enabled": True, "weekday": 3, "hour": 9},
            headers=api.headers("admin"),
        )
        assert response.status_code == 200, response.text
    monday = _monday_noon()
    assert _send_weekly(api, settings, monday).startswith("0 sent")
    thursday = monday + timedelta(days=3)  # 12:00 in Amsterdam, past 09:00
    _send_weekly(api, settings, thursday)
    assert "owner@example.org" in [r for rcpt, _m in inbox.messages for r in rcpt]


def test_a_lead_sets_their_teams_reminders_and_nobody_else(api):
    url = f"/api/v1/teams/{api.ids['owner_team']}/reminders"
    body = {"enabled": False, "weekday": 4, "hour": 16}
    assert api.client.put(url, json=body, headers=api.headers("other")).status_code == 403
    assert api.client.put(url, json=body, headers=api.headers("owner")).json() == {
        "team_id": api.ids["owner_team"],
        **body,
    }
    assert api.client.get(url, headers=api.headers("other")).json()["hour"] == 16
    assert api.client.put(url, json={**body, "hour": 24}, headers=api.headers("owner")).status_code == 422


def test_an_invitation_mail_goes_out_once(api, smtp):
    inbox, settings = smtp
    mailer = SmtpMailer(settings)
    from koers.integrations.mail import compose

    def send(address: str, url: str, inviter: str) -> None:
        mailer.send(compose("invitation", "You are invited to Koers", {"url": url, "inviter": inviter}, "nl", address))

    with api.koers.uow() as uow:
        assert reminders.mail_invitation(uow, 7, "new@example.org", "http://koers.test/invite/x", "Ada Admin", send)
        assert not reminders.mail_invitation(uow, 7, "new@example.org", "http://koers.test/invite/x", "Ada Admin", send)
    [(rcpt, mail)] = inbox.messages
    assert rcpt == ["new@example.org"] and mail["Subject"] == "Je bent uitgenodigd voor Koers"


# --- check-ins from chat ---


def _slack(api: Api, text: str, user_id: str = "U0OWNER", timestamp: int | None = None, secret: str = SLACK_SECRET):
    body = urlencode({"command": "/koers", "text": text, "user_id": user_id, "team_id": "T1"}).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = "v0=" + hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return api.client.post("/api/v1/chat/slack", content=body, headers=headers)


def _link_chat_ids(api: Api) -> None:
    response = api.client.put(
        f"/api/v1/users/{api.ids['owner']}/preferences",
        json={"slack_user_id": "U0OWNER", "teams_user_id": "aad-olivia-0001"},
        headers=api.headers("owner"),
    )
    assert response.status_code == 200, response.text


def _check_in_count(api: Api) -> int:
    with api.koers.uow(read_only=True) as uow:
        return len(uow.check_ins.list(key_result_id=api.ids["key_result"]))


def test_a_signed_slack_command_records_a_check_in_and_a_bad_signature_or_old_timestamp_nothing(api):
    _link_chat_ids(api)
    before = _check_in_count(api)
    kr = api.ids["key_result"]
    assert _slack(api, f"checkin {kr} 7,5", secret="wrong-secret").status_code == 401
    assert _slack(api, f"checkin {kr} 7,5", timestamp=int(time.time()) - 6 * 60).status_code == 401
    assert _check_in_count(api) == before

    answer = _slack(api, f"checkin {kr} 7,5 Goede week")
    assert answer.status_code == 200, answer.text
    assert answer.json()["response_type"] == "ephemeral" and "score 50,0" in answer.json()["text"]
    assert _check_in_count(api) == before + 1
    with api.koers.uow(read_only=True) as uow:
        newest = max(uow.check_ins.list(key_result_id=kr), key=lambda c: c.id or 0)
    assert (newest.value, newest.note, newest.author_id) == (7.5, "Goede week", api.ids["owner"])

    status = _slack(api, "status").json()["text"]
    assert f"#{kr} Cancellations from 10% to 5%" in status
    unknown = _slack(api, f"checkin {kr} 7", user_id="U0NOBODY").json()["text"]
    assert "U0NOBODY" in unknown and _check_in_count(api) == before + 1


def _teams(
    api: Api, text: str, sent_at: datetime | None = None, secret: str = TEAMS_SECRET, person: str = "aad-olivia-0001"
):
    activity = {
        "type": "message",
        "id": "1485983408511",
        "timestamp": (sent_at or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
        "text": f"<at>Koers</at> {text}",
        "from": {"id": "29:1abc", "name": "Olivia Owner", "aadObjectId": person},
    }
    body = json.dumps(activity).encode()
    signature = base64.b64encode(hmac.new(base64.b64decode(secret), body, hashlib.sha256).digest()).decode()
    headers = {"Authorization": f"HMAC {signature}", "Content-Type": "application/json"}
    return api.client.post("/api/v1/chat/teams", content=body, headers=headers)


def test_a_signed_teams_message_records_a_check_in_and_a_bad_signature_or_old_timestamp_nothing(api):
    _link_chat_ids(api)
    before = _check_in_count(api)
    kr = api.ids["key_result"]
    wrong = base64.b64encode(b"another secret of thirty-two b!!").decode()
    assert _teams(api, f"checkin {kr} 6,5", secret=wrong).status_code == 401
    assert _teams(api, f"checkin {kr} 6,5", sent_at=datetime.now(UTC) - timedelta(minutes=6)).status_code == 401
    assert _check_in_count(api) == before
    answer = _teams(api, f"checkin {kr} 6,5")
    assert answer.status_code == 200 and answer.json()["type"] == "message", answer.text
    assert _check_in_count(api) == before + 1


def test_a_chat_id_belongs_to_one_person_and_only_they_or_an_admin_set_it(api):
    _link_chat_ids(api)
    taken = api.client.put(
        f"/api/v1/users/{api.ids['other']}/preferences", json={"slack_user_id": "U0OWNER"}, headers=api.headers("admin")
    )
    assert taken.status_code == 422
    forbidden = api.client.put(
        f"/api/v1/users/{api.ids['owner']}/preferences", json={"slack_user_id": "U0OSCAR"}, headers=api.headers("other")
    )
    assert forbidden.status_code == 403


def test_check_ins_through_a_link_act_only_as_the_links_person_on_its_key_result(api):
    kr_id, _cycle = _due_key_result(api)
    with api.koers.uow() as uow:
        token = reminders.create_link(uow, api.ids["owner"], kr_id, datetime.now(UTC) - timedelta(days=8))
    api.client.cookies.clear()
    assert api.client.get(f"/c/{token}").status_code == 410  # older than 7 days
    assert api.client.get("/c/not-a-real-token-but-long-enough").status_code == 404
    with api.koers.uow(read_only=True) as uow:
        assert uow.check_ins.list(key_result_id=kr_id) == []


def test_the_registered_jobs_are_in_the_catalogue():
    from koers.services import job_catalogue  # noqa: F401
    from koers.services.jobs import JOBS

    assert {"webhooks", "weekly_mail"} <= set(JOBS)


def test_model_locales_are_the_mail_languages():
    assert set(model.LOCALES) == {"nl", "en"}


def test_an_invitation_made_through_the_api_is_mailed_when_smtp_is_configured(api, smtp):
    inbox, settings = smtp
    api.koers.settings = replace(
        api.koers.settings, smtp_host=settings.smtp_host, smtp_port=settings.smtp_port, smtp_starttls=False
    )
    made = api.client.post("/api/v1/invitations", json={"email": "nieuw@example.org"}, headers=api.headers("admin"))
    assert made.status_code == 201, made.text
    [(rcpt, mail)] = inbox.messages
    assert rcpt == ["nieuw@example.org"] and made.json()["url"] in mail.get_body(("plain",)).get_content()
