"""Mail: one small door to an SMTP server (stdlib `smtplib` and `email.message`), and the texts Koers sends.

Settings (`koers.config`): KOERS_SMTP_HOST (no mail while empty), KOERS_SMTP_PORT (587), KOERS_SMTP_USER and
KOERS_SMTP_PASSWORD (login when a user is set), KOERS_SMTP_FROM, KOERS_SMTP_STARTTLS (on by default; port 465 speaks
TLS from the start). Every mail has a plain text and an HTML part, in the recipient's language.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Any, Protocol

from koers import i18n
from koers.config import Settings
from koers.reports.templating import template_environment

TEMPLATES = Path(__file__).with_name("templates")
environment = template_environment(TEMPLATES)
environment.autoescape = lambda name: bool(name and name.endswith(".html"))  # the .txt parts stay plain text


@dataclass(frozen=True)
class Mail:
    """One mail to one person."""

    to: str
    subject: str
    text: str
    html: str


class Mailer(Protocol):
    """What sends mail: `SmtpMailer`, or a fake in tests."""

    def send(self, mail: Mail) -> None: ...


class SmtpMailer:
    """Sends through the configured SMTP server, one connection per mail (a weekly job sends few)."""

    def __init__(self, settings: Settings, timeout: float = 30.0) -> None:
        self.settings = settings
        self.timeout = timeout

    def message(self, mail: Mail) -> EmailMessage:
        sender = self.settings.smtp_from or f"koers@{self.settings.smtp_host}"
        message = EmailMessage()
        message["From"] = formataddr(("Koers", sender))
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office answers, please
        message.set_content(mail.text)
        message.add_alternative(mail.html, subtype="html")
        return message

    def send(self, mail: Mail) -> None:
        s = self.settings
        message = self.message(mail)
        if s.smtp_port == 465:
            with smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=self.timeout, context=ssl.create_default_context()
            ) as smtp:
                self._deliver(smtp, message)
            return
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=self.timeout) as smtp:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            self._deliver(smtp, message)

    def _deliver(self, smtp: smtplib.SMTP, message: EmailMessage) -> None:
        if self.settings.smtp_user:
            smtp.login(self.settings.smtp_user, self.settings.smtp_password)
        smtp.send_message(message)


def configured_mailer(settings: Settings) -> SmtpMailer | None:
    """The SMTP mailer when KOERS_SMTP_HOST is set, else None (Koers sends no mail)."""
    return SmtpMailer(settings) if settings.smtp_host else None


def compose(template: str, subject: str, context: dict[str, Any], lang: str, to: str) -> Mail:
    """A mail from `<template>.txt` and `<template>.html` in `lang`; `subject` is translated and formatted with
    `context`."""
    chosen = lang if lang in i18n.LOCALES else i18n.DEFAULT_LOCALE
    token = i18n.current_locale.set(chosen)
    try:
        values = {"lang": chosen, **context}
        return Mail(
            to=to,
            subject=i18n.gettext_(subject).format(**context),
            text=environment.get_template(f"{template}.txt").render(values),
            html=environment.get_template(f"{template}.html").render(values),
        )
    finally:
        i18n.current_locale.reset(token)
