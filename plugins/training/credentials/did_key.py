"""``did:key`` for Ed25519 keys: the issuer's identifier carries its own public key.

A verifier resolves the DID without asking anyone (no network, no platform), which is what lets a
certificate verify in ten years even if the platform is gone (https://w3c-ccg.github.io/did-key-spec/).
"""

from __future__ import annotations

from typing import Any

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .loader import MULTIKEY_V1

DID_V1 = "https://www.w3.org/ns/did/v1"
#: Multicodec prefix of an Ed25519 public key (0xed, varint-encoded).
ED25519_PUB_PREFIX = b"\xed\x01"


class DidKeyError(ValueError):
    """The identifier is not a did:key of an Ed25519 key."""


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """Multikey encoding: ``z`` + base58btc(0xed01 + the 32 raw bytes)."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUB_PREFIX + raw).decode("ascii")


def did_for(public_key: Ed25519PublicKey) -> str:
    """The ``did:key`` of a public key."""
    return "did:key:" + public_key_multibase(public_key)


def verification_method_for(public_key: Ed25519PublicKey) -> str:
    """The verification method id: the DID, with the multibase key as fragment."""
    multibase = public_key_multibase(public_key)
    return f"did:key:{multibase}#{multibase}"


def public_key_from_multibase(multibase: str) -> Ed25519PublicKey:
    """Decode a ``publicKeyMultibase`` value of an Ed25519 Multikey."""
    if not multibase.startswith("z"):
        raise DidKeyError("publicKeyMultibase must be base58btc (z…)")
    try:
        decoded = base58.b58decode(multibase[1:])
    except ValueError as error:
        raise DidKeyError("publicKeyMultibase is not base58btc") from error
    if len(decoded) != 34 or not decoded.startswith(ED25519_PUB_PREFIX):
        raise DidKeyError("not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def resolve(did_url: str) -> dict[str, Any]:
    """The DID document of a ``did:key`` (with or without fragment), built offline.

    Same shape as the did:key method's Multikey documents (the DID v1 and Multikey v1 contexts).
    """
    did, _, fragment = did_url.partition("#")
    if not did.startswith("did:key:"):
        raise DidKeyError(f"not a did:key: {did_url}")
    multibase = did.removeprefix("did:key:")
    public_key_from_multibase(multibase)
    if fragment and fragment != multibase:
        raise DidKeyError(f"unknown verification method: {did_url}")
    method_id = f"{did}#{multibase}"
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multibase,
            }
        ],
        "authentication": [method_id],
        "assertionMethod": [method_id],
        "capabilityDelegation": [method_id],
        "capabilityInvocation": [method_id],
    }


def resolve_verification_method(
    method_id: str, purpose: str = "assertionMethod"
) -> tuple[str, Ed25519PublicKey]:
    """(controller DID, public key) of a verification method allowed for ``purpose``."""
    document = resolve(method_id)
    if method_id not in document.get(purpose, []):
        raise DidKeyError(f"{method_id} is not authorised for {purpose}")
    method = document["verificationMethod"][0]
    return method["controller"], public_key_from_multibase(method["publicKeyMultibase"])
