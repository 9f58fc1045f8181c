"""W3C Bitstring Status List: the signed list that tells a verifier which certificates are revoked.

Bit ``i`` (counting from the most significant bit of the first byte) is 1 when the credential
whose ``statusListIndex`` is ``i`` is revoked. The bits are GZIP-compressed and encoded as
multibase base64url without padding (``u…``), and the list is at least 16 KiB (131,072 entries)
so that a list does not single out the few certificates it holds (herd privacy).
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from . import proof
from .keys import KeyStore, key_store
from .loader import VC_V2
from .openbadges import iso

MIN_LENGTH = 131072


def encode_list(revoked_indexes: Iterable[int], length: int = MIN_LENGTH) -> str:
    """``encodedList`` of a list of ``length`` bits with ``revoked_indexes`` set."""
    if length < MIN_LENGTH or length % 8:
        raise ValueError(f"a status list holds at least {MIN_LENGTH} bits, a multiple of 8")
    bits = bytearray(length // 8)
    for index in revoked_indexes:
        if not 0 <= index < length:
            raise ValueError(f"status index {index} outside the list (0..{length - 1})")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_list(encoded: str) -> bytes:
    """The raw bits of an ``encodedList``."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (u…)")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def is_set(encoded: str, index: int) -> bool:
    """Whether bit ``index`` of an ``encodedList`` is set (revoked)."""
    bits = decode_list(encoded)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    url: str,
    revoked_indexes: Iterable[int],
    *,
    length: int = MIN_LENGTH,
    issuer: str | None = None,
    issuer_name: str | None = None,
    valid_until: datetime | None = None,
    store: KeyStore | None = None,
) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential`` published at ``url``.

    ``length`` is a minimum: it must exceed every index handed out for this list (a verifier
    refuses an index past the end); it grows by itself to hold the revoked ones. ``issuer`` (a
    DID or key id of ours; default: the current key) must be the issuer of the credentials that
    point at this list: verifiers check that both match, so keep one list per issuing key.
    Cache the result: signing costs a few milliseconds.
    """
    key = (store or key_store()).for_issuer(issuer)
    revoked = sorted(set(revoked_indexes))
    if revoked and revoked[-1] >= length:
        length = (revoked[-1] // MIN_LENGTH + 1) * MIN_LENGTH
    credential: dict[str, Any] = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": key.did, "name": issuer_name} if issuer_name else key.did,
        "validFrom": iso(datetime.now(UTC)),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(revoked, length),
        },
    }
    if valid_until is not None:
        credential["validUntil"] = iso(valid_until)
    return proof.sign(credential, key)
