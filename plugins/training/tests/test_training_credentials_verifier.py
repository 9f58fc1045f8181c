"""The independent verifier (Digital Bazaar's libraries under node) judges our credentials.

``tests/verifier/verify.mjs`` uses only npm packages (``@digitalbazaar/vc``, the
``eddsa-rdfc-2022`` cryptosuite, ``did-method-key``, the bitstring status list library, the
contexts' packages), offline. Without node or ``npm ci`` in that folder these tests skip, and fail
under ``ENT_TEST_REQUIRE_SERVICES=1`` (CI).
"""

from __future__ import annotations

import base64
import copy
import json
import os
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from ent_plugins.training.credentials import (
    CertificateClaim,
    credential_jwt,
    did_key,
    issue_credential,
    status_list_credential,
    verify_credential,
)
from ent_plugins.training.credentials.keys import KeyStore
from ent_plugins.training.credentials.loader import CONTEXT_FILES, bundled_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from training_kit import API, BASE

VERIFIER = Path(__file__).with_name("verifier")
NOW = datetime.now(UTC).replace(microsecond=0)
LIST_URL = "https://ent.example/s/cime/training/status/1"


@pytest.fixture(scope="module")
def node() -> str:
    executable = shutil.which("node")
    missing = None
    if executable is None:
        missing = "node is not installed"
    elif not (VERIFIER / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        missing = f"the verifier's npm packages are missing: run `npm ci` in {VERIFIER}"
    if missing:
        if os.environ.get("ENT_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{missing} (ENT_TEST_REQUIRE_SERVICES=1)", pytrace=False)
        pytest.skip(missing)
    assert executable is not None
    return executable


@pytest.fixture
def verify(node: str) -> Any:
    def run(payload: dict[str, Any]) -> dict[str, Any]:
        completed = subprocess.run(
            [node, str(VERIFIER / "verify.mjs")],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            timeout=60,
            cwd=VERIFIER,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        return json.loads(completed.stdout)

    return run


@pytest.fixture
def store(tmp_path: Path) -> KeyStore:
    return KeyStore(tmp_path / "keys")


def claim(**changes: Any) -> CertificateClaim:
    base = CertificateClaim(
        certificate_id="https://ent.example/s/cime/training/certificates/CIME-2026-0001",
        number="CIME-2026-0001",
        recipient_email="amina@example.ma",
        recipient_name="أمينة الإدريسي",
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


def test_independent_verifier_accepts_our_credential(store: KeyStore, verify: Any) -> None:
    result = verify(issue_credential(claim(), store=store))

    assert result == {"verified": True, "errors": [], "status": {"checked": False, "revoked": None}}


@pytest.mark.parametrize(
    "path, value",
    [
        (("credentialSubject", "achievement", "name"), "Data journalism"),
        (("credentialSubject", "achievement", "criteria", "narrative"), "Nothing"),
        (("credentialSubject", "identifier", 0, "identityHash"), "sha256$" + "0" * 64),
        (("validUntil",), "2099-01-01T00:00:00Z"),
        (("credentialStatus", "statusListIndex"), "43"),
    ],
)
def test_independent_verifier_rejects_a_tampered_credential(
    store: KeyStore, verify: Any, path: tuple[Any, ...], value: str
) -> None:
    credential = copy.deepcopy(issue_credential(claim(), store=store))
    target: Any = credential
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value

    result = verify(credential)

    assert result["verified"] is False
    assert "Invalid signature." in result["errors"]


def test_independent_verifier_rejects_an_expired_credential(store: KeyStore, verify: Any) -> None:
    # vc.js compares validUntil with the current time (allowing 300 s of clock skew), so a
    # credential that expired a month ago is refused with a signature that is still valid.
    credential = issue_credential(
        claim(issued_at=NOW - timedelta(days=400), expires_at=NOW - timedelta(days=30)), store=store
    )

    expired = verify(credential)
    back_then = verify({"credential": credential, "now": _iso(NOW - timedelta(days=31))})

    assert expired["verified"] is False
    assert any('after "validUntil"' in error for error in expired["errors"]), expired
    assert back_then["verified"] is True, back_then


def test_the_same_credential_is_refused_once_its_validity_ends(
    store: KeyStore, verify: Any
) -> None:
    credential = issue_credential(claim(expires_at=NOW + timedelta(days=10)), store=store)

    later = verify({"credential": credential, "now": _iso(NOW + timedelta(days=11))})

    assert later["verified"] is False
    assert any('after "validUntil"' in error for error in later["errors"]), later


TRICKY_TEXTS = [
    "tab\there, CR LF\r\nthere",
    'quotes " and \\ backslashes \\" and \\\\',
    "controls \x00 \x01 \x08 \x0b \x0c \x1f \x7f (RDFC-1.0 escapes them)",
    "\u200fشهادة في صحافة البيانات\u200e — أمينة",  # noqa: RUF001
    "line\u2028and paragraph\u2029separators, NEL\x85, NBSP\xa0",
    "combining e\u0301, emoji 🎓✔️, astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",  # noqa: RUF001
    "noncharacters \ufffe \uffff are dropped, lone surrogate \ud800 too",
    "<b>markup</b> & entities &amp; stay text",
]


def _with_texts(texts: list[str], store: KeyStore) -> list[dict[str, Any]]:
    return [
        issue_credential(
            claim(
                recipient_name=text,
                achievement_name=text,
                achievement_description=text[::-1],
                criteria=text + text,
                issuer_name=text[:3],
                number=f"N-{i}",
            ),
            store=store,
        )
        for i, text in enumerate(texts)
    ]


def test_texts_that_need_escaping_verify_in_both_implementations(
    store: KeyStore, verify: Any
) -> None:
    credentials = _with_texts(TRICKY_TEXTS, store)

    results = verify({"batch": credentials})

    assert [r["errors"] for r in results] == [[] for _ in TRICKY_TEXTS]
    assert all(verify_credential(c).verified for c in credentials)
    assert "\ufffe" not in json.dumps(credentials, ensure_ascii=False)


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(texts=st.lists(st.text(max_size=40), min_size=20, max_size=20))
def test_any_text_verifies_in_the_independent_verifier(
    tmp_path_factory: pytest.TempPathFactory, verify: Any, texts: list[str]
) -> None:
    store = KeyStore(tmp_path_factory.mktemp("keys"))

    results = verify({"batch": _with_texts(texts, store)})

    assert [r["errors"] for r in results] == [[] for _ in texts]


def test_independent_verifier_learns_of_a_revocation(store: KeyStore, verify: Any) -> None:
    credential = issue_credential(claim(status_index=42), store=store)
    valid_list = status_list_credential(LIST_URL, [7, 41, 43], store=store)
    revoked_list = status_list_credential(LIST_URL, [7, 42], store=store)

    before = verify({"credential": credential, "statusLists": {LIST_URL: valid_list}})
    after = verify({"credential": credential, "statusLists": {LIST_URL: revoked_list}})

    assert before == {"verified": True, "errors": [], "status": {"checked": True, "revoked": False}}
    assert after["verified"] is False
    assert after["status"] == {"checked": True, "revoked": True}
    assert "The credential has been revoked." in after["errors"]


def test_a_forged_status_list_is_refused(store: KeyStore, verify: Any) -> None:
    credential = issue_credential(claim(), store=store)
    status_list = status_list_credential(LIST_URL, [42], store=store)
    unrevoked = status_list_credential(LIST_URL, [], store=store)
    status_list["credentialSubject"]["encodedList"] = unrevoked["credentialSubject"]["encodedList"]

    result = verify({"credential": credential, "statusLists": {LIST_URL: status_list}})

    assert result["verified"] is False
    assert result["status"]["checked"] is False
    assert "not verified" in result["status"]["error"]


def test_rotation_keeps_earlier_credentials_verifiable(store: KeyStore, verify: Any) -> None:
    old_credential = issue_credential(claim(), store=store)
    old_key = store.current()
    store.rotate()
    new_credential = issue_credential(claim(number="CIME-2026-0002"), store=store)
    # one status list per issuer: the old credentials' list stays signed by the old key
    old_list = status_list_credential(LIST_URL, [], store=store, issuer=old_key.did)

    old = verify({"credential": old_credential, "statusLists": {LIST_URL: old_list}})
    new = verify(new_credential)

    assert new_credential["issuer"]["id"] != old_credential["issuer"]["id"]
    assert old == {"verified": True, "errors": [], "status": {"checked": True, "revoked": False}}
    assert new["verified"] is True, new
    assert verify_credential(old_credential).verified


def test_a_status_list_from_another_issuer_is_refused(store: KeyStore, verify: Any) -> None:
    # Why status lists are kept per issuing key: vc-bitstring-status-list requires the list's
    # issuer to be the credential's.
    credential = issue_credential(claim(), store=store)
    store.rotate()
    other_issuer = status_list_credential(LIST_URL, [], store=store)

    result = verify({"credential": credential, "statusLists": {LIST_URL: other_issuer}})

    assert result["verified"] is False
    assert "do not match" in result["status"]["error"]


def test_did_key_resolves_the_same_offline_in_both_implementations(
    store: KeyStore, verify: Any
) -> None:
    key = store.current()

    theirs = verify({"resolve": key.verification_method})["document"]
    ours = did_key.resolve(key.verification_method)

    assert theirs["id"] == ours["id"] == key.did
    assert theirs["verificationMethod"] == ours["verificationMethod"]
    assert theirs["assertionMethod"] == ours["assertionMethod"]


def test_bundled_contexts_are_those_of_the_npm_packages(verify: Any) -> None:
    urls = sorted(CONTEXT_FILES)

    theirs = verify({"batch": [{"context": url} for url in urls]})

    assert [r["document"] for r in theirs] == [bundled_context(url) for url in urls]


def test_independent_check_of_the_vc_jwt(store: KeyStore, verify: Any) -> None:
    credential = issue_credential(claim(), store=store)
    token = credential_jwt(credential, store=store)
    head, body, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["credentialSubject"]["achievement"]["name"] = "Forged"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()

    good = verify({"jwt": token})
    bad = verify({"jwt": f"{head}.{forged}.{signature}"})

    assert good["verified"] is True, good
    assert good["credential"]["id"] == credential["id"]
    assert bad["verified"] is False
    assert bad["errors"] == ["Invalid JWS signature."]


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _path(url: str) -> str:
    """The path of an absolute URL of the test app (``ENT_BASE_URL`` is http://localhost)."""
    return urlsplit(url).path


def test_a_certificate_from_its_public_urls_verifies_until_it_is_revoked(
    built: Any, learner_client: Any, learner_api: Any, api_client: Any, client: Any, verify: Any
) -> None:
    # The learner earns the certificate through the plugin, as in the thin-slice test.
    learner_client.post(f"{BASE}/cohorts/{built.cohort}/enrol")
    learner_client.post(f"{BASE}/lessons/{built.lesson}/complete")
    attempt = learner_api.post(f"{API}/quizzes/{built.quiz}/attempts").json
    learner_api.post(f"{API}/attempts/{attempt['id']}/submission", json={"answers": built.right})
    [certificate] = api_client.get(f"{API}/certificates").json["items"]

    # An anonymous verifier fetches the credential and its status list by their public URLs.
    credential = client.get(_path(certificate["credential_url"])).json
    status_url = credential["credentialStatus"]["statusListCredential"]
    before = verify(
        {"credential": credential, "statusLists": {status_url: client.get(_path(status_url)).json}}
    )
    token = client.get(_path(certificate["credential_url"]).replace(".json", ".jwt")).text
    jwt = verify({"jwt": token})
    revoked = api_client.post(
        f"{API}/certificates/{certificate['id']}/transitions",
        json={"transition": "revoke", "reason": "Plagiat avéré"},
    )
    after = verify(
        {"credential": credential, "statusLists": {status_url: client.get(_path(status_url)).json}}
    )

    assert credential["id"] == certificate["verify_url"]
    assert before == {"verified": True, "errors": [], "status": {"checked": True, "revoked": False}}
    assert jwt["verified"] is True, jwt
    assert revoked.status_code == 200, revoked.json
    assert after["verified"] is False
    assert after["status"] == {"checked": True, "revoked": True}
