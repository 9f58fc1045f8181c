"""The platform's signing keys: Ed25519, generated on first use, kept in the instance folder.

Layout (``<instance>/keys/training/``): one PKCS#8 PEM file per key (``<kid>.pem``, mode 0600)
and a ``current`` file naming the key that signs new credentials. A rotation adds a key and moves
``current``; earlier keys stay, so credentials they signed keep verifying (their ``did:key`` holds
the public key anyway) and their VC-JWT can still be produced. Private keys are never served.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from . import did_key

_KID_TIME_FORMAT = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True, slots=True)
class IssuerKey:
    """One signing key and the identifiers derived from it."""

    kid: str
    created_at: datetime
    private_key: Ed25519PrivateKey = field(repr=False, compare=False)

    @property
    def did(self) -> str:
        return did_key.did_for(self.private_key.public_key())

    @property
    def verification_method(self) -> str:
        return did_key.verification_method_for(self.private_key.public_key())


class KeyStore:
    """Keys under one folder; safe across the web workers and the job worker (file lock)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._keys: dict[str, IssuerKey] = {}
        self._current: tuple[int, str] | None = None  # (mtime_ns of `current`, kid)
        self._mutex = threading.Lock()

    # -- reading -----------------------------------------------------------------------------
    def current(self) -> IssuerKey:
        """The key that signs new credentials, created on first use."""
        pointer = self.folder / "current"
        try:
            stamp = pointer.stat().st_mtime_ns
        except FileNotFoundError:
            with self._locked():
                if not pointer.exists():
                    self._write_current(self._generate().kid)
            stamp = pointer.stat().st_mtime_ns
        cached = self._current
        if cached is None or cached[0] != stamp:
            kid = pointer.read_text(encoding="ascii").strip()
            cached = self._current = (stamp, kid)
        return self.get(cached[1])

    def get(self, kid: str) -> IssuerKey:
        """A key by id (``KeyError`` if it does not exist)."""
        key = self._keys.get(kid)
        if key is None:
            if not kid or "/" in kid or kid.startswith("."):
                raise KeyError(kid)
            path = self.folder / f"{kid}.pem"
            try:
                private = load_pem_private_key(path.read_bytes(), password=None)
            except FileNotFoundError:
                raise KeyError(kid) from None
            if not isinstance(private, Ed25519PrivateKey):
                raise KeyError(kid)
            key = IssuerKey(kid=kid, created_at=_created_at(kid, path), private_key=private)
            with self._mutex:
                self._keys[kid] = key
        return key

    def all(self) -> list[IssuerKey]:
        """Every key, oldest first."""
        if not self.folder.is_dir():
            return []
        keys = [self.get(path.stem) for path in self.folder.glob("*.pem")]
        return sorted(keys, key=lambda key: (key.created_at, key.kid))

    def for_issuer(self, issuer: str | None) -> IssuerKey:
        """The current key, or ours whose DID or key id is ``issuer`` (``LookupError`` if none)."""
        if issuer is None:
            return self.current()
        for key in self.all():
            if issuer in (key.did, key.kid):
                return key
        raise LookupError(f"no signing key for issuer {issuer}")

    def by_verification_method(self, method_id: str) -> IssuerKey | None:
        """Our key behind a verification method, if it is one of ours."""
        return next((k for k in self.all() if k.verification_method == method_id), None)

    # -- writing -----------------------------------------------------------------------------
    def rotate(self) -> IssuerKey:
        """Make a new key current; earlier keys are kept."""
        with self._locked():
            key = self._generate()
            self._write_current(key.kid)
        return key

    def _generate(self) -> IssuerKey:
        now = datetime.now(UTC).replace(microsecond=0)
        kid = f"ed25519-{now.strftime(_KID_TIME_FORMAT)}-{secrets.token_hex(3)}"
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        path = self.folder / f"{kid}.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        return self.get(kid)

    def _write_current(self, kid: str) -> None:
        tmp = self.folder / f".current.{os.getpid()}.tmp"
        tmp.write_text(kid + "\n", encoding="ascii")
        os.replace(tmp, self.folder / "current")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.folder / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _created_at(kid: str, path: Path) -> datetime:
    try:
        stamp = kid.split("-")[1]
        return datetime.strptime(stamp, _KID_TIME_FORMAT).replace(tzinfo=UTC)
    except (IndexError, ValueError):
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)


_stores: dict[Path, KeyStore] = {}
_stores_mutex = threading.Lock()


def key_store(folder: Path | None = None) -> KeyStore:
    """The store of the running application (``<instance>/keys/training``), or of ``folder``."""
    if folder is None:
        from flask import current_app

        folder = Path(current_app.instance_path) / "keys" / "training"
    folder = Path(folder).resolve()
    with _stores_mutex:
        store = _stores.get(folder)
        if store is None:
            store = _stores[folder] = KeyStore(folder)
    return store


def current_issuer_did(folder: Path | None = None) -> str:
    """The DID that will sign the next credential (status lists are kept per issuer DID)."""
    return key_store(folder).current().did


def current_key_id(folder: Path | None = None) -> str:
    """Short id of the current key (URL-safe): name a status list after it, and pass it as
    ``issuer=`` to :func:`issue_credential` and :func:`status_list_credential`."""
    return key_store(folder).current().kid
