"""Signing throughput of the training plugin's verifiable credentials, per core.

    .venv/bin/python bench/credentials.py              # 2,000 credentials
    .venv/bin/python bench/credentials.py --count 300  # quick look

One process, one thread, so CPU seconds are one core's: "per core" figures divide by the
process's CPU time (other processes on the machine do not inflate them); wall-clock rates are
printed too. Measured in the same run, on the same credentials:

- baseline ``ed25519``: bare Ed25519 signatures of the 64 bytes a proof signs (the floor);
- baseline ``canonicalise``: RDFC-1.0 canonicalisation of the unsigned credential alone;
- ``issue``: ``issue_credential`` (build + canonicalise + hash + sign), warm context cache;
- ``verify``: ``verify_credential`` (our check for the verification page);
- ``status list``: a signed 131,072-entry ``BitstringStatusListCredential`` with 1% revoked.

Peak memory: the process's peak resident set and the Python heap's peak while issuing
(tracemalloc, in a separate pass so that it does not slow the timed one). The target of issue #5
is 200 credentials signed per second per core. Writes ``bench/results/credentials-<ts>.json``.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ent_plugins.training.credentials import (
    CertificateClaim,
    issue_credential,
    status_list_credential,
    verify_credential,
)
from ent_plugins.training.credentials.canonical import canonicalize
from ent_plugins.training.credentials.keys import KeyStore
from ent_plugins.training.credentials.openbadges import build_credential
from ent_plugins.training.credentials.proof import hash_data

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_PER_CORE = 200.0


@dataclass(frozen=True)
class Rate:
    name: str
    count: int
    cpu_s: float
    wall_s: float

    @property
    def per_core(self) -> float:
        return self.count / self.cpu_s if self.cpu_s else float("inf")

    @property
    def per_wall_second(self) -> float:
        return self.count / self.wall_s if self.wall_s else float("inf")

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "count": self.count,
            "cpu_s": round(self.cpu_s, 4),
            "wall_s": round(self.wall_s, 4),
            "per_core_per_s": round(self.per_core, 1),
            "per_wall_s": round(self.per_wall_second, 1),
            "ms_each_cpu": round(1000 * self.cpu_s / self.count, 3),
        }


def claims(count: int) -> list[CertificateClaim]:
    """Certificates that differ like real ones do (number, learner, course, dates)."""
    now = datetime.now(UTC).replace(microsecond=0)
    return [
        CertificateClaim(
            certificate_id=f"https://ent.example/s/cime/training/certificates/CIME-2026-{i:05d}",
            number=f"CIME-2026-{i:05d}",
            recipient_email=f"learner{i}@example.ma",
            recipient_name=f"Apprenant·e n° {i}",
            achievement_id=f"https://ent.example/s/cime/training/courses/{i % 12}",
            achievement_name=f"Journalisme de données, session {i % 12}",
            achievement_description="Trouver, vérifier et visualiser des données publiques.",
            criteria="Quiz ≥ 60 %, devoir rendu et noté, 80 % de présence.",
            issuer_name="CIME",
            issuer_url="https://ent.example/s/cime",
            issued_at=now - timedelta(minutes=i),
            expires_at=None if i % 3 == 0 else now + timedelta(days=730),
            status_list_url="https://ent.example/s/cime/training/status/1",
            status_index=i,
        )
        for i in range(count)
    ]


def timed(name: str, items: Sequence[Any], work: Callable[[Any], Any]) -> tuple[Rate, list[Any]]:
    out: list[Any] = []
    cpu, wall = time.process_time(), time.perf_counter()
    for item in items:
        out.append(work(item))
    return Rate(name, len(items), time.process_time() - cpu, time.perf_counter() - wall), out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="credentials to sign")
    args = parser.parse_args(argv)

    store = KeyStore(Path(tempfile.mkdtemp(prefix="ent-bench-keys-")))
    key = store.current()
    subjects = claims(args.count)
    unsigned = [build_credential(claim, key.did) for claim in subjects]

    # Warm-up: contexts parsed and cached once per process, as in a long-running worker.
    for claim in subjects[:20]:
        issue_credential(claim, store=store)

    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-11-27T12:00:00Z",
        "verificationMethod": key.verification_method,
        "proofPurpose": "assertionMethod",
    }
    to_sign = [hash_data(doc, options) for doc in unsecured_copies(unsigned)]
    rates: list[Rate] = []
    rate, _ = timed("baseline: bare Ed25519 sign", to_sign, key.private_key.sign)
    rates.append(rate)
    rate, _ = timed("baseline: canonicalise only", unsigned, canonicalize)
    rates.append(rate)
    issue_rate, credentials = timed(
        "issue_credential", subjects, lambda claim: issue_credential(claim, store=store)
    )
    rates.append(issue_rate)
    rate, results = timed("verify_credential", credentials, verify_credential)
    rates.append(rate)
    assert all(result.proof_valid for result in results)
    lists = max(3, args.count // 200)
    revoked = list(range(0, 131072, 100))
    rate, _ = timed(
        "status list (131072 bits, 1% revoked)",
        [f"https://ent.example/s/cime/training/status/{n}" for n in range(lists)],
        lambda url: status_list_credential(url, revoked, store=store),
    )
    rates.append(rate)

    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    for claim in subjects[: min(200, len(subjects))]:
        issue_credential(claim, store=store)
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "count": args.count,
        "rates": [r.as_dict() for r in rates],
        "peak_rss_mb": round(peak_rss_mb, 1),
        "issue_heap_peak_mb": round(heap_peak / 2**20, 2),
        "target_per_core": TARGET_PER_CORE,
        "meets_target": issue_rate.per_core >= TARGET_PER_CORE,
        "credential_bytes": len(json.dumps(credentials[0])),
    }
    width = max(len(r.name) for r in rates)
    print(f"{'what':<{width}}  per core/s  wall/s   ms each (CPU)")
    for r in rates:
        print(
            f"{r.name:<{width}}  {r.per_core:>10.1f}  {r.per_wall_second:>7.1f}"
            f"   {1000 * r.cpu_s / r.count:.3f}"
        )
    print(
        f"peak RSS {report['peak_rss_mb']} MB; Python heap peak while issuing "
        f"{report['issue_heap_peak_mb']} MB; one credential is {report['credential_bytes']} bytes"
    )
    verdict = "meets" if report["meets_target"] else "MISSES"
    print(f"issue_credential {verdict} the target of {TARGET_PER_CORE:.0f}/s per core")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"credentials-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")
    return 0 if report["meets_target"] else 1


def unsecured_copies(documents: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in doc.items() if k != "proof"} for doc in documents]


if __name__ == "__main__":
    raise SystemExit(main())
