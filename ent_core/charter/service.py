"""Publishing charter versions, signing them, and knowing who has signed what."""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import and_

from ent_core.audit import record
from ent_core.charter.models import CharterSignature, CharterText, CharterVersion
from ent_core.db import db, utcnow
from ent_core.errors import UserError
from ent_core.identity.models import User

TEXTS_DIR = Path(__file__).parent / "texts"
DEFAULT_VERSION = "2026.1"
REFERENCE_LANGUAGE = "fr"
LANGUAGES = ("fr", "en", "ar")


class CharterError(UserError):
    """A refused charter operation; ``code`` is the API error code."""


@dataclass(frozen=True, slots=True)
class GateState:
    version_id: int | None
    signed: bool


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current_version() -> CharterVersion | None:
    return db.session.scalar(
        db.select(CharterVersion)
        .order_by(CharterVersion.published_at.desc(), CharterVersion.id.desc())
        .limit(1)
    )


def get_version(version: str) -> CharterVersion | None:
    return db.session.scalar(db.select(CharterVersion).where(CharterVersion.version == version))


def text_for(version: CharterVersion, language: str) -> CharterText:
    """The text in ``language``, else in French (the reference), else any."""
    by_language = {t.language: t for t in version.texts}
    return by_language.get(language) or by_language.get(REFERENCE_LANGUAGE) or version.texts[0]


def remember_gate_state(user: User, version_id: int | None, signed: bool) -> None:
    """Keep what the user loader already read (``identity/login.py``) for ``gate_state``."""
    if has_request_context():
        g.ent_charter_state = (user.id, GateState(version_id, signed))


def gate_state(user: User) -> GateState:
    """One query: the current version and whether ``user`` signed it (cached per request)."""
    if has_request_context():
        cached = g.get("ent_charter_state")
        if cached is not None and cached[0] == user.id:
            return cached[1]
    row = db.session.execute(
        db.select(CharterVersion.id, CharterSignature.id)
        .outerjoin(
            CharterSignature,
            and_(
                CharterSignature.version_id == CharterVersion.id,
                CharterSignature.user_id == user.id,
            ),
        )
        .order_by(CharterVersion.published_at.desc(), CharterVersion.id.desc())
        .limit(1)
    ).first()
    state = GateState(None, True) if row is None else GateState(row[0], row[1] is not None)
    if has_request_context():
        g.ent_charter_state = (user.id, state)
    return state


def signature_for(user: User, version: CharterVersion) -> CharterSignature | None:
    return db.session.scalar(
        db.select(CharterSignature).where(
            CharterSignature.user_id == user.id, CharterSignature.version_id == version.id
        )
    )


def last_signature(user: User) -> CharterSignature | None:
    return db.session.scalar(
        db.select(CharterSignature)
        .where(CharterSignature.user_id == user.id)
        .order_by(CharterSignature.signed_at.desc(), CharterSignature.id.desc())
        .limit(1)
    )


def sign(
    user: User,
    version: str,
    *,
    language: str,
    ip_address: str | None,
    user_agent: str,
    expected_sha256: str | None = None,
) -> tuple[CharterSignature, bool]:
    """Sign the current version; returns the signature and whether it was created now."""
    current = current_version()
    if current is None or current.version != version:
        raise CharterError(
            "charter_version_mismatch",
            _(
                "Only the current version of the charter (%(v)s) can be signed.",
                v=current.version if current else "-",
            ),
            status=409,
        )
    existing = signature_for(user, current)
    if existing is not None:
        return existing, False
    text = text_for(current, language)
    digest = sha256_of(text.body)
    if expected_sha256 is not None and expected_sha256 != digest:
        raise CharterError(
            "charter_text_mismatch",
            _("The text you read is not the text of this version; reload it and sign again."),
            status=409,
        )
    signature = CharterSignature(
        user_id=user.id,
        version_id=current.id,
        language=text.language,
        text_sha256=digest,
        ip_address=ip_address,
        user_agent=(user_agent or "")[:512],
    )
    db.session.add(signature)
    record(
        "charter.signed",
        subject=f"charter:{current.version}",
        actor=user,
        details={"sha256": digest, "language": text.language},
    )
    db.session.commit()
    if has_request_context():
        g.pop("ent_charter_state", None)
    return signature, True


def publish(
    version: str, texts: dict[str, str], *, summary: str, actor: User | None
) -> CharterVersion:
    """Publish a new version; every member is asked to sign it on their next visit."""
    version = version.strip()
    if not version or len(version) > 32:
        raise CharterError("validation_error", _("Give the version a short name."), field="version")
    if get_version(version) is not None:
        raise CharterError(
            "validation_error", _("This version already exists."), field="version", status=409
        )
    texts = {lang: body.strip() + "\n" for lang, body in texts.items() if body and body.strip()}
    if REFERENCE_LANGUAGE not in texts:
        raise CharterError("validation_error", _("The French text is required."), field="text_fr")
    unknown = set(texts) - set(LANGUAGES)
    if unknown:
        raise CharterError("validation_error", _("Unknown language."), field="language")
    charter = CharterVersion(
        version=version,
        summary=summary.strip(),
        published_at=utcnow(),
        published_by_id=actor.id if actor else None,
    )
    charter.texts = [CharterText(language=lang, body=body) for lang, body in sorted(texts.items())]
    db.session.add(charter)
    record(
        "charter.published",
        subject=f"charter:{version}",
        actor=actor,
        details={"languages": sorted(texts), "summary": charter.summary},
    )
    db.session.commit()
    return charter


def ensure_default_charter() -> CharterVersion | None:
    """Publish the shipped charter when the platform has none yet (first migration, demo)."""
    if current_version() is not None:
        return None
    texts = {lang: (TEXTS_DIR / f"{lang}.md").read_text(encoding="utf-8") for lang in LANGUAGES}
    return publish(DEFAULT_VERSION, texts, summary="Première version de la charte.", actor=None)


def line_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Lines tagged ``same``, ``added`` or ``removed``, to show what changed since a signature."""
    result: list[tuple[str, str]] = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "  ":
            result.append(("same", text))
        elif tag == "+ ":
            result.append(("added", text))
        elif tag == "- ":
            result.append(("removed", text))
    return result


def signatories(version: CharterVersion) -> list[dict[str, Any]]:
    rows = db.session.execute(
        db.select(CharterSignature, User.email, User.name)
        .join(User, User.id == CharterSignature.user_id)
        .where(CharterSignature.version_id == version.id)
        .order_by(CharterSignature.signed_at, CharterSignature.id)
    ).all()
    return [
        {
            "email": email,
            "name": name,
            "version": version.version,
            "language": sig.language,
            "sha256": sig.text_sha256,
            "signed_at": sig.signed_at.isoformat(),
            "ip_address": sig.ip_address or "",
            "user_agent": sig.user_agent,
        }
        for sig, email, name in rows
    ]
