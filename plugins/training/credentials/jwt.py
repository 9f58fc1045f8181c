"""VC-JWT: the same credential secured with JOSE (W3C VC-JOSE-COSE, ``application/vc+jwt``).

The JWS payload is the credential itself (without the embedded proof, which the JWS replaces);
the protected header names the algorithm (``EdDSA``), the media types and the ``kid``, which is
the credential's ``did:key`` verification method, so the same offline resolution applies.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import OKPKey

from . import did_key
from .keys import IssuerKey, KeyStore, key_store

TYP = "vc+jwt"
# RFC 9864 prefers the fully specified "Ed25519" name, but VC-JOSE-COSE verifiers deployed today
# expect "EdDSA" (same algorithm, same key): keep it, and silence joserfc's notice about it.
ALG = "EdDSA"
CTY = "vc"


def _okp(key: IssuerKey) -> OKPKey:
    return OKPKey.import_key(key.private_key)


def _signing_key_for(credential: Mapping[str, Any], store: KeyStore) -> IssuerKey:
    """The key that signed the embedded proof (the JWT must come from the same issuer)."""
    proof = credential.get("proof")
    method = proof.get("verificationMethod") if isinstance(proof, Mapping) else None
    if isinstance(method, str):
        key = store.by_verification_method(method)
        if key is not None:
            return key
        raise LookupError("the key that signed this credential is not one of ours")
    return store.current()


def credential_jwt(credential: Mapping[str, Any], *, store: KeyStore | None = None) -> str:
    """Compact JWS of the credential, signed EdDSA by the key that issued it."""
    key = _signing_key_for(credential, store or key_store())
    payload = {name: value for name, value in credential.items() if name != "proof"}
    issuer = payload.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if issuer_id != key.did:
        raise LookupError("the credential's issuer is not the signing key's DID")
    header = {"alg": ALG, "typ": TYP, "cty": CTY, "kid": key.verification_method}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)
        return jws.serialize_compact(header, body, _okp(key), algorithms=[ALG])


def verify_credential_jwt(token: str) -> dict[str, Any]:
    """The credential of a VC-JWT whose signature checks against its ``kid`` (a did:key).

    Raises ``ValueError`` when the token is malformed, the key is not the issuer's, or the
    signature does not match. Validity dates are checked by :func:`verify_credential`'s rules.
    """
    try:
        header = jws.extract_compact(token.encode("ascii")).protected
        kid = header.get("kid")
        if header.get("alg") != ALG or header.get("typ") != TYP or not isinstance(kid, str):
            raise ValueError("not an EdDSA vc+jwt with a kid")
        controller, public_key = did_key.resolve_verification_method(kid)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SecurityWarning)
            verified = jws.deserialize_compact(
                token, OKPKey.import_key(public_key), algorithms=[ALG]
            )
    except (JoseError, did_key.DidKeyError, UnicodeError) as error:
        raise ValueError(f"invalid VC-JWT: {error}") from error
    credential = json.loads(verified.payload)
    issuer = credential.get("issuer")
    if (issuer.get("id") if isinstance(issuer, Mapping) else issuer) != controller:
        raise ValueError("invalid VC-JWT: the kid is not the issuer's key")
    return credential
