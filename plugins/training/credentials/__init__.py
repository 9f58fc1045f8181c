"""Verifiable credentials for the training plugin's certificates.

Every certificate is also a 1EdTech Open Badges 3.0 ``OpenBadgeCredential`` (W3C Verifiable
Credentials Data Model 2.0) secured with an embedded ``DataIntegrityProof`` (``eddsa-rdfc-2022``,
Ed25519), and can be served as a VC-JWT too. The issuer is a ``did:key``, so any verifier resolves
the key offline, and earlier keys stay verifiable after a rotation (docs/credentials.md).

The rest of the plugin calls only the names below: it describes a certificate with
:class:`CertificateClaim`, stores the dict :func:`issue_credential` returns, and serves the status
list from :func:`status_list_credential`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "CertificateClaim",
    "VerificationResult",
    "credential_jwt",
    "current_issuer_did",
    "current_key_id",
    "issue_credential",
    "keys_cli",
    "register_cli",
    "status_list_credential",
    "verify_credential",
    "verify_credential_jwt",
    "warm_up",
]


@dataclass(frozen=True, slots=True)
class CertificateClaim:
    """What a certificate says, in the plugin's words; the credential is built from it alone.

    ``certificate_id`` is the public verification URL (it becomes the credential's ``id``);
    ``achievement_id`` a stable URL of the course; ``status_list_url`` and ``status_index`` the
    position of this certificate's revocation bit. Datetimes must be timezone-aware (UTC).
    """

    certificate_id: str
    number: str
    recipient_email: str
    recipient_name: str
    achievement_id: str
    achievement_name: str
    achievement_description: str
    criteria: str
    issuer_name: str
    issuer_url: str
    issued_at: datetime
    expires_at: datetime | None
    status_list_url: str
    status_index: int


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """Our own check of a credential: the proof and the validity period.

    Revocation is not decided here: the caller checks ``status_list_url``/``status_index`` against
    its own table (it is the one that publishes that list).
    """

    verified: bool
    proof_valid: bool
    expired: bool
    not_yet_valid: bool = False
    issuer: str | None = None
    verification_method: str | None = None
    status_list_url: str | None = None
    status_index: int | None = None
    errors: tuple[str, ...] = field(default=())


# The functions load their libraries (pyld, pyoxigraph, joserfc: about 25 MB) on first use, so
# that a web worker which never signs does not carry them (registering the CLI imports this).
_LAZY = {
    "credential_jwt": ".jwt",
    "verify_credential_jwt": ".jwt",
    "current_issuer_did": ".keys",
    "current_key_id": ".keys",
    "issue_credential": ".openbadges",
    "verify_credential": ".openbadges",
    "status_list_credential": ".status_list",
    "keys_cli": ".cli",
    "register_cli": ".cli",
}


def warm_up() -> None:
    """Sign one throwaway credential, so that the signing libraries are imported and the
    JSON-LD contexts parsed in this process (a forked job worker inherits them: see plugin.py).

    Uses a key made here and dropped: nothing is written, the platform's keys are not read.
    """
    from datetime import UTC
    from datetime import datetime as _datetime

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from . import proof
    from .keys import IssuerKey
    from .openbadges import build_credential

    now = _datetime.now(UTC).replace(microsecond=0)
    claim = CertificateClaim(
        certificate_id="https://ent.invalid/certificates/WARM",
        number="WARM",
        recipient_email="warm@ent.invalid",
        recipient_name="Warm",
        achievement_id="https://ent.invalid/courses/0",
        achievement_name="Warm",
        achievement_description="Warm",
        criteria="Warm",
        issuer_name="Warm",
        issuer_url="https://ent.invalid/",
        issued_at=now,
        expires_at=now,
        status_list_url="https://ent.invalid/status/0",
        status_index=0,
    )
    key = IssuerKey("warm", now, Ed25519PrivateKey.generate())
    proof.sign(build_credential(claim, key.did), key)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .cli import keys_cli, register_cli
    from .jwt import credential_jwt, verify_credential_jwt
    from .keys import current_issuer_did, current_key_id
    from .openbadges import issue_credential, verify_credential
    from .status_list import status_list_credential
