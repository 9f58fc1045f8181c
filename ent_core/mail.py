"""Outgoing mail: always sent by a job; SMTP_URL in production, the log in development.

``SMTP_URL`` forms (see docs/mail.md):
``smtp://user:password@host:587`` (plain; add ``?starttls=1`` to upgrade),
``smtp+starttls://user:password@host:587`` and ``smtps://user:password@host:465`` (implicit TLS).
``?timeout=SECONDS`` and ``?cafile=/path/ca.pem`` (a private CA) are optional.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

from ent_core.db import utcnow
from ent_core.jobs import enqueue

log = logging.getLogger(__name__)

_DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool
    starttls: bool
    timeout: float
    cafile: str | None


def parse_smtp_url(url: str) -> SmtpSettings:
    """Read ``SMTP_URL``; raises ``ValueError`` naming what is wrong."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"SMTP_URL scheme must be smtp, smtp+starttls or smtps, not {scheme!r}")
    if not parts.hostname:
        raise ValueError("SMTP_URL has no host")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        timeout = float(query.get("timeout", "10"))
    except ValueError:
        raise ValueError("SMTP_URL timeout must be a number of seconds") from None
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or _DEFAULT_PORTS[scheme],
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        implicit_tls=scheme == "smtps",
        starttls=scheme == "smtp+starttls" or query.get("starttls", "").lower() in _TRUE,
        timeout=timeout,
        cafile=query.get("cafile") or None,
    )


def build_message(to: str, subject: str, text: str, html: str | None, sender: str) -> EmailMessage:
    """A standard message: From, To, Subject, Date, Message-ID; multipart when ``html``."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def send_mail(to: str, subject: str, text: str, html: str | None = None) -> None:
    """Queue a message; it leaves through ``deliver`` in a job (retried if SMTP fails)."""
    # Lazy translations become text now, in the caller's language.
    enqueue(deliver, str(to), str(subject), str(text), None if html is None else str(html))


def deliver(to: str, subject: str, text: str, html: str | None = None) -> None:
    """Send one message: through SMTP_URL when set, else to the log (and the test outbox)."""
    smtp_url = current_app.config.get("SMTP_URL")
    message = build_message(to, subject, text, html, current_app.config["MAIL_FROM"])
    if smtp_url:
        _send_smtp(parse_smtp_url(smtp_url), message)
        log.info("mail %s sent to %s: %s", message["Message-ID"], to, subject)
        return
    outbox: list[dict[str, Any]] | None = current_app.extensions.get("ent.mail_outbox")
    if outbox is not None:
        outbox.append({"to": to, "subject": subject, "text": text, "html": html})
    log.info("mail to %s (not sent: SMTP_URL is unset): %s\n%s", to, subject, text)


def _send_smtp(settings: SmtpSettings, message: EmailMessage) -> None:
    """Any failure raises, so the job is retried."""
    with _connect(settings) as client:
        _send_one(client, message)


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An SMTP session, upgraded to TLS and signed in as ``SMTP_URL`` says."""
    client: smtplib.SMTP
    if settings.implicit_tls:
        client = smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            timeout=settings.timeout,
            context=_tls_context(settings.cafile),
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            client.starttls(context=_tls_context(settings.cafile))
        if settings.username:
            client.login(settings.username, settings.password or "")
    except BaseException:
        client.close()
        raise
    return client


def _send_one(client: smtplib.SMTP, message: EmailMessage) -> None:
    refused = client.send_message(message)
    if refused:
        raise smtplib.SMTPRecipientsRefused(refused)


#: Messages per ``deliver_many`` job (one SMTP session each).
BATCH_SIZE = 50


@dataclass(frozen=True, slots=True)
class Mail:
    """One message for :func:`send_mails`."""

    to: str
    subject: str
    text: str
    html: str | None = None


def send_mails(mails: Iterable[Mail]) -> int:
    """Queue many messages at once (a cohort, a batch of certificates); how many.

    They leave :data:`BATCH_SIZE` at a time, each batch in one job and one SMTP session,
    instead of a job and a connection per message. A message the batch could not send goes on
    alone through :func:`deliver`, with its own retries; the ones already sent are not sent
    again.
    """
    # Lazy translations become text now, in the caller's language.
    items = [
        [str(m.to), str(m.subject), str(m.text), None if m.html is None else str(m.html)]
        for m in mails
    ]
    for start in range(0, len(items), BATCH_SIZE):
        enqueue(deliver_many, items[start : start + BATCH_SIZE])
    return len(items)


def deliver_many(messages: list[list[str | None]]) -> int:
    """Send a batch in one SMTP session; how many were handled in it. A refused address is
    handed to :func:`deliver` alone; if the session fails, so are the messages not sent yet
    (each is then retried on its own, and none is sent twice)."""
    smtp_url = current_app.config.get("SMTP_URL")
    if not smtp_url:
        for to, subject, text, html in messages:
            deliver(str(to), str(subject), str(text), html)
        return len(messages)
    settings = parse_smtp_url(smtp_url)
    sender = current_app.config["MAIL_FROM"]
    sent = 0
    try:
        with _connect(settings) as client:
            for to, subject, text, html in messages:
                message = build_message(str(to), str(subject), str(text), html, sender)
                try:
                    _send_one(client, message)
                except smtplib.SMTPRecipientsRefused:
                    # this address only: the session goes on with the others
                    enqueue(deliver, str(to), str(subject), str(text), html)
                else:
                    log.info("mail %s sent to %s: %s", message["Message-ID"], to, subject)
                sent += 1
    except Exception:
        log.warning(
            "batch delivery stopped after %d of %d messages; the rest go one by one",
            sent,
            len(messages),
            exc_info=True,
        )
        for to, subject, text, html in messages[sent:]:
            enqueue(deliver, str(to), str(subject), str(text), html)
    return sent


@lru_cache(maxsize=4)
def _tls_context(cafile: str | None) -> ssl.SSLContext:
    """One verifying TLS context per CA file and process: loading the system's certificates
    costs about 15 ms, which every mail paid when each built its own (contexts are safe to
    share between connections and threads)."""
    return ssl.create_default_context(cafile=cafile)
