"""Verifiable credentials: our own issuing and checking (the independent verifier has its own file).

Through the credentials package's public functions and the ``ent training keys`` commands.
"""

from __future__ import annotations

import copy
import hashlib
import json
import multiprocessing
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ent_plugins.training.credentials import (
    CertificateClaim,
    credential_jwt,
    did_key,
    issue_credential,
    status_list_credential,
    verify_credential,
    verify_credential_jwt,
)
from ent_plugins.training.credentials.keys import KeyStore, key_store
from ent_plugins.training.credentials.status_list import decode_list, is_set

NOW = datetime.now(UTC).replace(microsecond=0)
LIST_URL = "https://ent.example/s/cime/training/status/1"


def claim(**changes: Any) -> CertificateClaim:
    base = CertificateClaim(
        certificate_id="https://ent.example/s/cime/training/certificates/CIME-2026-0001",
        number="CIME-2026-0001",
        recipient_email="Amina.Learner@example.ma",
        recipient_name="Amina El Idrissi",
        achievement_id="https://ent.example/s/cime/training/courses/7",
        achievement_name="Journalisme de données",
        achievement_description="Trouver, vérifier et visualiser des données.",
        criteria="Quiz ≥ 60 %, devoir rendu, 80 % de présence.",
        issuer_name="CIME",
        issuer_url="https://ent.example/s/cime",
        issued_at=NOW - timedelta(days=1),
        expires_at=NOW + timedelta(days=365),
        status_list_url=LIST_URL,
        status_index=42,
    )
    return replace(base, **changes)


@pytest.fixture
def store(tmp_path: Path) -> KeyStore:
    return KeyStore(tmp_path / "keys" / "training")


def test_credential_is_an_open_badge_3_with_an_eddsa_rdfc_2022_proof(store: KeyStore) -> None:
    credential = issue_credential(claim(), store=store)

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == claim().certificate_id
    assert credential["validUntil"] > credential["validFrom"]
    proof = credential["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"].startswith(credential["issuer"]["id"] + "#z6Mk")
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == "Journalisme de données"
    assert achievement["criteria"] == {"narrative": claim().criteria}
    assert credential["credentialStatus"] == {
        "id": f"{LIST_URL}#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": LIST_URL,
    }


