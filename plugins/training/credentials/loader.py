"""JSON-LD contexts bundled with the plugin, and a document loader that never uses the network.

A credential must verify in ten years even if a context's host is gone, and signing must not wait
on a remote server: every context we use is a file in ``contexts/`` (copied from the npm packages
the independent verifier uses), parsed once per process.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

CONTEXTS_DIR = Path(__file__).with_name("contexts")

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
BITSTRING_STATUS_LIST_V1 = "https://www.w3.org/ns/credentials/status/v1"

#: Context URL -> bundled file. The files come from the npm packages named in docs/credentials.md.
CONTEXT_FILES: dict[str, str] = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    BITSTRING_STATUS_LIST_V1: "vc-bitstring-status-list-v1.jsonld",
}


class ContextNotBundled(LookupError):
    """A document asked for a context we do not ship: we refuse rather than fetch it."""


@cache
def bundled_context(url: str) -> dict[str, Any]:
    """The parsed context document for ``url``; raises :class:`ContextNotBundled` otherwise."""
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise ContextNotBundled(url)
    return json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader over the bundled files only (signature of pyld's loaders)."""
    try:
        document = bundled_context(url)
    except ContextNotBundled as error:
        from pyld.jsonld import JsonLdError

        raise JsonLdError(
            f"Context not bundled with the training plugin: {url}",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        ) from error
    # tag "static": pyld then keeps the resolved context in its process-wide cache (warm loader).
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": document,
        "contentType": None,
        "tag": "static",
    }
