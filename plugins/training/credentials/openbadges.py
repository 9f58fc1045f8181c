"""Open Badges 3.0 ``OpenBadgeCredential`` built from a :class:`CertificateClaim`, and checked.

The shape follows the OB 3.0 specification (VC Data Model 2.0 contexts): the issuer is a
``Profile`` whose ``id`` is our ``did:key``; the subject is an ``AchievementSubject`` identified by
a salted SHA-256 of the email (``IdentityObject`` with ``hashed: true``) and by name; the
achievement carries name, description and criteria; ``credentialStatus`` is a
``BitstringStatusListEntry`` for revocation.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from . import CertificateClaim, VerificationResult, proof
from .keys import KeyStore, key_store
from .loader import OB_V3, VC_V2

CONTEXT = [VC_V2, OB_V3]
#: Clocks differ: a credential signed a moment ago elsewhere is not "not yet valid" (as in vc.js).
CLOCK_SKEW = timedelta(minutes=5)


def iso(moment: datetime) -> str:
    """XSD dateTime in UTC, to the second (what the VC libraries parse everywhere)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def email_identity(email: str, salt: str) -> dict[str, Any]:
    """OB 3.0 ``IdentityObject``: ``sha256$`` + hex SHA-256 of the normalised email + salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def recipient_matches(credential: Mapping[str, Any], email: str) -> bool:
    """Whether ``email`` is the recipient's (what a verifier who knows the email checks)."""
    subject = credential.get("credentialSubject") or {}
    for identity in subject.get("identifier") or []:
        if identity.get("identityType") == "emailAddress" and identity.get("hashed"):
            expected = email_identity(email, identity.get("salt", ""))["identityHash"]
            if secrets.compare_digest(expected, identity.get("identityHash", "")):
                return True
    return False


# Characters that cannot travel in a credential: lone surrogates (not UTF-8) and the
# noncharacters U+FFFE/U+FFFF, which RDF libraries disagree on when canonicalising (pyoxigraph
# escapes them, rdf-canonize does not), so a text holding one would not verify elsewhere.
_UNSENDABLE = dict.fromkeys([*range(0xD800, 0xE000), 0xFFFE, 0xFFFF])


def _text(value: str) -> str:
    return value.translate(_UNSENDABLE)


def build_credential(claim: CertificateClaim, issuer_did: str) -> dict[str, Any]:
    """The unsigned credential."""
    claim = replace(
        claim,
        **{
            name: _text(getattr(claim, name))
            for name in (
                "number",
                "recipient_name",
                "achievement_name",
                "achievement_description",
                "criteria",
                "issuer_name",
            )
        },
    )
    credential: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": claim.certificate_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{claim.achievement_name} ({claim.number})",
        "issuer": {
            "id": issuer_did,
            "type": ["Profile"],
            "name": claim.issuer_name,
            "url": claim.issuer_url,
        },
        "validFrom": iso(claim.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                email_identity(claim.recipient_email, secrets.token_hex(16)),
                {
                    "type": "IdentityObject",
                    "identityHash": claim.recipient_name,
                    "identityType": "name",
                    "hashed": False,
                },
            ],
            "achievement": {
                "id": claim.achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": claim.achievement_name,
                "description": claim.achievement_description,
                "criteria": {"narrative": claim.criteria},
            },
        },
        "awardedDate": iso(claim.issued_at),
        "credentialStatus": {
            "id": f"{claim.status_list_url}#{claim.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(claim.status_index),
            "statusListCredential": claim.status_list_url,
        },
    }
    if claim.expires_at is not None:
        credential["validUntil"] = iso(claim.expires_at)
    return credential


def issue_credential(
    subject: CertificateClaim, *, issuer: str | None = None, store: KeyStore | None = None
) -> dict[str, Any]:
    """The signed ``OpenBadgeCredential`` of a certificate; store it and serve it unchanged.

    Signed with the current key, or with ``issuer`` (a DID or key id of ours) when the caller
    keeps one status list per issuer (status list and credential must share their issuer).
    """
    key = (store or key_store()).for_issuer(issuer)
    return proof.sign(build_credential(subject, key.did), key)


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def verify_credential(
    credential: Mapping[str, Any], *, now: datetime | None = None
) -> VerificationResult:
    """Check the proof and the validity period (revocation is the caller's: see the class)."""
    now = now or datetime.now(UTC)
    errors: list[str] = []
    method = None
    try:
        method = proof.verify(credential)
    except proof.ProofError as error:
        errors.append(str(error))
    types = credential.get("type") or []
    if "VerifiableCredential" not in types or "OpenBadgeCredential" not in types:
        errors.append("not an OpenBadgeCredential")
    valid_from = _parse_time(credential.get("validFrom"))
    valid_until = _parse_time(credential.get("validUntil"))
    if "validUntil" in credential and valid_until is None:
        errors.append("validUntil is not a date")
    expired = valid_until is not None and now > valid_until
    not_yet_valid = valid_from is None or now + CLOCK_SKEW < valid_from
    if expired:
        errors.append("the credential has expired")
    if not_yet_valid:
        errors.append("the credential is not valid yet")
    issuer = credential.get("issuer")
    status = credential.get("credentialStatus")
    status = status if isinstance(status, Mapping) else {}
    index = status.get("statusListIndex")
    return VerificationResult(
        verified=not errors,
        proof_valid=method is not None,
        expired=expired,
        not_yet_valid=not_yet_valid,
        issuer=issuer.get("id") if isinstance(issuer, Mapping) else issuer,
        verification_method=method,
        status_list_url=status.get("statusListCredential"),
        status_index=int(index) if isinstance(index, str) and index.isdigit() else None,
        errors=tuple(errors),
    )