def test_recipient_is_a_salted_hash_of_the_email(store: KeyStore) -> None:
    credential = issue_credential(claim(), store=store)
    text = json.dumps(credential)
    identity = credential["credentialSubject"]["identifier"][0]

    assert "amina.learner@example.ma" not in text.lower()
    assert identity["hashed"] is True
    assert identity["identityType"] == "emailAddress"
    expected = hashlib.sha256(("amina.learner@example.ma" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}"
    other = issue_credential(claim(), store=store)["credentialSubject"]["identifier"][0]
    assert other["salt"] != identity["salt"]
    assert other["identityHash"] != identity["identityHash"]


def test_our_verifier_accepts_a_fresh_credential(store: KeyStore) -> None:
    result = verify_credential(issue_credential(claim(), store=store))

    assert result.verified, result.errors
    assert result.proof_valid
    assert (result.status_list_url, result.status_index) == (LIST_URL, 42)


@pytest.mark.parametrize(
    "path, value",
    [
        (("credentialSubject", "achievement", "name"), "Data journalism"),
        (("credentialSubject", "identifier", 0, "identityHash"), "sha256$" + "0" * 64),
        (("validUntil",), "2099-01-01T00:00:00Z"),
        (("issuer", "name"), "Someone else"),
    ],
)
def test_our_verifier_rejects_a_tampered_credential(
    store: KeyStore, path: tuple[Any, ...], value: str
) -> None:
    credential = copy.deepcopy(issue_credential(claim(), store=store))
    target: Any = credential
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value

    result = verify_credential(credential)

    assert not result.verified
    assert not result.proof_valid


def test_our_verifier_rejects_an_expired_credential(store: KeyStore) -> None:
    credential = issue_credential(
        claim(issued_at=NOW - timedelta(days=400), expires_at=NOW - timedelta(days=35)), store=store
    )

    result = verify_credential(credential)

    assert result.proof_valid
    assert result.expired
    assert not result.verified
    assert verify_credential(credential, now=NOW - timedelta(days=40)).verified


def test_proof_by_a_key_the_issuer_does_not_control_is_refused(store: KeyStore) -> None:
    credential = issue_credential(claim(), store=store)
    other = KeyStore(store.folder.parent / "other").current()
    credential["issuer"]["id"] = other.did

    result = verify_credential(credential)

    assert not result.verified
    assert "not controlled by the issuer" in " ".join(result.errors)


def test_keys_are_created_on_first_use_in_the_instance_folder(app: Any) -> None:
    with app.app_context():
        folder = Path(app.instance_path) / "keys" / "training"
        key = key_store().current()

    pem = folder / f"{key.kid}.pem"
    assert pem.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    assert (folder / "current").read_text().strip() == key.kid


def test_rotation_keeps_earlier_credentials_verifiable(store: KeyStore) -> None:
    before = issue_credential(claim(), store=store)
    old = store.current()
    new = store.rotate()
    after = issue_credential(claim(number="CIME-2026-0002"), store=store)

    assert new.kid != old.kid
    assert store.current().kid == new.kid
    assert after["issuer"]["id"] == new.did != before["issuer"]["id"]
    assert verify_credential(before).verified
    assert verify_credential(after).verified
    again = issue_credential(claim(), store=store, issuer=old.did)
    assert again["issuer"]["id"] == old.did


def test_rotation_is_seen_by_another_process_sharing_the_folder(store: KeyStore) -> None:
    first = store.current()
    KeyStore(store.folder).rotate()  # e.g. `ent training keys rotate` while a worker runs

    assert store.current().kid != first.kid


def _first_key_in(folder: str, barrier: Any, results: Any) -> None:
    barrier.wait()  # all processes ask for the key at the same moment
    results.put(KeyStore(Path(folder)).current().kid)


def test_processes_starting_together_create_one_key(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(6), context.Queue()
    workers = [
        context.Process(target=_first_key_in, args=(str(folder), barrier, results))
        for _ in range(6)
    ]
    for worker in workers:
        worker.start()
    kids = {results.get(timeout=60) for _ in workers}
    for worker in workers:
        worker.join(timeout=60)

    assert len(kids) == 1
    assert [p.name for p in folder.glob("*.pem")] == [f"{kids.pop()}.pem"]


def test_did_key_resolves_offline_to_the_signing_key(store: KeyStore) -> None:
    key = store.current()

    document = did_key.resolve(key.verification_method)

    assert document["id"] == key.did
    assert document["assertionMethod"] == [key.verification_method]
    method = document["verificationMethod"][0]
    assert method["type"] == "Multikey"
    assert method["controller"] == key.did
    public = did_key.public_key_from_multibase(method["publicKeyMultibase"])
    public.verify(key.private_key.sign(b"offline"), b"offline")
    with pytest.raises(did_key.DidKeyError):
        did_key.resolve(key.did + "#other")


def test_status_list_sets_the_bits_of_revoked_certificates(store: KeyStore) -> None:
    credential = status_list_credential(LIST_URL, [0, 42, 131071], store=store)
    subject = credential["credentialSubject"]

    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert subject["encodedList"].startswith("u")
    assert len(decode_list(subject["encodedList"])) == 131072 // 8
    assert [i for i in (0, 1, 41, 42, 43, 131071) if is_set(subject["encodedList"], i)] == [
        0,
        42,
        131071,
    ]
    assert decode_list(subject["encodedList"])[0] == 0x80  # bit 0 is the leftmost bit
    assert verify_credential(credential).proof_valid
    with pytest.raises(ValueError):
        status_list_credential(LIST_URL, [-1], store=store)


def test_status_list_grows_to_hold_every_revoked_index(store: KeyStore) -> None:
    credential = status_list_credential(LIST_URL, [200_000], store=store, issuer_name="CIME")
    encoded = credential["credentialSubject"]["encodedList"]

    assert len(decode_list(encoded)) * 8 == 2 * 131072
    assert is_set(encoded, 200_000)
    assert credential["issuer"] == {"id": store.current().did, "name": "CIME"}
    assert verify_credential(credential).proof_valid


def test_vc_jwt_carries_the_credential_signed_by_its_issuer(store: KeyStore) -> None:
    credential = issue_credential(claim(), store=store)

    token = credential_jwt(credential, store=store)

    header = json.loads(_b64(token.split(".")[0]))
    assert header == {
        "alg": "EdDSA",
        "typ": "vc+jwt",
        "cty": "vc",
        "kid": credential["proof"]["verificationMethod"],
    }
    payload = verify_credential_jwt(token)
    assert "proof" not in payload
    assert payload == {k: v for k, v in credential.items() if k != "proof"}
    head, _body, signature = token.split(".")
    forged = _b64e(json.dumps({**payload, "name": "Forged"}).encode())
    with pytest.raises(ValueError):
        verify_credential_jwt(f"{head}.{forged}.{signature}")


def test_vc_jwt_of_an_old_credential_is_signed_by_the_old_key(store: KeyStore) -> None:
    credential = issue_credential(claim(), store=store)
    store.rotate()

    token = credential_jwt(credential, store=store)

    assert verify_credential_jwt(token)["issuer"]["id"] == credential["issuer"]["id"]


def test_cli_lists_and_rotates_keys_without_printing_private_keys(app: Any) -> None:
    runner = app.test_cli_runner()

    listed = runner.invoke(args=["training", "keys", "list", "--json"])
    rotated = runner.invoke(args=["training", "keys", "rotate", "--json"])
    after = runner.invoke(args=["training", "keys", "list", "--json"])

    assert listed.exit_code == 0, listed.output
    assert rotated.exit_code == 0, rotated.output
    keys = json.loads(after.output)
    assert [k["kid"] for k in keys if k["current"]] == [json.loads(rotated.output)["kid"]]
    assert {k["kid"] for k in json.loads(listed.output)} < {k["kid"] for k in keys}
    assert all(k["did"].startswith("did:key:z6Mk") for k in keys)
    assert "PRIVATE KEY" not in listed.output + rotated.output + after.output


def _b64(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64e(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
