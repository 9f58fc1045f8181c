"""Outgoing mail: always sent by a job; SMTP_URL in production, the log in development."""

from __future__ import annotations

import logging

from flask import current_app

from ent_core.jobs import enqueue

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, text: str, html: str | None = None) -> None:
    """Queue a message; it leaves through ``deliver`` in a job."""
    enqueue(deliver, to, subject, text, html)


def deliver(to: str, subject: str, text: str, html: str | None = None) -> None:
    outbox = current_app.extensions.get("ent.mail_outbox")
    if outbox is not None:
        outbox.append({"to": to, "subject": subject, "text": text, "html": html})
        return
    log.info("mail to %s: %s\n%s", to, subject, text)
