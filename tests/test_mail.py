"""Outgoing mail against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import email
import logging
import smtplib
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask

from ent_core.mail import Mail, deliver, parse_smtp_url, send_mail, send_mails

SENDER = "Smart Médias ENT <no-reply@ent.example.ma>"


@dataclass
class Mailbox:
    """What the SMTP server received."""

    url: str
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)
    rcpt_attempts: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    sessions: int = 0
    fail_data_once: str | None = None  # a subject: its first DATA is answered 451


class Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        self.box.rcpt_attempts += 1
        if address.startswith("nobody@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # type: ignore[no-untyped-def]
        self.box.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.box.fail_data_once and self.box.fail_data_once.encode() in envelope.content:
            self.box.fail_data_once = None
            return "451 4.3.0 Try again later"
        self.box.envelopes.append(envelope)
        self.box.messages.append(
            email.message_from_bytes(envelope.original_content, policy=default_policy)
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own CA file for the client)."""
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def start_server(box: Mailbox, **kwargs: Any) -> Controller:
    port = free_port()
    controller = Controller(Handler(box), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    box.url = box.url.replace("PORT", str(port))
    return controller


@pytest.fixture
def smtp_server(app_ctx: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A plain SMTP server; the app's SMTP_URL points at it."""
    box = Mailbox("smtp://127.0.0.1:PORT")
    controller = start_server(box)
    monkeypatch.setitem(app_ctx.config, "SMTP_URL", box.url)
    monkeypatch.setitem(app_ctx.config, "MAIL_FROM", SENDER)
    yield box
    controller.stop()


def authenticator(box: Mailbox) -> Any:
    def check(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        assert isinstance(auth_data, LoginPassword)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        box.logins.append((login, password))
        return AuthResult(success=(login, password) == ("ent", "s3cret@pass"), handled=False)

    return check


def test_deliver_sends_a_multipart_message_with_standard_headers(
    smtp_server: Mailbox, mail_outbox: list[dict[str, Any]]
) -> None:
    deliver("amina@example.ma", "Vérifiez votre adresse", "Bonjour Amina", "<p>Bonjour</p>")

    [message] = smtp_server.messages
    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "no-reply@ent.example.ma"
    assert envelope.rcpt_tos == ["amina@example.ma"]
    assert parseaddr(str(message["From"])) == ("Smart Médias ENT", "no-reply@ent.example.ma")
    assert message["To"] == "amina@example.ma"
    assert message["Subject"] == "Vérifiez votre adresse"
    assert str(message["Message-ID"]).endswith("@ent.example.ma>")
    sent = parsedate_to_datetime(str(message["Date"]))
    assert abs(sent - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content().strip() == "Bonjour Amina"
    assert message.get_body(("html",)).get_content().strip() == "<p>Bonjour</p>"
    assert mail_outbox == []  # SMTP wins over the test outbox


def test_text_only_message_is_plain_text(smtp_server: Mailbox) -> None:
    deliver("amina@example.ma", "Hello", "Only text")
    [message] = smtp_server.messages
    assert message.get_content_type() == "text/plain"
    assert message.get_content().strip() == "Only text"


def test_send_mail_delivers_through_a_job(smtp_server: Mailbox) -> None:
    send_mail("amina@example.ma", "Queued", "Sent by the job")
    assert [m["Subject"] for m in smtp_server.messages] == ["Queued"]


def test_send_mails_uses_one_session_per_batch_of_fifty(smtp_server: Mailbox) -> None:
    sent = send_mails(
        Mail(f"learner{n}@example.ma", f"Certificate {n}", "Ready") for n in range(60)
    )
    assert sent == 60
    assert sorted(m["Subject"] for m in smtp_server.messages) == sorted(
        f"Certificate {n}" for n in range(60)
    )
    assert smtp_server.sessions == 2
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 60


def test_a_refused_address_does_not_stop_the_batch(
    smtp_server: Mailbox, app_ctx: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app_ctx.config, "ENT_JOBS_INLINE_RAISE", False)  # as in production
    send_mails(
        [
            Mail("a@example.ma", "A", "1"),
            Mail("nobody@example.ma", "N", "2"),
            Mail("b@example.ma", "B", "3"),
        ]
    )
    assert [m["Subject"] for m in smtp_server.messages] == ["A", "B"]
    assert smtp_server.rcpt_attempts == 3 + 4  # the batch, then the refused one alone, retried


def test_after_a_failed_session_the_rest_go_one_by_one_and_none_twice(
    smtp_server: Mailbox, app_ctx: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app_ctx.config, "ENT_JOBS_INLINE_RAISE", False)
    smtp_server.fail_data_once = "Second"
    send_mails(Mail("a@example.ma", subject, "text") for subject in ("First", "Second", "Third"))
    assert sorted(m["Subject"] for m in smtp_server.messages) == ["First", "Second", "Third"]
    assert smtp_server.sessions == 1 + 2  # the batch's, then one for each message left


def test_send_mails_without_smtp_keeps_them_in_the_outbox(
    app_ctx: Flask, mail_outbox: list[dict[str, Any]]
) -> None:
    send_mails([Mail("a@example.ma", "A", "1"), Mail("b@example.ma", "B", "2", "<p>2</p>")])
    assert [(m["to"], m["html"]) for m in mail_outbox] == [
        ("a@example.ma", None),
        ("b@example.ma", "<p>2</p>"),
    ]


def test_each_message_gets_its_own_message_id(smtp_server: Mailbox) -> None:
    deliver("a@example.ma", "One", "1")
    deliver("a@example.ma", "Two", "2")
    ids = {m["Message-ID"] for m in smtp_server.messages}
    assert len(ids) == 2


def test_refused_recipient_raises_so_the_job_retries(smtp_server: Mailbox) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        deliver("nobody@example.ma", "Hello", "text")
    assert smtp_server.messages == []


def test_send_mail_retries_then_fails_in_testing(smtp_server: Mailbox) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_mail("nobody@example.ma", "Hello", "text")
    assert smtp_server.rcpt_attempts == 4  # the first try and three retries


def test_unreachable_server_raises(app_ctx: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app_ctx.config, "SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    with pytest.raises(OSError):
        deliver("amina@example.ma", "Hello", "text")


def test_header_injection_is_refused(smtp_server: Mailbox) -> None:
    with pytest.raises(ValueError):
        deliver("amina@example.ma", "Hello\r\nBcc: victim@example.ma", "text")
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    "url",
    [
        "smtp+starttls://ent:s3cret%40pass@127.0.0.1:PORT?cafile=CAFILE",
        "smtp://ent:s3cret%40pass@127.0.0.1:PORT?starttls=1&cafile=CAFILE",
    ],
)
def test_starttls_and_login(
    app_ctx: Flask,
    monkeypatch: pytest.MonkeyPatch,
    certificate: tuple[Path, Path],
    url: str,
) -> None:
    box = Mailbox(url.replace("CAFILE", str(certificate[0])))
    controller = start_server(
        box,
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=authenticator(box),
        auth_required=True,
    )
    monkeypatch.setitem(app_ctx.config, "SMTP_URL", box.url)
    try:
        deliver("amina@example.ma", "Over TLS", "text")
    finally:
        controller.stop()
    assert box.logins == [("ent", "s3cret@pass")]
    assert [m["Subject"] for m in box.messages] == ["Over TLS"]


def test_wrong_password_raises(
    app_ctx: Flask, monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> None:
    box = Mailbox(f"smtp+starttls://ent:wrong@127.0.0.1:PORT?cafile={certificate[0]}")
    controller = start_server(
        box,
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=authenticator(box),
        auth_required=True,
    )
    monkeypatch.setitem(app_ctx.config, "SMTP_URL", box.url)
    try:
        with pytest.raises(smtplib.SMTPAuthenticationError):
            deliver("amina@example.ma", "Hello", "text")
    finally:
        controller.stop()
    assert box.messages == []


def test_untrusted_certificate_is_refused(
    app_ctx: Flask, monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> None:
    box = Mailbox("smtp+starttls://127.0.0.1:PORT")  # no cafile: the system CAs do not know it
    controller = start_server(box, tls_context=server_context(certificate), require_starttls=True)
    monkeypatch.setitem(app_ctx.config, "SMTP_URL", box.url)
    try:
        with pytest.raises(ssl.SSLCertVerificationError):
            deliver("amina@example.ma", "Hello", "text")
    finally:
        controller.stop()
    assert box.messages == []


def test_smtps_uses_implicit_tls(
    app_ctx: Flask, monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> None:
    box = Mailbox(f"smtps://127.0.0.1:PORT?cafile={certificate[0]}")
    controller = start_server(box, ssl_context=server_context(certificate))
    monkeypatch.setitem(app_ctx.config, "SMTP_URL", box.url)
    try:
        deliver("amina@example.ma", "Implicit TLS", "text")
    finally:
        controller.stop()
    assert [m["Subject"] for m in box.messages] == ["Implicit TLS"]


def test_without_smtp_url_the_message_is_logged_and_kept_in_the_outbox(
    app_ctx: Flask, mail_outbox: list[dict[str, Any]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="ent_core.mail")
    send_mail("amina@example.ma", "Dev subject", "Dev body", "<p>Dev</p>")
    assert mail_outbox == [
        {
            "to": "amina@example.ma",
            "subject": "Dev subject",
            "text": "Dev body",
            "html": "<p>Dev</p>",
        }
    ]
    [log_record] = [r for r in caplog.records if r.name == "ent_core.mail"]
    assert log_record.levelno == logging.INFO
    assert "amina@example.ma" in log_record.getMessage()
    assert "Dev subject" in log_record.getMessage()
    assert "Dev body" in log_record.getMessage()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.ma", ("mail.example.ma", 25, None, None, False, False)),
        ("smtp+starttls://u:p@mail.example.ma", ("mail.example.ma", 587, "u", "p", False, True)),
        ("smtp://u%40x:p%2Fq@h:2525?starttls=true", ("h", 2525, "u@x", "p/q", False, True)),
        ("smtps://u:p@h", ("h", 465, "u", "p", True, False)),
    ],
)
def test_smtp_url_forms(url: str, expected: tuple[Any, ...]) -> None:
    s = parse_smtp_url(url)
    assert (s.host, s.port, s.username, s.password, s.implicit_tls, s.starttls) == expected


@pytest.mark.parametrize("url", ["http://mail.example.ma", "smtp://", "smtp://h?timeout=soon"])
def test_bad_smtp_urls_are_reported(url: str) -> None:
    with pytest.raises(ValueError, match="SMTP_URL"):
        parse_smtp_url(url)
