"""Certificates: numbering, issuing exactly once, expiry, revocation, the PDF with its QR code.

Exactly once: the row is written by one ``INSERT ... ON CONFLICT DO NOTHING`` on the unique key
(learner, course, cohort), with the signed credential already in it. When two jobs race, both
may sign, but only one row lands; the loser sees ``rowcount == 0`` and returns the winner's.
Nothing here needs a current workspace: the jobs call it with ids.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from ent_plugins.training.models import Certificate, Cohort, Enrolment, StatusSlot
from sqlalchemy import insert, select

from ent_core import sdk

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone


def _all(statement: Any) -> Any:
    return statement.execution_options(ent_all_workspaces=True)


def new_number(moment: datetime) -> str:
    """``2026-K7QX-M2XD``: the year, then 8 random characters (not guessable, so the public
    pages cannot be walked to list every learner)."""
    token = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"{moment.year}-{token[:4]}-{token[4:]}"


def allocate_status_indexes(count: int, moment: datetime) -> list[int]:
    """``count`` status-list positions never handed out before (autoincrement rows, kept
    forever), in one statement."""
    if count <= 0:
        return []
    statement = insert(StatusSlot).returning(StatusSlot.id, sort_by_parameter_order=True)
    rows = sdk.db.session.execute(statement, [{"allocated_at": moment}] * count)
    return list(rows.scalars())


def allocate_status_index() -> int:
    """One status-list position (see :func:`allocate_status_indexes`)."""
    return allocate_status_indexes(1, sdk.utcnow())[0]


def verify_url(certificate: Certificate, slug: str | None = None) -> str:
    return sdk.external_url(
        "training_public.verify",
        workspace=slug or certificate.workspace.slug,
        number=certificate.number,
    )


def credential_url(certificate: Certificate, slug: str | None = None) -> str:
    return sdk.external_url(
        "training_public.credential",
        workspace=slug or certificate.workspace.slug,
        number=certificate.number,
    )


def status_list_url(slug: str, key_id: str) -> str:
    """One list per workspace and signing key: verifiers want the list signed by the issuer of
    the credential, and earlier keys keep signing their own lists after a rotation."""
    return sdk.external_url("training_public.status_list", workspace=slug, key_id=key_id)


def find(user_id: int, course_id: int, cohort_id: int) -> Certificate | None:
    return sdk.db.session.scalar(
        _all(
            select(Certificate).where(
                Certificate.user_id == user_id,
                Certificate.course_id == course_id,
                Certificate.cohort_id == cohort_id,
            )
        )
    )


@dataclass(frozen=True, slots=True)
class Issued:
    """One learner's certificate after :func:`issue_many`: ``created`` is False when it existed
    already (issued earlier, or by a job that won the race)."""

    certificate_id: int
    number: str
    created: bool


def issue_for(
    enrolment: Enrolment, grade: Decimal | None = None, now: datetime | None = None
) -> tuple[Certificate, bool]:
    """The learner's certificate for this cohort, created if missing: ``(certificate, created)``.

    Commits. The certificate-ready mail is the caller's (``notify`` is off: see
    :func:`issue_many`)."""
    issued = issue_many(enrolment.cohort, [(enrolment, grade)], now=now, notify=False)
    sdk.db.session.commit()
    certificate = sdk.db.session.scalar(
        _all(select(Certificate).where(Certificate.id == issued[enrolment.id].certificate_id))
    )
    assert certificate is not None
    return certificate, issued[enrolment.id].created


def issue_many(
    cohort: Cohort,
    learners: Sequence[tuple[Enrolment, Decimal | None]],
    *,
    now: datetime | None = None,
    notify: bool = True,
) -> dict[int, Issued]:
    """Certificates for ``(enrolment, grade)`` pairs of one cohort, keyed by enrolment id.

    Whatever the number of learners: one statement for the status-list positions, one
    ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` for the certificates, one insert of their
    audit events, and one look-up if some existed already; the credentials are signed in
    between. Does not commit, so the caller's bookkeeping lands in the same transaction.
    With ``notify``, new certificates wait for the certificate-ready mail (``notified_at`` is
    empty, :func:`ent_plugins.training.jobs.mail_certificates` sends it); without, they count
    as told.
    """
    from ent_plugins.training import credentials

    if not learners:
        return {}
    session = sdk.db.session
    course = cohort.course
    workspace = course.workspace
    wanted = {enrolment.user_id: (enrolment, grade) for enrolment, grade in learners}
    existing = _existing(course.id, cohort.id, list(wanted))
    todo = [(e, g) for user_id, (e, g) in wanted.items() if user_id not in existing]
    result = {
        wanted[user_id][0].id: Issued(ident, number, False)
        for user_id, (ident, number) in existing.items()
    }
    if not todo:
        return result
    issued_at = now or sdk.utcnow()
    expires_at = (
        issued_at + relativedelta(months=course.validity_months) if course.validity_months else None
    )
    key_id = credentials.current_key_id()
    indexes = allocate_status_indexes(len(todo), issued_at)
    achievement_url = sdk.external_url(
        "training_public.course", workspace=workspace.slug, course_id=course.id
    )
    issuer_url = sdk.external_url("training_public.index", workspace=workspace.slug)
    status_url = status_list_url(workspace.slug, key_id)
    criteria = course.criteria or sdk._("Completed the course and met its grading policy.")
    rows = []
    for (enrolment, grade), index in zip(todo, indexes, strict=True):
        learner = enrolment.user
        number = new_number(issued_at)
        recipient_name = learner.display_name if hasattr(learner, "display_name") else learner.name
        claim = credentials.CertificateClaim(
            certificate_id=sdk.external_url(
                "training_public.verify", workspace=workspace.slug, number=number
            ),
            number=number,
            recipient_email=learner.email,
            recipient_name=recipient_name,
            achievement_id=achievement_url,
            achievement_name=course.title,
            achievement_description=course.summary or course.title,
            criteria=criteria,
            issuer_name=workspace.name,
            issuer_url=issuer_url,
            issued_at=issued_at,
            expires_at=expires_at,
            status_list_url=status_url,
            status_index=index,
        )
        rows.append(
            dict(
                workspace_id=workspace.id,
                number=number,
                status_index=index,
                user_id=learner.id,
                course_id=course.id,
                cohort_id=cohort.id,
                recipient_name=recipient_name,
                recipient_email=learner.email,
                course_title=course.title,
                issuer_name=workspace.name,
                issuer_key=key_id,
                grade=grade,
                issued_at=issued_at,
                expires_at=expires_at,
                notified_at=None if notify else issued_at,
                revoked_reason="",
                credential=credentials.issue_credential(claim, issuer=key_id),
            )
        )
    # RETURNING tells who won: no row comes back for a learner whose certificate another job
    # inserted meanwhile (rowcount is not reliable for this statement on every driver).
    won = {
        user_id: (ident, number)
        for ident, user_id, number in session.execute(_insert_once(), rows).all()
    }
    for user_id, (ident, number) in won.items():
        result[wanted[user_id][0].id] = Issued(ident, number, True)
        # In the insert's transaction: a certificate and its record land together.
        sdk.audit(
            "training.certificate_issued",
            subject=f"certificate:{number}",
            workspace=workspace,
            details={"user": user_id, "course": course.id},
        )
        certificate_issued(workspace, ident, number, user_id, cohort)
    lost = [row["user_id"] for row in rows if row["user_id"] not in won]
    if lost:
        for user_id, (ident, number) in _existing(course.id, cohort.id, lost).items():
            result[wanted[user_id][0].id] = Issued(ident, number, False)
    return result


def _existing(course_id: int, cohort_id: int, user_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Learner id -> (certificate id, number) of the certificates these learners already have."""
    return {
        user_id: (ident, number)
        for ident, user_id, number in sdk.db.session.execute(
            _all(
                select(Certificate.id, Certificate.user_id, Certificate.number).where(
                    Certificate.course_id == course_id,
                    Certificate.cohort_id == cohort_id,
                    Certificate.user_id.in_(user_ids),
                )
            )
        ).all()
    }


def _insert_once() -> Any:
    """``INSERT ... ON CONFLICT (user, course, cohort) DO NOTHING RETURNING ...``, executed
    with many rows at once (SQLAlchemy batches them into few statements)."""
    dialect = sdk.db.session.get_bind().dialect.name
    keys = ["user_id", "course_id", "cohort_id"]
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(Certificate).on_conflict_do_nothing(index_elements=keys)
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(Certificate).on_conflict_do_nothing(index_elements=keys)
    else:  # other databases: the unique key still refuses a second row (with an error)
        statement = insert(Certificate)
    return statement.returning(Certificate.id, Certificate.user_id, Certificate.number)


def revoke(certificate: Certificate, reason: str, actor: Any = None) -> bool:
    """Revoke with a reason (shown on the verification page); False if already revoked."""
    if certificate.revoked_at is not None:
        return False
    certificate.revoked_at = sdk.utcnow()
    certificate.revoked_reason = reason.strip()
    sdk.audit(
        "training.certificate_revoked",
        subject=f"certificate:{certificate.number}",
        details={"reason": certificate.revoked_reason},
    )
    sdk.db.session.commit()
    return True


def certificate_pdf(certificate: Certificate) -> bytes:
    """An A4 landscape certificate with a QR code of its public verification URL, in the
    current language (Arabic shaped, right to left; names isolated in their own direction)."""
    import segno

    pdf_kit = sdk.pdf
    url = verify_url(certificate)
    number = pdf_kit.ltr(certificate.number)
    pdf = pdf_kit.new_document(orientation="L", format="A4")
    family = pdf_kit.FONT_FAMILY
    pdf.set_title(sdk._("Certificate %(number)s", number=certificate.number))
    pdf.add_page()
    pdf.set_line_width(1)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(30)
    pdf.set_font(family, "B", 28)
    pdf.cell(0, 14, sdk._("Certificate of completion"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 14)
    pdf.ln(6)
    pdf.cell(0, 8, sdk._("This certifies that"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 22)
    recipient = pdf_kit.isolate(certificate.recipient_name)
    pdf.cell(0, 14, recipient, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 14)
    pdf.cell(0, 8, sdk._("completed the course"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 18)
    course = pdf_kit.isolate(certificate.course_title)
    pdf.multi_cell(0, 10, course, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 12)
    pdf.ln(4)
    lines = [
        sdk._(
            "Issued by %(issuer)s on %(date)s",
            issuer=pdf_kit.isolate(certificate.issuer_name),
            date=pdf_kit.pdf_date(certificate.issued_at),
        )
    ]
    if certificate.expires_at is not None:
        lines.append(sdk._("Valid until %(date)s", date=pdf_kit.pdf_date(certificate.expires_at)))
    lines.append(sdk._("Certificate number: %(number)s", number=number))
    for line in lines:
        pdf.cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
    qr = segno.make(url, error="m")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=8, border=2)
    png.seek(0)
    pdf.image(png, x=237, y=150, w=40, h=40)
    pdf.set_xy(20, 178)
    pdf.set_font(family, "", 9)
    pdf.cell(210, 5, sdk._("Check this certificate: %(url)s", url=pdf_kit.ltr(url)))
    return bytes(pdf.output())


CERTIFICATE_ISSUED = sdk.EventType(
    "certificate.issued",
    "A learner earned a certificate (issued once per learner and cohort).",
    {
        "certificate_id": sdk.EventField(int, "the certificate's id"),
        "number": sdk.EventField(str, "the certificate number, as printed and verified"),
        "user_id": sdk.EventField(int, "the learner's user id"),
        "course_id": sdk.EventField(int, "the course's id"),
        "cohort_id": sdk.EventField(int, "the cohort's id"),
        "course_title": sdk.EventField(str, "the course's title"),
        "verify_url": sdk.EventField(str, "the public page that verifies it"),
    },
)


def certificate_issued(
    workspace: Any, certificate_id: int, number: str, user_id: int, cohort: Cohort
) -> None:
    """Emit ``certificate.issued`` (in the issuing transaction: a rollback takes it back)."""
    sdk.emit(
        "certificate.issued",
        workspace=workspace,
        certificate_id=certificate_id,
        number=number,
        user_id=user_id,
        course_id=cohort.course_id,
        cohort_id=cohort.id,
        course_title=cohort.course.title,
        verify_url=sdk.external_url(
            "training_public.verify", workspace=workspace.slug, number=number
        ),
    )
