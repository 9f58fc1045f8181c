"""``DataIntegrityProof`` with the ``eddsa-rdfc-2022`` cryptosuite (W3C VC Data Integrity EdDSA).

Create: canonicalise (RDFC-1.0) the proof options and the document, hash each with SHA-256, sign
``hash(options) || hash(document)`` with Ed25519, encode the signature base58btc (``z…``).
Verify: the same bytes, checked against the key the ``did:key`` verification method carries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature

from . import did_key
from .canonical import canonicalize
from .keys import IssuerKey

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(ValueError):
    """The proof is missing, malformed, or does not match the document."""


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=256)
def _options_digest(options_json: str) -> bytes:
    # Bulk issuing signs many credentials with the same options (same second, same key): their
    # canonical form is computed once, saving a third of the signing time.
    return hashlib.sha256(canonicalize(json.loads(options_json)).encode("utf-8")).digest()


def hash_data(unsecured: Mapping[str, Any], proof_options: Mapping[str, Any]) -> bytes:
    """The 64 bytes that are signed: SHA-256 of the canonical options, then of the document."""
    options = {**proof_options, "@context": unsecured["@context"]}
    options.pop("proofValue", None)
    options_json = json.dumps(options, sort_keys=True, ensure_ascii=False)
    return (
        _options_digest(options_json)
        + hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest()
    )


def sign(
    document: Mapping[str, Any],
    key: IssuerKey,
    *,
    created: datetime | None = None,
    purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """A copy of ``document`` with an embedded proof by ``key``."""
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    options: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(created or datetime.now(UTC)),
        "verificationMethod": key.verification_method,
        "proofPurpose": purpose,
    }
    signature = key.private_key.sign(hash_data(unsecured, options))
    options["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    return {**unsecured, "proof": options}


def verify(document: Mapping[str, Any], *, purpose: str = "assertionMethod") -> str:
    """Check the embedded proof; returns the verification method id, raises :class:`ProofError`."""
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, Mapping):
        raise ProofError("the document has no single embedded proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"unsupported proof: {proof.get('type')}/{proof.get('cryptosuite')}")
    if proof.get("proofPurpose") != purpose:
        raise ProofError(f"proof purpose is not {purpose}")
    method_id = proof.get("verificationMethod")
    value = proof.get("proofValue")
    if not isinstance(method_id, str) or not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("proof without verificationMethod or base58btc proofValue")
    try:
        controller, public_key = did_key.resolve_verification_method(method_id, purpose)
    except did_key.DidKeyError as error:
        raise ProofError(str(error)) from error
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if issuer_id is not None and issuer_id != controller:
        raise ProofError("the verification method is not controlled by the issuer")
    unsecured = {name: val for name, val in document.items() if name != "proof"}
    try:
        signature = base58.b58decode(value[1:])
        public_key.verify(signature, hash_data(unsecured, proof))
    except (InvalidSignature, ValueError) as error:
        raise ProofError("the signature does not match the document") from error
    except Exception as error:  # pyld raises its own errors for unprocessable JSON-LD
        raise ProofError(f"the document cannot be canonicalised: {error}") from error
    return method_id
